"""A real `congvan serve` on loopback for the web tests: a free port, the server started as a
user starts it, and its wait for the port to listen (a failure says what the server printed)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(archive: Path, *options: str, timeout: float = 60) -> tuple[subprocess.Popen, int]:
    """`congvan --archive ARCHIVE serve --port P OPTIONS…` on a free port, once it listens."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "search_cli.py"), "--archive", str(archive), "serve",
                             "--port", str(port), *options], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, port
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"serve exited: {proc.stdout.read().decode(errors='replace')}")
            time.sleep(0.2)
    proc.kill()
    pytest.fail(f"serve did not start listening within {timeout:g} s")
