from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest


@pytest.fixture
def fake_git(tmp_path, monkeypatch):
    """A ``git`` first on PATH whose ``clone`` hangs (with a child process); other commands run real git."""
    real = None
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder) / "git"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            real = candidate
            break
    assert real is not None
    bindir = tmp_path / "fakebin"
    bindir.mkdir()
    pidfile = tmp_path / "sleeper.pid"
    script = bindir / "git"
    script.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do\n'
        '  if [ "$arg" = clone ]; then\n'
        f"    sleep 30 & echo $! > {pidfile}\n"
        "    wait\n"
        "    exit 0\n"
        "  fi\n"
        "done\n"
        f'exec {real} "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return pidfile
