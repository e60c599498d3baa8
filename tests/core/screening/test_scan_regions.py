"""The lazy, merged region search yields what searching every needle's lines and sorting them did."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dpghub.core.screening import scan
from dpghub.core.screening.scan import Pattern, Scanner

PATTERN = Pattern("t.copyright", re.compile(r"^[ \t#*/]*(?:copyright|\(c\)|©)[ \t]*([^\n]{2,40})", re.IGNORECASE | re.MULTILINE),
                  ("copyright", "(c)", "©"))


def eager(text: str, low: str, limit: int, needles: list[str]):
    """The definition: every needle's first MAX_NEEDLE_LINES line regions, deduplicated, in order."""
    regions = set()
    for needle in needles:
        start = 0
        for _ in range(scan.MAX_NEEDLE_LINES):
            index = low.find(needle, start, limit)
            if index < 0:
                break
            line_start = low.rfind("\n", 0, index) + 1
            line_end = low.find("\n", index, limit)
            line_end = limit if line_end < 0 else line_end
            if line_end - line_start > scan.LONG_LINE:
                regions.add((max(line_start, index - scan.AROUND), min(line_end, index + len(needle) + scan.AROUND)))
                start = index + len(needle)
            else:
                regions.add((line_start, line_end))
                start = line_end + 1
    out = []
    for a, b in sorted(regions):
        out += [(m.start(), m.group(1)) for m in PATTERN.regex.finditer(text, a, b)]
    return out


LINES = st.sampled_from(["Copyright (c) 2020 Org A", " * (C) 2019 Org B", "© Org C", "x = f(c)", "copyright law",
                         "", "code", "a" * 2100 + " copyright Long Line Org " + "b" * 500])


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=60).map("\n".join), st.integers(min_value=1, max_value=4000))
def test_same_matches_in_the_same_order(text, limit):
    low = scan.ascii_lower(text)
    limit = min(limit, len(text))
    got = list(Scanner._line_matches(PATTERN, text, low, limit, ["copyright", "(c)", "©"]))
    assert got == eager(text, low, limit, ["copyright", "(c)", "©"])


def test_stops_when_the_caller_has_enough():
    text = "\n".join([f"Copyright (c) 2020 Org {i}" for i in range(100)])
    matches = Scanner._line_matches(PATTERN, text, scan.ascii_lower(text), len(text), ["copyright", "(c)"])
    assert [next(matches)[1], next(matches)[1]] == ["(c) 2020 Org 0", "(c) 2020 Org 1"]
