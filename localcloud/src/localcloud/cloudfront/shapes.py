"""How CloudFront's API writes lists and flags, read the same way by the API, the policies and the edge."""

from __future__ import annotations

from typing import Any


def items(container: Any) -> list[Any]:
    """The `Items` of a `{"Quantity": n, "Items": [...]}` list (none when absent or empty)."""
    if not isinstance(container, dict):
        return []
    found = container.get("Items") or []
    return found if isinstance(found, list) else [found]


def truthy(value: Any) -> bool:
    """A flag, whether the parser left it a bool or the text "true"."""
    return str(value).lower() == "true"
