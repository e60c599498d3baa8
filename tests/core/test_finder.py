"""The finder's ranking on its own (no database): criteria, scores, ties, explanations, and the bitmap
index agreeing with the one-good check."""

from __future__ import annotations

import datetime as dt
import random

from dpghub.core.finder import FinderIndex, GoodFacts, Need, explain, rank, text_render
from dpghub.core.licensing.copyleft import Copyleft, expression_copyleft

TODAY = dt.date(2026, 12, 1)


def _goods() -> list[GoodFacts]:
    return [
        GoodFacts(slug="alpha", name="Alpha", stage="dpg", categories=frozenset({"software"}),
                  sectors=frozenset({"health"}), layers=frozenset({"registries"}), sdgs=frozenset({3, 5}),
                  licences=(("MPL-2.0", "https://example.org/alpha/LICENSE"),), text="Alpha works in French and Swahili",
                  standards_text="HL7 FHIR, OpenAPI", countries=frozenset({"KE", "UG"}),
                  verified_countries=frozenset({"KE"}), last_commit=dt.date(2026, 6, 1)),
        GoodFacts(slug="beta", name="Beta", stage="nominee", categories=frozenset({"software"}),
                  sectors=frozenset({"education"}), sdgs=frozenset({4}), licences=(("AGPL-3.0-only", ""),),
                  text="Beta, in English", standards_text="LTI", countries=frozenset({"FR"})),
        GoodFacts(slug="gamma", name="Gamma", stage="dpg", categories=frozenset({"data"}), sdgs=frozenset({3}),
                  licences=(("CC-BY-4.0", ""),), text="Gamma in French", countries=frozenset({"TZ"}),
                  expires_on=dt.date(2027, 1, 1)),
        GoodFacts(slug="aardvark", name="Aardvark", stage="nominee", sdgs=frozenset({3})),
    ]


def test_copyleft_of_expressions():
    assert expression_copyleft("MIT") == Copyleft.NONE
    assert expression_copyleft("LGPL-3.0-or-later") == Copyleft.WEAK
    assert expression_copyleft("GPL-3.0-only") == Copyleft.STRONG
    assert expression_copyleft("MIT OR GPL-2.0-only") == Copyleft.NONE  # the user may choose MIT
    assert expression_copyleft("MIT AND GPL-2.0-only") == Copyleft.STRONG  # both apply
    assert expression_copyleft("(MPL-2.0 OR GPL-2.0-only) AND Apache-2.0") == Copyleft.WEAK
    assert expression_copyleft("LicenseRef-custom") == Copyleft.UNKNOWN


def test_best_match_first_with_reasons():
    need = Need(sdgs=(3,), languages=("Swahili",), standards=("FHIR",), region="Eastern Africa",
                licence="no-strong-copyleft")
    ranked = rank(need, _goods(), today=TODAY)
    assert [r.facts.slug for r in ranked][:2] == ["alpha", "gamma"]
    best = ranked[0]
    assert (best.score, best.out_of, best.rank) == (5, 5, 1)
    details = {check.key: text_render(check.detail, str) for check in best.checks}
    assert details["standard:FHIR"] == "Named among the open standards it supports."
    assert "KE, UG" in details["region"] and "1 verified" in details["region"]
    assert details["licence"] == "Licensed MPL-2.0: weak copyleft."
    assert ("licence", "https://example.org/alpha/LICENSE") in next(c for c in best.checks if c.key == "licence").evidence
    gamma = ranked[1]
    assert gamma.score == 3  # SDG 3, licence, region (TZ); not Swahili, not FHIR
    assert sorted(c.key for c in gamma.missed) == ["language:Swahili", "standard:FHIR"]


def test_ties_put_recognised_goods_first_then_names_and_nonmatches_are_left_out():
    ranked = rank(Need(sdgs=(3,)), _goods(), today=TODAY)
    assert [r.facts.slug for r in ranked] == ["alpha", "gamma", "aardvark"]  # beta meets nothing
    assert [r.rank for r in ranked] == [1, 2, 3]


def test_languages_match_whole_words_only():
    assert [r.facts.slug for r in rank(Need(languages=("French",)), _goods(), today=TODAY)] == ["alpha", "gamma"]
    assert rank(Need(languages=("Fren",)), _goods(), today=TODAY) == []


def test_maintenance_from_a_recent_screening_or_a_recognition_in_force():
    ranked = rank(Need(maintained=True), _goods(), today=TODAY)
    assert [r.facts.slug for r in ranked] == ["alpha", "gamma"]
    assert "2026-06-01" in text_render(ranked[0].checks[0].detail, str)
    assert rank(Need(maintained=True), _goods(), today=dt.date(2028, 1, 1)) == []


def test_paging_is_stable():
    index = FinderIndex(_goods())
    total, first = index.rank(Need(sdgs=(3,)), today=TODAY, limit=2)
    _total, second = index.rank(Need(sdgs=(3,)), today=TODAY, limit=2, offset=2)
    assert total == 3
    assert [r.facts.slug for r in first + second] == ["alpha", "gamma", "aardvark"]
    assert [r.rank for r in first + second] == [1, 2, 3]


def test_the_index_agrees_with_the_one_good_check_on_random_needs():
    rng = random.Random(16)
    goods = _goods()
    index = FinderIndex(goods)
    for _ in range(200):
        need = Need(categories=tuple(rng.sample(["software", "data", "content"], rng.randint(0, 2))),
                    sectors=tuple(rng.sample(["health", "education"], rng.randint(0, 1))),
                    layers=tuple(rng.sample(["registries", "identity"], rng.randint(0, 1))),
                    sdgs=tuple(rng.sample(range(1, 8), rng.randint(0, 3))),
                    languages=tuple(rng.sample(["French", "Swahili", "English"], rng.randint(0, 2))),
                    licence=rng.choice(["any", "no-strong-copyleft", "permissive"]),
                    standards=tuple(rng.sample(["FHIR", "LTI"], rng.randint(0, 1))),
                    region=rng.choice(["", "Africa", "Eastern Africa", "Europe"]),
                    maintained=rng.random() < 0.5, recognised=rng.random() < 0.3)
        _total, page = index.rank(need, today=TODAY, limit=10)
        expected = sorted(((sum(c.met for c in explain(need, g, today=TODAY)), g) for g in goods),
                          key=lambda pair: (-pair[0], ["dpg", "nominee"].index(pair[1].stage), pair[1].name))
        expected = [g.slug for score, g in expected if score >= 1 or not need.criteria()]
        assert [r.facts.slug for r in page] == expected, need
        for ranked in page:
            assert ranked.score == len(ranked.met)


def test_free_text_terms_match_whole_phrases_through_the_word_index():
    goods = [GoodFacts(slug="a", name="A", standards_text="HL7 FHIR R4"),
             GoodFacts(slug="b", name="B", standards_text="FHIR and HL7v2")]
    assert [r.facts.slug for r in rank(Need(standards=("HL7 FHIR",)), goods, today=TODAY)] == ["a"]
    assert [r.facts.slug for r in rank(Need(standards=("fhir",)), goods, today=TODAY)] == ["a", "b"]
    assert rank(Need(standards=("-",)), goods, today=TODAY) == []  # no word: every text is searched, none has it
