"""The needle stage: both backends say which needles a text holds, as a substring search would; the
bytes path of the scanner finds what the text path finds."""

from __future__ import annotations

import platform
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpghub.core.screening import needles as needles_mod
from dpghub.core.screening.engine import PATTERNS
from dpghub.core.screening.needles import NeedleSet
from dpghub.core.screening.scan import Scanner, ascii_lower
from dpghub.core.screening.tree import FileEntry

BACKENDS = [b for b in needles_mod.BACKENDS if b != "hyperscan" or needles_mod.hyperscan is not None]
NEEDLES = ("copyright", "(c)", "©", "openapi", "api", "spdx-license-identifier", "hl7", "fhir", "gdpr")


def expected(needles: tuple[str, ...], data: bytes | str) -> set[int]:
    """The definition: a needle occurs when the text, with A-Z lowered, contains it."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    low = ascii_lower(text)
    return {i for i, n in enumerate(needles) if n in low}


@pytest.mark.skipif(not (sys.platform == "linux" and platform.machine() == "x86_64"),
                    reason="pyproject.toml installs hyperscan on x86-64 Linux (and macOS, Windows) only")
def test_hyperscan_is_there_where_ci_runs():
    # CI runs on x86-64 Linux, where the hyperscan wheel exists: the fast backend must be the one tested
    assert needles_mod.hyperscan is not None
    assert needles_mod.default_backend() == "hyperscan"


@pytest.mark.parametrize("backend", BACKENDS)
def test_examples(backend):
    found = NeedleSet(NEEDLES, backend)
    assert found.find(b"Copyright (C) 2020 \xc2\xa9 OpenAPI") == {0, 1, 2, 3, 4}
    assert found.find("COPYRIGHT © x") == {0, 2}
    assert found.find(b"") == set()
    assert found.find(b"nothing here") == set()
    # a needle cut by an invalid byte does not occur; one next to it does
    assert found.find(b"hl\xff7 fhir\xff") == {7}
    # only A-Z fold: the Kelvin sign is not a "k", a dotted capital I is not an "i"
    assert NeedleSet(("kelvin", "gdpr"), backend).find("\u212aelvin GDPR".encode()) == {1}


@pytest.mark.parametrize("backend", BACKENDS)
def test_needles_must_be_lower_case(backend):
    with pytest.raises(ValueError, match="lower-case"):
        NeedleSet(("OpenAPI",), backend)


TEXT_PARTS = st.sampled_from(list(NEEDLES) + ["COPYRIGHT", "OpenAPI", "Ⓒ", "©", "\u212a", "é", "x", " ", "\n", "(", "c", ")"])
BYTE_PARTS = st.one_of(TEXT_PARTS.map(lambda s: s.encode("utf-8")), st.sampled_from([b"\xff", b"\xc2", b"\xa9", b"\x00"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(BYTE_PARTS, max_size=40).map(b"".join))
def test_backends_agree_with_the_definition(data):
    for backend in BACKENDS:
        assert NeedleSet(NEEDLES, backend).find(data) == expected(NEEDLES, data), backend


def test_one_scratch_per_thread():
    found = NeedleSet(NEEDLES)
    texts = [f"line {i} " + NEEDLES[i % len(NEEDLES)].upper() for i in range(400)]
    errors: list[str] = []

    def work(offset: int) -> None:
        for n, text in enumerate(texts[offset:] + texts[:offset]):
            if found.find(text.encode()) != expected(NEEDLES, text):
                errors.append(f"{offset}/{n}")

    threads = [threading.Thread(target=work, args=(k * 50,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


CODE_PARTS = st.sampled_from([
    "// Copyright (c) 2021 Example Org\n", "# SPDX-License-Identifier: MIT\n", "openapi: 3.0.0\n", "import fhir\n",
    "x = 1\n", "© 2019 Someone Else\n", "see https://hl7.org/fhir\n", "\xe9t\xe9\n", "\n", "privacy policy\n",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(CODE_PARTS, max_size=30).map("".join), st.sampled_from(["code", "doc", "config", "other"]))
def test_scan_data_finds_what_scan_finds(text, kind):
    data = text.encode("utf-8")
    entry = FileEntry("src/some/file.txt", len(data), False, kind, None, 2)
    seen_by_text: list[str] = []
    seen_by_data: list[str] = []
    by_text = Scanner(list(PATTERNS), visitor_needles=("spdx-license-identifier",))
    by_text.visitors.append(lambda e, t, low: seen_by_text.append(t) if "spdx-license-identifier" in low else None)
    by_data = Scanner(list(PATTERNS), visitor_needles=("spdx-license-identifier",))
    by_data.visitors.append(lambda e, t, low: seen_by_data.append(t) if "spdx-license-identifier" in low else None)
    by_text.scan(entry, text, 1 << 16)
    by_data.scan_data(entry, data, 1 << 16)
    assert by_data.hits == by_text.hits
    assert seen_by_data == seen_by_text


@pytest.mark.skipif(len(BACKENDS) < 2, reason="hyperscan has no wheel for this platform")
def test_whole_reports_are_the_same_with_either_backend(tmp_path, monkeypatch):
    from dpghub.core.screening import screen
    from tests.core.screening.helpers import make_repo
    from tests.core.screening.test_indicators import RICH

    files = dict(RICH)
    files["src/lib/header.py"] = "# SPDX-License-Identifier: Apache-2.0\n# Copyright (c) 2022 Other Org\nimport x\n"
    files["src/lib/plain.js"] = "const a = 1; // nothing to see\n"
    files["src/lib/utf16.txt"] = "\ufeffCopyright (c) 2020 Wide Org\n".encode("utf-16-le")
    repo = make_repo(tmp_path / "repo", files)
    reports = {}
    for backend in BACKENDS:
        monkeypatch.setattr(needles_mod, "default_backend", lambda b=backend: b)
        needles_mod.needle_set.cache_clear()
        report = screen(str(repo)).to_json()
        for volatile in ("duration_ms", "screened_at"):
            report.pop(volatile)
        reports[backend] = report
    needles_mod.needle_set.cache_clear()
    assert reports["hyperscan"] == reports["ahocorasick"]
    holders = next(f for f in reports["hyperscan"]["findings"] if f["indicator"] == "3")["data"]["holders"]
    assert "Other Org" in holders and "Wide Org" in holders
