"""Matching a request path against a route template, shared by REST and HTTP APIs."""

from __future__ import annotations


def segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def match_path(template_path: str, path: str) -> tuple[tuple[int, ...], dict[str, str]] | None:
    """The match's rank (per segment: literal 2 > {param} 1 > {greedy+} 0) and path parameters, or None."""
    template, request = segments(template_path), segments(path)
    params: dict[str, str] = {}
    rank: list[int] = []
    for i, part in enumerate(template):
        if part.startswith("{") and part.endswith("+}"):
            if i >= len(request) or i != len(template) - 1:
                return None
            params[part[1:-2]] = "/".join(request[i:])
            rank.append(0)
            return tuple(rank), params
        if i >= len(request):
            return None
        if part.startswith("{") and part.endswith("}"):
            params[part[1:-1]] = request[i]
            rank.append(1)
        elif part == request[i]:
            rank.append(2)
        else:
            return None
    return (tuple(rank), params) if len(template) == len(request) else None
