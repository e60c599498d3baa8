"""The in-memory facet index and the two-phase relevance order, checked against brute force.

The expected answers are computed in Python from the generated catalogue, independently of the
database, so the same assertions on SQLite and on PostgreSQL mean both give identical results.
"""

import datetime as dt
import random
import re

import pytest
from django.db import transaction

from dpghub.catalog import facet_index, selectors
from dpghub.catalog.enums import Category, CountryRole, Facet, Stage
from dpghub.catalog.models import Good, GoodCountry, GoodLicense, GoodSDG
from dpghub.catalog.selectors import GoodFilters, goods_facets, goods_search
from dpghub.catalog.services.indexing import country_words, goods_reindex
from tests.catalog.helpers import catalogue_clear

pytestmark = pytest.mark.django_db

# Words that both stemmers (Porter in FTS5, Snowball English in PostgreSQL) leave unchanged.
VOCAB = ["zorblat", "quixt", "vendrak", "plomb", "trusk", "glimt", "fandor", "wibbix", "krondel", "murv"]
LICENCES = ["MIT", "Apache-2.0", "GPL-3.0-only", "CC-BY-4.0"]
SECTORS = ["health", "education", "finance", "agriculture"]
COUNTRIES = ["KE", "UG", "TZ", "IN", "BR"]
CATEGORIES = [Category.SOFTWARE, Category.DATA, Category.CONTENT]
STAGES = [Stage.DPG, Stage.NOMINEE, Stage.EXPIRED, Stage.ARCHIVED, Stage.EXCLUDED]


def _random_catalogue(rng: random.Random, count: int = 200) -> list[dict]:
    """Goods in the database, and the same goods as plain dicts for the brute-force answers."""
    goods = []
    for number in range(count):
        name = " ".join(rng.sample(VOCAB, k=rng.randint(1, 2))).title() + f" {number % 37}"
        description = " ".join(rng.choices(VOCAB, k=rng.randint(0, 5)))
        good = Good.objects.create(
            slug=f"g{number}", name=name, description=description, stage=rng.choice(STAGES),
            categories=sorted(set(rng.sample(CATEGORIES, k=rng.randint(1, 2)))),
            sectors=sorted(set(rng.sample(SECTORS, k=rng.randint(0, 2)))),
            # the source's dates order "updated": some goods have one, some two, some none
            recognised_on=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 20)) if rng.random() < 0.5 else None,
            excluded_on=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 20)) if rng.random() < 0.2 else None,
        )
        sdgs = sorted(rng.sample(range(1, 18), k=rng.randint(0, 3)))
        for sdg in sdgs:
            GoodSDG.objects.create(good=good, sdg=sdg, relevance=rng.choice(VOCAB))
        licences = sorted(set(rng.sample(LICENCES, k=rng.randint(1, 2))))
        for expression in licences:
            GoodLicense.objects.create(good=good, expression=expression)
        countries = {(rng.choice(COUNTRIES), rng.choice(list(CountryRole))) for _ in range(rng.randint(0, 3))}
        for code, role in countries:
            GoodCountry.objects.create(good=good, country=code, role=role)
        good.refresh_from_db()
        facets = {
            Facet.STAGE: {good.stage}, Facet.CATEGORY: set(good.categories), Facet.SECTOR: set(good.sectors),
            Facet.SDG: {str(sdg) for sdg in sdgs}, Facet.LICENSE: set(licences),
            Facet.DEVELOPMENT_COUNTRY: {c for c, role in countries if role == CountryRole.DEVELOPMENT},
            Facet.DEPLOYMENT_COUNTRY: {c for c, role in countries if role == CountryRole.DEPLOYMENT},
        }
        text = " ".join([name, description, *(link.relevance for link in good.sdgs.all()), *good.sectors,
                         *(word for code, _role in countries for word in country_words(code))]).lower()
        dates = [d.isoformat() for d in (good.recognised_on, good.excluded_on) if d]
        goods.append({
            "id": good.id, "name": good.name, "stage": good.stage, "dated": max(dates, default=""),
            "facets": facets, "words": set(re.findall(r"\w+", text)),
            "title_words": set(re.findall(r"\w+", name.lower())),
        })
    goods_reindex()
    return goods


