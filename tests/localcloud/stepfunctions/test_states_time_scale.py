"""Step Functions' Retry intervals and Wait states run on the local time scale (LOCALCLOUD_STATES_TIME_SCALE)."""

from __future__ import annotations

import time

import pytest

from localcloud.stepfunctions import executions as stepfunctions

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("value", "scale"), [(None, 1.0), ("0.1", 0.1), ("0", 0.0), ("-2", 0.0), ("fast", 1.0)])
def test_the_scale_comes_from_the_environment_and_defaults_to_real_seconds(monkeypatch, value, scale):
    if value is None:
        monkeypatch.delenv("LOCALCLOUD_STATES_TIME_SCALE", raising=False)
    else:
        monkeypatch.setenv("LOCALCLOUD_STATES_TIME_SCALE", value)
    assert stepfunctions.time_scale() == scale


def test_a_retry_interval_sleeps_scaled_seconds(monkeypatch):
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function import wait_function

    original, original_wait = retrier_decl.time, wait_function.WaitFunction._wait_interval
    try:
        stepfunctions._install_time_scale()
        monkeypatch.setenv("LOCALCLOUD_STATES_TIME_SCALE", "0.05")
        started = time.monotonic()
        retrier_decl.time.sleep(2)
        assert time.monotonic() - started < 0.5
    finally:
        retrier_decl.time, wait_function.WaitFunction._wait_interval = original, original_wait
