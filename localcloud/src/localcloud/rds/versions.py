"""The PostgreSQL versions RDS creates new instances on, and how it resolves a major version.

RDS retires minor versions on a calendar: from 2026-05-01 it no longer creates 14.14-14.17, 15.9-15.12,
16.5-16.8 or 17.1-17.4 (earlier minors were retired before them), so an engine version pinned to a minor
works for a year and then breaks every new environment. A major version alone ("16") is what RDS resolves
to its default minor, and with `AutoMinorVersionUpgrade` the instance follows later minors.

The table is dated: update it when RDS retires the next minors (its notice names the versions and the date).
"""

from __future__ import annotations

from dataclasses import dataclass

from moto.rds.exceptions import InvalidParameterCombination

AS_OF = "2026-06"


@dataclass(frozen=True)
class Major:
    oldest: tuple[int, int]  # the oldest minor RDS still creates
    default: tuple[int, int]  # what a major version alone resolves to


POSTGRES = {
    "14": Major(oldest=(14, 18), default=(14, 20)),
    "15": Major(oldest=(15, 13), default=(15, 15)),
    "16": Major(oldest=(16, 9), default=(16, 11)),
    "17": Major(oldest=(17, 5), default=(17, 7)),
}
NEWEST = max(POSTGRES, key=int)


def _text(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def resolve_postgres(requested: str | None) -> str:
    """The full version a new `postgres` instance runs: a major alone resolves to its default minor, no
    version to the newest major's; a minor RDS no longer creates (or never had) is refused as RDS refuses it."""
    if not requested:
        return _text(POSTGRES[NEWEST].default)
    major, _, minor = requested.partition(".")
    known = POSTGRES.get(major)
    if known is not None and not minor:
        return _text(known.default)
    if known is not None and minor.isdigit() and known.oldest <= (int(major), int(minor)) <= known.default:
        return requested
    raise InvalidParameterCombination(f"Cannot find version {requested} for postgres")