def _text_match(words: set[str], query: list[str]) -> bool:
    *whole, prefix = query
    return all(word in words for word in whole) and any(word.startswith(prefix) for word in words)


def _expected(goods: list[dict], filters: GoodFilters) -> list[dict]:
    query = re.findall(r"\w+", filters.q.lower())
    out = []
    for good in goods:
        if any(not good["facets"][facet] & set(values) for facet, values in filters.facet_values().items()):
            continue
        if query and not _text_match(good["words"], query):
            continue
        out.append(good)
    return out


def _expected_counts(goods: list[dict], filters: GoodFilters) -> dict[str, list[tuple[str, int]]]:
    """Disjunctive counts: a facet with ticked values counts over the goods matching the text and
    the *other* facets' filters; the others over the whole result."""
    counts: dict[str, dict[str, int]] = {facet.value: {} for facet in Facet}
    ticked = filters.facet_values()
    result = _expected(goods, filters)
    for facet in counts:
        if facet in ticked:
            others = {name: values for name, values in ticked.items() if name != facet}
            within = _expected(goods, GoodFilters(q=filters.q, **others))
        else:
            within = result
        for good in within:
            for value in good["facets"][facet]:
                counts[facet][value] = counts[facet].get(value, 0) + 1
    return {facet: sorted(by_value.items(), key=lambda item: (-item[1], item[0]))
            for facet, by_value in counts.items()}


def _all_pages(filters: GoodFilters, sort: str, page_size: int) -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        result = goods_search(filters=filters, sort=sort, page=page, page_size=page_size, with_facets=False)
        ids += [good.id for good in result.items]
        if page >= result.num_pages:
            return ids
        page += 1


def _random_filters(rng: random.Random) -> GoodFilters:
    choices = {
        "stage": STAGES, "category": CATEGORIES, "sector": SECTORS + ["none-such"],
        "sdg": [str(n) for n in range(1, 18)], "license": LICENCES,
        "development_country": COUNTRIES, "deployment_country": COUNTRIES,
    }
    kwargs = {}
    for facet in rng.sample(sorted(choices), k=rng.randint(0, 3)):
        kwargs[facet] = tuple(rng.sample(choices[facet], k=rng.randint(1, 2)))
    roll = rng.random()
    if roll < 0.3:
        kwargs["q"] = rng.choice(VOCAB)
    elif roll < 0.5:
        kwargs["q"] = rng.choice(VOCAB)[: rng.randint(2, 4)]  # prefix
    elif roll < 0.6:
        kwargs["q"] = " ".join(rng.sample(VOCAB, k=2))
    return GoodFilters(**kwargs)


def test_counts_filters_and_orders_match_brute_force(monkeypatch):
    monkeypatch.setattr(selectors, "RANK_ALL_LIMIT", 15)
    rng = random.Random(20261126)
    goods = _random_catalogue(rng)
    by_name = sorted(goods, key=lambda g: (g["name"], g["id"]))
    by_updated = sorted(sorted(goods, key=lambda g: (g["name"], g["id"])), key=lambda g: g["dated"], reverse=True)
    two_phase = 0
    for _ in range(60):
        filters = _random_filters(rng)
        expected = _expected(goods, filters)
        expected_ids = {g["id"] for g in expected}
        page = goods_search(filters=filters, page_size=7)
        assert page.total == len(expected), filters
        assert page.facets == _expected_counts(goods, filters), filters
        assert goods_facets(filters=filters) == page.facets
        assert _all_pages(filters, "name", 7) == [g["id"] for g in by_name if g["id"] in expected_ids]
        assert _all_pages(filters, "-name", 9) == [g["id"] for g in reversed(by_name) if g["id"] in expected_ids]
        assert _all_pages(filters, "updated", 8) == [g["id"] for g in by_updated if g["id"] in expected_ids]
        relevance = _all_pages(filters, "relevance", 7)
        assert sorted(relevance) == sorted(expected_ids), filters
        query = re.findall(r"\w+", filters.q.lower())
        if query and sum(_text_match(g["words"], query) for g in goods) > selectors.RANK_ALL_LIMIT:
            # the text alone matches more than the limit: title matches first, then the rest in
            # the static order (stage, name, id)
            titled = {g["id"] for g in expected if _text_match(g["title_words"], query)}
            assert set(relevance[: len(titled)]) == titled, filters
            stage_rank = {stage: rank for rank, stage in enumerate(facet_index.STAGE_ORDER)}
            rest = sorted((g for g in expected if g["id"] not in titled),
                          key=lambda g: (stage_rank[g["stage"]], g["name"], g["id"]))
            assert relevance[len(titled):] == [g["id"] for g in rest], filters
            two_phase += bool(titled) and bool(rest)
    assert two_phase >= 5  # the draw did exercise both phases


