"""The CloudFront call the invalidator makes, with its client made once per cold start."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3


@lru_cache(maxsize=1)
def cloudfront() -> Any:
    return boto3.client("cloudfront")


class DistributionGone(Exception):
    """The distribution no longer exists: nothing of it is cached any more."""


def invalidate(distribution_id: str, paths: list[str], reference: str) -> str:
    """Invalidate `paths`; the invalidation's id (the existing one when `reference` was used before)."""
    try:
        answer = cloudfront().create_invalidation(
            DistributionId=distribution_id,
            InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": reference},
        )
    except cloudfront().exceptions.NoSuchDistribution as gone:
        raise DistributionGone(distribution_id) from gone
    return str(answer["Invalidation"]["Id"])
