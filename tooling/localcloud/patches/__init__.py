"""Every extension the local cloud makes to moto, installed before it serves.

Each module fixes one gap and says which in its docstring; the list with the
reasons lives in tooling/README.md.
"""

from __future__ import annotations

from ..lambda_runner import LambdaRunner
from . import apigateway, events, lambda_config, lambda_invoke, s3, sns, sqs, sqs_poller, stepfunctions


def install_all(runner: LambdaRunner, endpoint_url: str, async_retry_delay_s: float) -> lambda_invoke.LambdaService:
    apigateway.install()
    lambda_config.install()
    lambda_config.install_provisioned_concurrency()
    sqs.install()
    s3.install()
    stepfunctions.install()
    service = lambda_invoke.LambdaService(runner, endpoint_url, async_retry_delay_s)
    lambda_invoke.install(service)
    sns.install()  # after lambda_invoke: wraps its SNS -> Lambda delivery
    events.install(service)
    service.sqs_pollers = sqs_poller.install(service)
    return service
