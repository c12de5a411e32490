"""Tasks: what a valid one is, where it goes, and what each type makes of it. Plain functions, no AWS."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TASK_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
TASK_TYPE = re.compile(r"^[a-z][a-z0-9-]{0,31}$")


class InvalidTask(ValueError):
    """A task no retry can make valid: Lambda retries it, then the on-failure destination keeps it."""


class UnknownTaskType(InvalidTask):
    pass


@dataclass(frozen=True)
class Task:
    task_type: str
    task_id: str
    payload: dict[str, Any]

    def as_event(self) -> dict[str, Any]:
        return {"taskType": self.task_type, "taskId": self.task_id, "payload": self.payload}


def parse_task(event: Any) -> Task:
    if not isinstance(event, dict):
        raise InvalidTask(f"a task is a JSON object, not {type(event).__name__}")
    task_type, task_id, payload = event.get("taskType"), event.get("taskId"), event.get("payload", {})
    if not isinstance(task_type, str) or not TASK_TYPE.match(task_type):
        raise InvalidTask("taskType is required: a lowercase name of up to 32 letters, digits or hyphens")
    if not isinstance(task_id, str) or not TASK_ID.match(task_id):
        raise InvalidTask("taskId is required: 1-64 letters, digits, '.', '_' or '-'")
    if not isinstance(payload, dict):
        raise InvalidTask("payload must be a JSON object")
    return Task(task_type, task_id, payload)


def route(task: Task, routes: dict[str, str]) -> str:
    """The function that does this task's type."""
    if task.task_type not in routes:
        known = ", ".join(sorted(routes)) or "none"
        raise UnknownTaskType(f"no task function handles type {task.task_type!r} (known types: {known})")
    return routes[task.task_type]


def _text(payload: dict[str, Any], field: str, limit: int) -> str:
    value = payload.get(field)
    if not isinstance(value, str) or not value.strip():
        raise InvalidTask(f"payload.{field} is required")
    if len(value) > limit:
        raise InvalidTask(f"payload.{field} is longer than {limit} characters")
    return value.strip()


def email(payload: dict[str, Any]) -> dict[str, Any]:
    to = _text(payload, "to", 254)
    if "@" not in to:
        raise InvalidTask("payload.to must be an email address")
    return {
        "channel": "email",
        "to": to,
        "subject": _text(payload, "subject", 200),
        "body": _text(payload, "body", 10000),
    }


def sms(payload: dict[str, Any]) -> dict[str, Any]:
    to = _text(payload, "to", 16)
    if not re.fullmatch(r"\+[1-9][0-9]{6,14}", to):
        raise InvalidTask("payload.to must be a phone number in E.164 form (+4915112345678)")
    text = _text(payload, "text", 1600)
    return {"channel": "sms", "to": to, "text": text, "segments": -(-len(text) // 160)}


def push(payload: dict[str, Any]) -> dict[str, Any]:
    return {"channel": "push", "device": _text(payload, "device", 200), "title": _text(payload, "title", 100)}


# What each task type makes of a payload; a task function of another type has no work to do.
WORK: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"email": email, "sms": sms, "push": push}


def work(task: Task, own_type: str) -> dict[str, Any]:
    if task.task_type != own_type:
        raise InvalidTask(f"this function does {own_type!r} tasks, not {task.task_type!r}")
    if own_type not in WORK:
        raise InvalidTask(f"this package has no work for task type {own_type!r} (it has: {', '.join(sorted(WORK))})")
    return WORK[own_type](task.payload)
