"""Search on small catalogues made here, on whichever database the suite runs: ranking ties, dates,
disjunctive facet counts, the spelling vocabulary, and a property test of the spelling correction."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from dpghub.catalog import spelling
from dpghub.catalog.enums import Category, Stage
from dpghub.catalog.models import Assessment, Good, GoodSDG, SearchWord, StandardVersion
from dpghub.catalog.selectors import GoodFilters, goods_facets, goods_search
from dpghub.catalog.services.indexing import goods_reindex

pytestmark = pytest.mark.django_db


def _slugs(page) -> list[str]:
    return [good.slug for good in page.items]


def _good(slug, name, description, stage=Stage.DPG, sdgs=(), **fields):
    good = Good.objects.create(slug=slug, name=name, description=description, stage=stage,
                               categories=[Category.SOFTWARE], **fields)
    for sdg in sdgs:
        GoodSDG.objects.create(good=good, sdg=sdg)
    return good


def test_sectors_are_searchable():
    _good("farm", "Farm Ledger", "records of harvests", sectors=["Agriculture"])
    _good("clinic", "Clinic Ledger", "records of visits", sectors=["Health"])
    goods_reindex()
    assert _slugs(goods_search(filters=GoodFilters(q="agriculture ledger"))) == ["farm"]


def test_equal_relevance_puts_current_dpgs_first():
    # same text, so the same score; the archived good's name comes first alphabetically
    _good("a-archived", "Aardvark Ledger", "ledger of land titles", stage=Stage.ARCHIVED)
    _good("b-nominee", "Badger Ledger", "ledger of land titles", stage=Stage.NOMINEE)
    _good("z-dpg", "Zebra Ledger", "ledger of land titles", stage=Stage.DPG)
    goods_reindex()
    page = goods_search(filters=GoodFilters(q="ledger land", stage=()))
    assert _slugs(page) == ["z-dpg", "b-nominee", "a-archived"]
    assert _slugs(goods_search(filters=GoodFilters(stage=()))) == ["z-dpg", "b-nominee", "a-archived"]
    assert _slugs(goods_search(filters=GoodFilters(stage=()), sort="name")) == ["a-archived", "b-nominee", "z-dpg"]


def test_updated_order_uses_source_dates_then_name():
    version = StandardVersion.objects.create(version="1.1.4")
    _good("old", "Alpha", "x", recognised_on=dt.date(2021, 5, 1))
    new = _good("new", "Omega", "x")
    Assessment.objects.create(good=new, standard_version=version, source="imported", assessed_on=dt.date(2026, 7, 13))
    _good("undated-b", "Beta", "x")
    _good("undated-a", "Aaa", "x")
    _good("excl", "Zed", "x", stage=Stage.EXCLUDED, excluded_on=dt.date(2023, 1, 13))
    goods_reindex()
    assert _slugs(goods_search(filters=GoodFilters(stage=()), sort="updated")) == [
        "new", "excl", "old", "undated-a", "undated-b"]


def test_facet_counts_are_disjunctive_hand_computed():
    # SDGs: a {3, 10}, b {3}, c {10}, d {10, 4}, e {4} (nominee); text "clinic" in a, b, c, e
    _good("a", "A", "clinic records", sdgs=(3, 10))
    _good("b", "B", "clinic stock", sdgs=(3,))
    _good("c", "C", "clinic queue", sdgs=(10,))
    _good("d", "D", "school records", sdgs=(10, 4))
    _good("e", "E", "clinic forms", stage=Stage.NOMINEE, sdgs=(4,))
    goods_reindex()
    facets = goods_facets(filters=GoodFilters(sdg=("3",), stage=()))
    # inside SDG (ticked): what each SDG alone gives, other facets applied (none): 3 -> a, b;
    # 10 -> a, c, d; 4 -> d, e
    assert facets["sdg"] == [("10", 3), ("3", 2), ("4", 2)]
    # other facets count within the result (a, b): both DPGs
    assert facets["stage"] == [("dpg", 2)]
    # ticking SDG 10 as well: the page shows a, b, c, d (4) and the counts inside SDG do not change
    page = goods_search(filters=GoodFilters(sdg=("3", "10"), stage=()))
    assert page.total == 4 and page.facets["sdg"] == facets["sdg"]
    # with the stage filter (DPG) and the text: SDG counts are within DPGs matching "clinic"
    facets = goods_facets(filters=GoodFilters(q="clinic", sdg=("3",), stage=(Stage.DPG,)))
    assert facets["sdg"] == [("10", 2), ("3", 2)]  # 10 -> a, c; 3 -> a, b; 4 -> none (e is a nominee)
    # inside stage (ticked: DPG): each stage with the SDG filter and the text: dpg a, b; nominee none
    assert facets["stage"] == [("dpg", 2)]
    facets = goods_facets(filters=GoodFilters(q="clinic", sdg=("4",), stage=(Stage.DPG,)))
    assert facets["stage"] == [("nominee", 1)]  # e: ticking "nominee" would give one good


def test_vocabulary_follows_partial_reindexes_and_deletes():
    good = _good("a", "Quorple", "zindle frabjous")
    other = _good("b", "Other", "zindle")
    goods_reindex()
    words = dict(SearchWord.objects.values_list("word", "documents"))
    assert (words["zindle"], words["quorple"], words["frabjous"]) == (2, 1, 1)
    good.description = "frumious"
    good.save()
    goods_reindex(good_ids=[good.id])
    words = dict(SearchWord.objects.values_list("word", "documents"))
    assert words["zindle"] == 1 and "frabjous" not in words and words["frumious"] == 1
    assert goods_search(filters=GoodFilters(q="frumius")).corrected_q == "frumious"
    other.delete()
    goods_reindex()
    assert "zindle" not in dict(SearchWord.objects.values_list("word", "documents"))


# --- property: a word one or two edits away from an indexed term finds that term ------------------

#: No vowels, no "s" or "y": both stemmers (Porter in FTS5, Snowball English in PostgreSQL) leave
#: such words as they are, and no stop word is made of them.
LETTERS = "bcdfghjklmnpqrtvwxz"


def _far_apart_terms(rng: random.Random, count: int) -> list[str]:
    terms: list[str] = []
    while len(terms) < count:
        word = "".join(rng.choice(LETTERS) for _ in range(rng.randint(7, 10)))
        if all(OSA.distance(word, other) >= 5 and not other.startswith(word[:4]) for other in terms):
            terms.append(word)
    return terms


@pytest.fixture
def vocabulary_catalogue(django_db_blocker):
    rng = random.Random(20261203)
    terms = _far_apart_terms(rng, 12)
    for number in range(40):
        _good(f"g{number}", f"Good {number}", " ".join(rng.sample(terms, k=rng.randint(1, 3))),
              stage=rng.choice([Stage.DPG, Stage.NOMINEE, Stage.ARCHIVED]))
    goods_reindex()
    spelling.clear()
    return terms


def _edit(word: str, operations: list[tuple[str, int, str]]) -> str:
    for kind, position, letter in operations:
        at = position % (len(word) + (kind == "insert"))
        if kind == "insert":
            word = word[:at] + letter + word[at:]
        elif kind == "delete":
            word = word[:at] + word[at + 1:]
        elif kind == "substitute":
            word = word[:at] + letter + word[at + 1:]
        elif at + 1 < len(word):  # swap two neighbours
            word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    return word


_operations = st.lists(
    st.tuples(st.sampled_from(["insert", "delete", "substitute", "swap"]), st.integers(0, 20),
              st.sampled_from(LETTERS)),
    min_size=1, max_size=2,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=st.integers(0, 11), operations=_operations)
def test_one_or_two_edits_from_a_term_find_that_term(vocabulary_catalogue, choice, operations):
    term = vocabulary_catalogue[choice]
    typed = _edit(term, operations)
    assume(typed != term)
    # a swap then an insertion between the swapped letters is two edits, but three in the restricted
    # (optimal string alignment) distance that corrections use: such a word is not a two-edit typo
    assume(OSA.distance(typed, term) <= 2)
    assume(not any(other.startswith(typed) for other in vocabulary_catalogue if other != term))
    right = goods_search(filters=GoodFilters(q=term, stage=()), page_size=50)
    found = goods_search(filters=GoodFilters(q=typed, stage=()), page_size=50)
    assert right.total > 0
    # a prefix of the term is read as search-as-you-type: it finds the term without correction
    assert found.corrected_q == ("" if term.startswith(typed) else term), (typed, term)
    assert (found.total, _slugs(found)) == (right.total, _slugs(right))


def test_reindex_command_makes_countries_searchable(monkeypatch):
    from click.testing import CliRunner

    from dpghub.catalog.models import GoodCountry, SearchDocument
    from dpghub.cli import django_env
    from dpghub.cli.main import _register, cli

    monkeypatch.setattr(django_env, "setup", lambda **kwargs: None)  # pytest-django set Django up
    _register()

    good = _good("farm", "Farm Ledger", "records of harvests")
    goods_reindex()
    GoodCountry.objects.create(good=good, country="KE", role="deployment")  # a write without a reindex
    assert goods_search(filters=GoodFilters(q="Kenya")).total == 0
    result = CliRunner().invoke(cli, ["reindex"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Reindexed 1 goods in ")
    assert "Kenya" in SearchDocument.objects.get(good=good).body
    assert _slugs(goods_search(filters=GoodFilters(q="Kenya"))) == ["farm"]
