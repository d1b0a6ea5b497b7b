"""`make demo` (project/demo.py): a stop signal ends every child, a busy port is one line."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from project.demo import _group_alive, port_in_use

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _demo(tmp_path, sandbox_port, demo_port, **extra):
    env = {
        **os.environ,
        "SANDBOX_PORT": str(sandbox_port),
        "DEMO_PORT": str(demo_port),
        "DEMO_SEED": "large:5",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        **extra,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(  # noqa: S603 (our own demo)
        [sys.executable, "-m", "project.demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # like `make demo` in a terminal: its own group
    )


def test_a_port_in_use_is_one_clear_line_before_anything_starts(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = _demo(tmp_path, _free_port(), port)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    lines = output.strip().splitlines()
    assert lines == [lines[0]] and f"demo port {port} (DEMO_PORT) already in use" in lines[0]
    assert "Traceback" not in output
    assert not (tmp_path / "demo.sqlite3").exists()  # not even migrate ran


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_any_stop_signal_ends_every_child_and_frees_the_ports(tmp_path, signum):
    sandbox_port, demo_port = _free_port(), _free_port()
    process = _demo(tmp_path, sandbox_port, demo_port)
    group = None
    seen = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line)
            if "children in process group" in line:
                group = int(line.split("process group")[1].strip(" )\n"))
                break
        assert group, "".join(seen)
        assert port_in_use(sandbox_port) and port_in_use(demo_port)
        process.send_signal(signum)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert not _group_alive(group)
    assert not port_in_use(sandbox_port) and not port_in_use(demo_port)
    assert "KeyboardInterrupt" not in output and "Traceback" not in output, output
