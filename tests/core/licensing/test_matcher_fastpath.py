"""The word-for-word fast path of the matcher gives the same answers as the shingle path."""

from __future__ import annotations

from dpghub.core.licensing import matcher
from dpghub.core.licensing.matcher import match_text


def _body(ref_id: str) -> str:
    raw = next(e for e in matcher.resources.files("dpghub.core.licensing").joinpath("data", "texts").iterdir()
               if e.name == f"{ref_id}.txt").read_text(encoding="utf-8")
    return raw.split("\n---\n", 1)[1]


def test_every_reference_is_found_by_the_fast_path():
    for ref in matcher._references():
        assert matcher._whole_texts()[ref.words] is ref


def test_core_with_title_and_appendix_is_exact_and_without_them_too():
    gpl = _body("gpl-3.0")
    without_appendix = gpl.split("How to Apply These Terms")[0]
    for text in (gpl, without_appendix):
        [m] = match_text(text)
        assert (m.spdx, m.method) == ("GPL-3.0-only", "exact")


def test_fast_path_does_not_swallow_a_second_licence_or_a_change():
    mit = _body("mit")
    assert [m.spdx for m in match_text(_body("gpl-3.0") + "\n\n" + mit)] == ["GPL-3.0-only", "MIT"]
    changed = mit.replace("without restriction", "without restriction, except for military use")
    [m] = match_text(changed)
    assert m.spdx == "NOASSERTION"
