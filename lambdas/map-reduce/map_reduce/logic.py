"""Byte ranges and words: plain functions, no AWS.

Words are split on ASCII whitespace, which never occurs inside a UTF-8 multi-byte
character, so a chunk boundary can be placed at any byte: a word belongs to the
chunk its first byte is in. A mapper reads one byte before its range (is the range
starting mid-word?) and up to MAX_WORD_BYTES after it (to finish its last word).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

WHITESPACE = b" \t\n\r\x0b\x0c"
MAX_WORD_BYTES = 1024  # a word may run this far past a range; a longer one fails its mapper
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Chunk:
    number: int
    start: int  # first byte of the range
    end: int  # one past its last byte


def chunks(size: int, chunk_bytes: int) -> list[Chunk]:
    return [Chunk(n + 1, start, min(start + chunk_bytes, size)) for n, start in enumerate(range(0, size, chunk_bytes))]


def job_id(key: str, version: str | None) -> str:
    """One job per uploaded version: a readable part of the key and a digest of key and version."""
    digest = hashlib.sha256(f"{key}\0{version or ''}".encode()).hexdigest()[:16]
    return f"{_SAFE.sub('-', key.rsplit('/', 1)[-1])[:40]}-{digest}"


def read_range(chunk: Chunk, size: int) -> tuple[int, int]:
    """The bytes a mapper reads: one before its range, and enough after it to finish a word."""
    return max(0, chunk.start - 1), min(size, chunk.end + MAX_WORD_BYTES) - 1


class WordTooLong(ValueError):
    """A word longer than a mapper reads past its range: counting it would be a guess, so the mapper fails."""


def count(data: bytes, chunk: Chunk, read_from: int, size: int) -> Counter[str]:
    """Words whose first byte lies in the chunk's range, from the bytes read at read_from."""
    words: Counter[str] = Counter()
    position, limit = chunk.start - read_from, chunk.end - read_from
    complete = read_from + len(data) >= size  # the data runs to the object's end

    def word_end(at: int) -> int:
        while at < len(data) and data[at] not in WHITESPACE:
            at += 1
        if at == len(data) and not complete:
            raise WordTooLong(
                f"a word near byte {read_from + at} runs past the {MAX_WORD_BYTES} bytes read "
                f"after chunk {chunk.number}"
            )
        return at

    if chunk.start > 0 and data[position - 1] not in WHITESPACE:
        position = word_end(position)  # the first word began in the previous chunk: it is counted there
    while position < limit:
        if data[position] in WHITESPACE:
            position += 1
            continue
        end = word_end(position)
        words[data[position:end].decode("utf-8", errors="replace")] += 1
        position = end
    return words


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    total: Counter[str] = Counter()
    for part in parts:
        total.update(part["counts"])
    return {"words": sum(total.values()), "distinct": len(total), "counts": dict(sorted(total.items()))}


class Incomplete(RuntimeError):
    """The reducer started before every range was mapped: no partial result is ever written."""
