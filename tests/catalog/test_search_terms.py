"""PostgreSQL term bitmaps (catalog_searchterm): same matches as the tsvector path, and kept in step
by goods_reindex through partial reindexes, deletes and rollbacks (docs/adr/0004-search.md)."""

import random

import pytest
from django.db import connection, transaction
from pyroaring import BitMap

from dpghub.catalog import facet_index, search
from dpghub.catalog.models import Good, GoodSDG
from dpghub.catalog.services.indexing import goods_reindex

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="term bitmaps exist on PostgreSQL only"),
]

# Stems shared by several words, stop words, accents, digits, and a word the parser splits
# ("x_ray" becomes the phrase 'x' <-> 'ray', answered by the tsvector path).
WORDS = [
    "health", "healthy", "healthcare", "data", "database", "databases", "running", "runs", "run",
    "open", "opened", "opening", "climate", "agriculture", "agricultural", "agri", "farm", "farming",
    "mobile", "money", "education", "educational", "café", "naïve", "2030", "x_ray", "the", "and", "of",
    "is", "a", "to", "in", "zorblat",
]
STOP = ["the", "and", "of", "is", "a", "to", "in", "it"]


def _text(rng: random.Random, k: int) -> str:
    return " ".join(rng.choices(WORDS, k=k))


def _catalogue(rng: random.Random, count: int) -> list[Good]:
    goods = []
    for number in range(count):
        good = Good.objects.create(slug=f"g{number}", name=_text(rng, rng.randint(1, 3)) + f" {number}",
                                   description=_text(rng, rng.randint(0, 8)))
        if rng.random() < 0.3:
            GoodSDG.objects.create(good=good, sdg=rng.randint(1, 17), relevance=_text(rng, 3))
        goods.append(good)
    return goods


def _query(rng: random.Random) -> list[str]:
    words = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.15:
            words.append(rng.choice(STOP))
        elif roll < 0.2:
            words.append("nosuchword")
        else:
            words.append(rng.choice(WORDS))
    if rng.random() < 0.5:  # the last word is a prefix anyway; often make it a short one
        last = words[-1]
        words[-1] = last[: rng.randint(1, max(1, len(last)))]
    return search.tokens(" ".join(words))


def _by_vector(words: list[str]) -> BitMap:
    """The goods the stored tsvectors match: those ``scored_ids`` ranks (it never reads the bitmaps)."""
    return BitMap(good_id for good_id, _score in search.scored_ids(words))


def _stored_terms() -> dict[str, BitMap]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, ids FROM {search.TERM_TABLE}")
        return {term: BitMap.deserialize(bytes(ids)) for term, ids in cursor.fetchall()}


def _expected_terms() -> dict[str, BitMap]:
    """The bitmaps a full rebuild would store, computed from the documents, ignoring deleted goods."""
    out: dict[str, BitMap] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT good_id, unnest(tsvector_to_array(search_vector)) FROM catalog_searchdocument")
        for good_id, term in cursor.fetchall():
            out.setdefault(term, BitMap()).add(good_id)
    return out


def _live(terms: dict[str, BitMap]) -> dict[str, BitMap]:
    live = BitMap(Good.objects.values_list("id", flat=True))
    return {term: ids & live for term, ids in terms.items() if ids & live}


def test_bitmaps_match_the_tsvector_path():
    rng = random.Random(20261126)
    _catalogue(rng, 150)
    goods_reindex()
    queries = [_query(rng) for _ in range(250)]
    queries += [["the"], ["the", "health"], ["health", "the"], ["x_ray"], ["x_r"], ["h"], ["2030"], ["caf"],
                ["naïve"], ["running", "data"], ["runs"], ["of", "a"], ["agri"], ["agricultur"]]
    used_terms = 0
    for words in queries:
        if not words:
            continue
        expected = _by_vector(words)
        assert search.match_ids(words) == expected, words
        used_terms += search._pg_term_match(words) is not None
    assert used_terms > 200  # most queries did go through the bitmaps


@pytest.mark.parametrize("batch", [search._TERMS_BATCH, 7])
def test_partial_reindex_keeps_bitmaps_in_step(batch, monkeypatch):
    monkeypatch.setattr(search, "_TERMS_BATCH", batch)  # 7: every rebuild and update runs in many batches
    rng = random.Random(5)
    goods = _catalogue(rng, 80)
    goods_reindex(good_ids=[g.id for g in goods[:40]])
    goods_reindex(good_ids=[g.id for g in goods[40:]])
    # (goods deleted by earlier tests' module fixtures may linger in the bitmaps: see below)
    assert _live(_stored_terms()) == _expected_terms()
    for _ in range(6):
        changed = rng.sample(goods, k=rng.randint(1, 15))
        for good in changed:
            Good.objects.filter(id=good.id).update(description=_text(rng, rng.randint(0, 8)))
        goods_reindex(good_ids=[g.id for g in changed])
        goods_reindex(good_ids=[g.id for g in changed[:3]])  # idempotent
        assert _live(_stored_terms()) == _expected_terms()

    # deleted goods stay in the bitmaps until the next full reindex, but never match
    deleted = [goods[0].id, goods[1].id]
    Good.objects.filter(id__in=deleted).delete()
    assert _live(_stored_terms()) == _expected_terms()
    for words in (["health"], ["data"], ["run"], ["o"]):
        found = search.match_ids(words)
        assert found.isdisjoint(BitMap(deleted))
        assert found == _by_vector(words), words
    goods_reindex()
    assert _stored_terms() == _expected_terms()


def test_rolled_back_reindex_leaves_bitmaps_unchanged():
    rng = random.Random(9)
    goods = _catalogue(rng, 20)
    goods_reindex()
    before = _stored_terms()

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        Good.objects.filter(id=goods[0].id).update(description="zorblat zorblat")
        goods_reindex(good_ids=[goods[0].id])
        raise Rollback
    assert _stored_terms() == before
    facet_index.clear()
