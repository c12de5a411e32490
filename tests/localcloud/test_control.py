"""Commands find the local cloud a user started, whatever port it is on."""

from __future__ import annotations

import os

import pytest

from localcloud.control import resolve_port

pytestmark = pytest.mark.unit


def test_the_port_comes_from_the_flag_then_the_environment_then_the_one_running_cloud(tmp_path, monkeypatch):
    monkeypatch.delenv("LOCALCLOUD_PORT", raising=False)
    assert resolve_port(None, tmp_path) == 4566
    (tmp_path / "server-4577.pid").write_text(str(os.getpid()))  # a live process
    (tmp_path / "server-4588.pid").write_text("999999999")  # a dead one
    assert resolve_port(None, tmp_path) == 4577
    monkeypatch.setenv("LOCALCLOUD_PORT", "4599")
    assert resolve_port(None, tmp_path) == 4599
    assert resolve_port(4600, tmp_path) == 4600


def test_two_running_clouds_are_ambiguous_and_fall_back_to_the_default(tmp_path, monkeypatch):
    monkeypatch.delenv("LOCALCLOUD_PORT", raising=False)
    for port in (4577, 4578):
        (tmp_path / f"server-{port}.pid").write_text(str(os.getpid()))
    assert resolve_port(None, tmp_path) == 4566
