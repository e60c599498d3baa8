"""Accuracy on the licensee fixtures (a development set: see /work/shared/data/licenses/README.md).

Each fixture is a small project tree. We run the library the way the screening engine does:
every file that ``is_license_path`` selects is decoded, scanned, and the evidence summarised.
The expected answer is the label's SPDX id, with the deprecated GNU ids read as SPDX defines
them (GPL-3.0 = GPL-3.0-only ...). Labels "NOASSERTION" (licensee's "other") are met by
NOASSERTION or by a conjunction of several licences (licensee says "other" when a project has
more than one licence); "NONE" means no root licence at all.
"""

from __future__ import annotations

import json
import os

import pytest

from dpghub.core.licensing import decode_text, is_license_path, scan_file, summarize

from .conftest import FIXTURES, SHARED

LABELS_PATH = SHARED / "licensee-fixtures-labels.json"
LABELS = json.loads(LABELS_PATH.read_text())  # ../shared is a documented test input: fail without it
DEPRECATED = {
    "GPL-2.0": "GPL-2.0-only", "GPL-3.0": "GPL-3.0-only", "LGPL-2.1": "LGPL-2.1-only",
    "LGPL-3.0": "LGPL-3.0-only", "AGPL-3.0": "AGPL-3.0-only", "GFDL-1.3": "GFDL-1.3-only",
}
KNOWN_DEVIATIONS = {
    # R: "License: MIT + file LICENSE" with LICENSE = "YEAR: 2017 / COPYRIGHT HOLDER: Jane Doe"
    # is how CRAN packages declare MIT; licensee does not know the convention and says "other".
    "description-license": "MIT",
}
RESULTS: dict[str, tuple[bool, bool, str]] = {}


def run_fixture(name: str):
    root = FIXTURES / name
    evidence = []
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if is_license_path(rel):
                with open(full, "rb") as fh:
                    evidence += scan_file(rel, decode_text(fh.read()))
    return summarize(evidence)


def judge(label: str, summary) -> tuple[bool, bool]:
    expected = DEPRECATED.get(label, label)
    got = summary.root_expression or "NONE"
    if expected == "NOASSERTION":
        ok = got == "NOASSERTION" or " AND " in got
        return ok, ok
    if expected == "NONE":
        return got == "NONE", got == "NONE"
    return expected in summary.expressions, got == expected


@pytest.mark.parametrize("name", sorted(LABELS))
def test_fixture(name):
    summary = run_fixture(name)
    found, exact = judge(LABELS[name]["spdx"], summary)
    RESULTS[name] = (found, exact, f"expected {LABELS[name]['spdx']}, got {summary.root_expression}")
    if name in KNOWN_DEVIATIONS:
        assert summary.root_expression == KNOWN_DEVIATIONS[name]
        return
    if LABELS[name]["spdx"] == "NOASSERTION":
        # never claim a single known licence for a modified/unknown text
        assert summary.root_expression in (None, "NOASSERTION") or " AND " in summary.root_expression, summary
    # per-fixture misses are tolerated here; the aggregate rates are asserted below


def test_fixture_rates(capsys):
    results = RESULTS if len(RESULTS) == len(LABELS) else {}
    if not results:  # run on its own (-k): compute here
        for name in LABELS:
            s = run_fixture(name)
            f, e = judge(LABELS[name]["spdx"], s)
            results[name] = (f, e, f"expected {LABELS[name]['spdx']}, got {s.root_expression}")
    n = len(results)
    found = sum(r[0] for r in results.values())
    exact = sum(r[1] for r in results.values())
    with capsys.disabled():
        print(f"\nlicensee fixtures: {n}, found {found} ({found / n:.1%}), exactly right {exact} ({exact / n:.1%})")
        for name, (f, e, what) in sorted(results.items()):
            if not e:
                print(f"  miss: {name}: {what}{'' if f else ' (not found)'}")
    assert found / n >= 0.98, f"found only {found}/{n}"
    assert exact / n >= 0.92, f"exactly right only {exact}/{n}"
