"""The build needs no network: a clean build with networking unavailable passes.

The build is `second_build` (conftest.py), shared with the reproducibility test: it runs
under `unshare -n` (a fresh network namespace whose only interface, loopback, is down, so not
even 127.0.0.1 answers; notebook kernels talk over Unix-domain sockets) or, where that is not
permitted, with every Python process's IP connections, loopback included, refused by a
sitecustomize module.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import _SITECUSTOMIZE, build_env, offline_prefix

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("build")]


def test_network_really_was_unavailable(second_build: dict):
    """The guard itself can fail: the probe inside the build's environment found no route."""
    probe = second_build["probe"]
    assert probe.returncode == 0, f"{second_build['how']}: {probe.stdout}{probe.stderr}"
    assert probe.stdout.startswith("offline, loopback included:")


def test_build_passes_offline(second_build: dict):
    res = second_build["result"]
    assert res.returncode == 0, (
        f"build failed with networking unavailable ({second_build['how']}):\n{res.stdout[-6000:]}"
    )
    assert "Nothing to be done" not in res.stdout  # it really built, from a clean copy


def test_fallback_socket_block_refuses_connections(tmp_path: Path):
    """The sitecustomize fallback (used where `unshare -n` is not permitted) really blocks."""
    env = build_env()

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    env["PYTHONPATH"] = str(site)
    code = (
        "import socket\n"
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        "try:\n    s.connect(('1.1.1.1', 53))\nexcept OSError as e:\n    print('blocked', e)\n"
        "l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen()\n"
        "try:\n    socket.socket().connect(l.getsockname())\nexcept OSError:\n"
        "    print('loopback blocked')\n"
        "a, b = socket.socketpair(socket.AF_UNIX); a.send(b'x'); print('unix ok', b.recv(1))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    text = out.stdout + out.stderr
    assert "blocked" in out.stdout and "loopback blocked" in out.stdout, text
    assert "unix ok" in out.stdout, text


def test_offline_prefix_is_available(tmp_path: Path):
    prefix, how = offline_prefix(tmp_path, build_env())
    assert how in ("unshare -n", "sitecustomize socket block")
