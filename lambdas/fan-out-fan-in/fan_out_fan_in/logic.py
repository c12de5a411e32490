"""Jobs and parts: what a valid job is, how it splits, and how parts add up. Plain functions, no AWS."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

JOB_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_DOCUMENTS = 10_000
_WORD = re.compile(r"\S+")


class InvalidJob(ValueError):
    """A job the splitter refuses: nothing is fanned out."""


@dataclass(frozen=True)
class Job:
    job_id: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    job_id: str
    number: int
    keys: tuple[str, ...]

    def as_event(self) -> dict[str, Any]:
        return {"jobId": self.job_id, "part": self.number, "keys": list(self.keys)}


def parse_job(event: Any) -> Job:
    if not isinstance(event, dict):
        raise InvalidJob(f"a job is a JSON object, not {type(event).__name__}")
    job_id, keys = event.get("jobId"), event.get("keys")
    if not isinstance(job_id, str) or not JOB_ID.match(job_id):
        raise InvalidJob("jobId is required: 1-64 letters, digits, '.', '_' or '-'")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k for k in keys):
        raise InvalidJob("keys is required: a non-empty list of the documents' S3 keys")
    if len(keys) > MAX_DOCUMENTS:
        raise InvalidJob(f"a job has at most {MAX_DOCUMENTS} documents, not {len(keys)}")
    if len(set(keys)) != len(keys):
        raise InvalidJob("keys must not repeat a document")
    return Job(job_id, tuple(keys))


def parse_part(event: Any) -> Part:
    if not isinstance(event, dict) or not isinstance(event.get("part"), int) or not isinstance(event.get("keys"), list):
        raise InvalidJob(f"a part is {{jobId, part, keys}}, not {str(event)[:200]}")
    return Part(str(event.get("jobId")), int(event["part"]), tuple(str(k) for k in event["keys"]))


def split(job: Job, part_size: int) -> list[Part]:
    """Parts of at most part_size documents, numbered from 1, in the job's order."""
    return [
        Part(job.job_id, n + 1, job.keys[i : i + part_size]) for n, i in enumerate(range(0, len(job.keys), part_size))
    ]


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def combine(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The job's result from its parts' results (word counts per document and in all)."""
    documents: dict[str, int] = {}
    for part in sorted(parts, key=lambda p: int(p["part"])):
        documents.update({key: int(words) for key, words in part["words"].items()})
    return {"documents": len(documents), "words": sum(documents.values()), "wordsPerDocument": documents}
