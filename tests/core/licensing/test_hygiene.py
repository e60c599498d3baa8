"""The library stays Django-free, self-contained and fast."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import dpghub.core.licensing as licensing_pkg
from dpghub.core.licensing import reference_ids

PKG = Path(licensing_pkg.__file__).parent
# The folder beside the repository that holds this workplace's data, and this machine's checkout root.
# Spelled from parts so that this file, which forbids naming them, does not name them itself.
SHARED = "shared"
SIBLING_DATA = f"../{SHARED}"
MACHINE_ROOT = "/" + "work" + "/"


def test_no_django_and_no_shared_paths():
    code = (
        "import sys, dpghub.core.licensing as L\n"
        "L.scan_file('LICENSE', 'MIT'); L.approval('MIT', 'Open Software')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja', 'celery')"
        " or (m.startswith('dpghub.') and not m.startswith('dpghub.core')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    for py in PKG.rglob("*.py"):
        assert f"{MACHINE_ROOT}{SHARED}" not in py.read_text(encoding="utf-8"), py


def test_reference_data_ships_with_sources():
    ids = reference_ids()
    assert len(ids) == 54
    assert {"MIT", "Apache-2.0", "GPL-3.0-only", "CC-BY-SA-4.0", "ODbL-1.0", "CC0-1.0"} <= set(ids)
    readme = (PKG / "data" / "README.md").read_text(encoding="utf-8")
    assert "choosealicense" in readme and "MIT" in readme


def test_the_tests_read_nothing_outside_the_repository():
    """A clone alone runs the suite: no test or helper points at the data folder beside the repository or
    at this machine's checkout root."""
    here = Path(__file__).resolve()
    outside = re.compile("|".join((re.escape(SIBLING_DATA), re.escape(MACHINE_ROOT), f"[\"']{SHARED}[\"']")))
    found = [
        f"{path.relative_to(here.parents[3])}:{number}: {line.strip()}"
        for path in sorted(here.parents[2].rglob("*.py")) if path != here
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if outside.search(line)
    ]
    assert found == []