def test_relevance_pages_are_stable_above_the_limit(monkeypatch):
    monkeypatch.setattr(selectors, "RANK_ALL_LIMIT", 10)
    rng = random.Random(7)
    goods = _random_catalogue(rng, count=120)
    for q, facets in [("zorblat", {}), ("vend", {}), ("quixt", {"stage": (Stage.DPG, Stage.NOMINEE)})]:
        filters = GoodFilters(q=q, **facets)
        expected = {g["id"] for g in _expected(goods, filters)}
        assert len(expected) > 10
        for page_size in (3, 7, 20):
            ids = _all_pages(filters, "relevance", page_size)
            assert len(ids) == len(set(ids)) == len(expected)
            assert set(ids) == expected
            assert ids == _all_pages(filters, "relevance", 100)  # page 2 continues page 1 exactly
        # several title matches are ranked: more than the limit, so in the static order
        monkeypatch.setattr(selectors, "RANK_ALL_LIMIT", 4)
        assert _all_pages(filters, "relevance", 5) == _all_pages(filters, "relevance", 100)
        monkeypatch.setattr(selectors, "RANK_ALL_LIMIT", 10)


def test_cache_follows_reindex_and_deletes():
    rng = random.Random(3)
    goods = _random_catalogue(rng, count=30)
    assert goods_search(filters=GoodFilters()).total == 30
    good = Good.objects.get(id=goods[0]["id"])
    other_stage = Stage.EXCLUDED if good.stage != Stage.EXCLUDED else Stage.DPG
    before = dict(goods_facets(filters=GoodFilters())["stage"])
    Good.objects.filter(id=good.id).update(stage=other_stage)
    goods_reindex(good_ids=[good.id])
    after = dict(goods_facets(filters=GoodFilters())["stage"])
    assert after.get(other_stage, 0) == before.get(other_stage, 0) + 1
    assert after.get(good.stage, 0) == before.get(good.stage, 0) - 1

    # deleting goods needs no reindex: a trigger renews the version
    Good.objects.filter(id__in=[goods[1]["id"], goods[2]["id"]]).delete()
    page = goods_search(filters=GoodFilters(), page_size=100)
    assert page.total == 28
    assert {goods[1]["id"], goods[2]["id"]}.isdisjoint(g.id for g in page.items)
    assert sum(count for _value, count in page.facets["stage"]) == 28

    catalogue_clear()
    page = goods_search(filters=GoodFilters())
    assert (page.total, page.items, page.facets["stage"]) == (0, [], [])


def test_cache_built_inside_a_rolled_back_transaction_is_not_reused():
    good = Good.objects.create(slug="a", name="Zorblat", stage=Stage.DPG)
    goods_reindex()
    assert goods_search(filters=GoodFilters(stage=(Stage.DPG,))).total == 1

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        Good.objects.filter(id=good.id).update(stage=Stage.NOMINEE)
        goods_reindex()
        assert goods_search(filters=GoodFilters(stage=(Stage.DPG,))).total == 0  # cached inside
        raise Rollback
    assert goods_search(filters=GoodFilters(stage=(Stage.DPG,))).total == 1
    Good.objects.filter(id=good.id).update(stage=Stage.EXPIRED)
    goods_reindex()
    assert goods_search(filters=GoodFilters(stage=(Stage.DPG,))).total == 0
    assert goods_search(filters=GoodFilters(stage=(Stage.EXPIRED,))).total == 1


def test_goods_not_yet_indexed_are_not_listed():
    Good.objects.create(slug="a", name="Zorblat")
    facet_index.clear()
    assert goods_search(filters=GoodFilters()).total == 0
    goods_reindex()
    assert goods_search(filters=GoodFilters()).total == 1
