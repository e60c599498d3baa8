"""The SDG suggestion counts each keyword or stem once per word, as a word-by-word reading would."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from dpghub.core.screening.checks import sdgs

WORD = re.compile(r"[a-z]+")


def word_by_word(text: str) -> list[int]:
    """The definition: cut the lowered text into runs of a-z, look each word up as a keyword, else by
    the stem it begins with; phrases are counted as substrings; explicit "SDG n" mentions come first."""
    low = text.lower()
    explicit = [int(n) for n in sdgs._EXPLICIT.findall(low) if 1 <= int(n) <= 17]
    scores = dict.fromkeys(sdgs.SDG_NAMES, 0)
    for word, count in Counter(WORD.findall(low)).items():
        n = sdgs.WORD_SDG.get(word)
        if n is None:
            n = next((sdgs.STEM_SDG[s] for s in sdgs.STEM_SDG if word.startswith(s)), None)
        if n is not None:
            scores[n] += count
    for phrase, n in sdgs.PHRASE_SDG.items():
        scores[n] += low.count(phrase)
    ranked = [n for n, s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])) if s >= 2]
    return list(dict.fromkeys(explicit + ranked))[:3]


def test_no_keyword_begins_with_a_stem_and_no_stem_with_another():
    # what lets one automaton pass count each word at most once
    stems = list(sdgs.STEM_SDG)
    assert not [w for w in sdgs.WORD_SDG if any(w.startswith(s) for s in stems)]
    assert not [(a, b) for a in stems for b in stems if a != b and b.startswith(a)]


def test_words_stems_and_boundaries():
    text = ("Health clinics and HEALTHCARE for patients; a patient record. Jobless is not a job. "
            "Unhealthy does not count, nor does 'ahealth'. Schools, school-based; schooling.")
    # health: "health", "healthcare" (stem); clinic stem: "clinics"; patients, patient -> SDG 3 = 5
    # school stem: schools, school, schooling -> SDG 4 = 3 ; "job" once -> SDG 8 = 1 (below 2)
    assert sdgs.suggest(text) == [3, 4]
    assert sdgs.suggest(text) == word_by_word(text)


def test_non_ascii_letters_end_a_word():
    text = "healthé waterñ water water, éwater"
    assert sdgs.suggest(text) == word_by_word(text)


def test_explicit_mentions_first():
    text = "Contributes to SDG 13 and SDG #2. Farmers, farming and crops in health clinics for health."
    assert sdgs.suggest(text) == [13, 2, 3]
    assert sdgs.suggest(text) == word_by_word(text)


ALPHABET = st.sampled_from(list(sdgs.WORD_SDG) + list(sdgs.STEM_SDG) + list(sdgs.PHRASE_SDG)
                           + ["sdg 3", "SDG 16", "x", "ing", "s", "É", "ß", "İ", " ", "\n", "-", "a"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_same_as_word_by_word(text):
    assert sdgs.suggest(text) == word_by_word(text)
