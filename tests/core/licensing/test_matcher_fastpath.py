"""Verbatim and near-verbatim licence texts: the answers of the matcher (licence, method, lines).

The matcher takes shortcuts for word-for-word copies; these tests state what a user sees for such
texts, whichever path answers them.
"""

from __future__ import annotations

from importlib import resources

from dpghub.core.licensing import reference_ids
from dpghub.core.licensing.matcher import match_text, match_verbatim

TEXTS = resources.files("dpghub.core.licensing").joinpath("data", "texts")


def _body(ref_id: str) -> str:
    raw = TEXTS.joinpath(f"{ref_id}.txt").read_text(encoding="utf-8")
    return raw.split("\n---\n", 1)[1]


def test_every_reference_text_is_matched_exactly_as_itself():
    bodies = [_body(e.name.removesuffix(".txt")) for e in sorted(TEXTS.iterdir(), key=lambda e: e.name)
              if e.name.endswith(".txt")]
    answers = [[(m.spdx, m.method, m.confidence) for m in match_text(body)] for body in bodies]
    assert answers == [[(spdx, "exact", 1.0)] for spdx in reference_ids()]


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


HISTORY = ("A. History of the software\n\nThis toolkit began in 2009 as a set of scripts at a university and moved to an\n"
           "independent foundation in 2015, which owns the rights in it since then.\n\n"
           "B. Terms and conditions\n\n")


def test_verbatim_licence_after_a_history_is_exact_and_starts_at_its_title():
    text = HISTORY + _body("apache-2.0")
    [m] = match_text(text)
    assert (m.spdx, m.method) == ("Apache-2.0", "exact")
    assert m.start_line == text.count("\n", 0, text.index("Apache License")) + 1  # its title, not the history
    assert m.end_line == text.rstrip("\n").count("\n") + 1


def test_verbatim_core_beside_another_licence_finds_both_in_order():
    # both licences, each once, in order
    text = HISTORY + _body("apache-2.0") + "\n\n" + _body("mit")
    assert [(m.spdx, m.method) for m in match_text(text)] == [("Apache-2.0", "exact"), ("MIT", "exact")]


def test_a_licence_text_inside_a_longer_one_is_not_taken_for_it():
    # the PSF agreement word for word is part of the Python licence stack: the stack is the answer
    [m] = match_text(_body("python-2.0"))
    assert m.spdx == "Python-2.0"


def test_second_licence_beside_a_verbatim_one_is_matched_on_its_own():
    text = HISTORY + _body("apache-2.0") + "\n\nFOR THE EXAMPLES\n\n" + _body("mit")
    matches = match_text(text)
    assert [(m.spdx, m.method) for m in matches] == [("Apache-2.0", "exact"), ("MIT", "exact")]
    apache, mit = matches
    examples = text.count("\n", 0, text.index("FOR THE EXAMPLES")) + 1
    assert apache.start_line == text.count("\n", 0, text.index("Apache License")) + 1
    assert apache.end_line < examples < mit.start_line


def test_a_reformatted_copy_of_a_reference_gets_the_same_answer_from_both_entry_points():
    gpl = _body("gpl-3.0")
    copy = "\n\n" + "\n".join("    " + line.upper() + "  \t" for line in gpl.split("\n")) + "\n\n\n"
    expected = match_text(copy)
    assert match_verbatim(copy) == expected
    assert [(m.spdx, m.method, m.start_line) for m in expected] == [("GPL-3.0-only", "exact", 4)]


def test_a_rewrapped_copy_is_left_to_the_matcher():
    # line starts matter to the normalisation (list markers, copyright lines): other line breaks,
    # other answer possible, so the matcher decides
    assert match_verbatim("\n".join(_body("gpl-3.0").split("  "))) is None


def test_a_changed_copy_is_left_to_the_matcher():
    mit = _body("mit")
    assert match_verbatim(mit.replace("without restriction", "without restriction, except for military use")) \
        is None
    assert match_verbatim("") is None
