"""In-memory facet index: compressed bitmaps of good ids per facet value, plus cached orders.

Built per process from ``FacetEntry`` and ``Good`` and kept until the catalogue's index version
(:class:`~dpghub.catalog.models.IndexVersion`) changes; see docs/adr/0004-search.md.

Facet filters become bitmap unions (OR within a facet) and intersections (AND across facets);
facet counts are intersection cardinalities, counted disjunctively: inside a facet with values
ticked, each value's count is what ticking it too would give (that facet's own filter left out,
the others applied). Orders (by name, by stage then name, by the source's latest date)
are arrays of ids computed once per index version, so a page of a large result needs no
``ORDER BY`` over a long list of ids.
"""

from __future__ import annotations

import json
import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Generic, TypeVar

from django.db import connection
from pyroaring import BitMap, FrozenBitMap

from dpghub.catalog.enums import Stage

T = TypeVar("T")

#: The catalogue's "static" order, used for browsing by relevance and for the tail of big results.
STAGE_ORDER: tuple[str, ...] = (Stage.DPG, Stage.NOMINEE, Stage.EXPIRED, Stage.ARCHIVED, Stage.EXCLUDED)

_VERSION_SQL = "SELECT version FROM catalog_indexversion WHERE id = 1"


class Order:
    """A total order of the goods: ``ids[rank]`` is the good at ``rank``, ``rank_of[id]`` its rank."""

    __slots__ = ("ids", "rank_of")

    def __init__(self, ids: array, max_id: int) -> None:
        self.ids = ids
        rank_of = array("I", bytes(4 * (max_id + 1)))
        for rank, good_id in enumerate(ids):
            rank_of[good_id] = rank
        self.rank_of = rank_of

    def page(self, result: BitMap, offset: int, limit: int, *, reverse: bool = False) -> list[int]:
        """Ids of ``result`` at positions ``offset`` to ``offset + limit`` in this order (or its reverse).

        Two ways, whichever touches fewer ids: walk the order testing membership (cheap when the
        result is a large share of the catalogue), or map the result to ranks and pick by position.
        """
        size = len(result)
        if offset >= size or limit <= 0:
            return []
        wanted = min(offset + limit, size)
        expected_walk = wanted * len(self.ids) / size
        if expected_walk < size:
            walk = reversed(self.ids) if reverse else iter(self.ids)
            found = islice((good_id for good_id in walk if good_id in result), offset, wanted)
            return list(found)
        ranks = BitMap(map(self.rank_of.__getitem__, result))
        if reverse:
            picked = [ranks[size - 1 - position] for position in range(offset, wanted)]
        else:
            picked = list(ranks[offset:wanted])
        return [self.ids[rank] for rank in picked]


@dataclass(frozen=True, eq=False)
class FacetIndex:
    version: int | None
    all_ids: FrozenBitMap
    #: facet -> value -> ids of the goods that have it
    values: dict[str, dict[str, FrozenBitMap]]
    by_name: Order
    by_stage_then_name: Order
    by_updated: Order

    def filtered(self, facet_values: dict[str, tuple[str, ...]]) -> BitMap:
        """Goods having one of the values of every facet in ``facet_values``."""
        result = BitMap(self.all_ids)
        for facet, wanted in facet_values.items():
            known = self.values.get(facet, {})
            result &= BitMap.union(BitMap(), *(known[value] for value in wanted if value in known))
            if not result:
                break
        return result

    def disjunctive_counts(
        self, facet_values: dict[str, tuple[str, ...]], matches: BitMap | None
    ) -> dict[str, list[tuple[str, int]]]:
        """Counts per facet value as multi-select facets show them (OR within a facet, AND across).

        ``matches`` is what the text matched (None: no text). A facet without ticked values counts
        within the whole result. A facet with ticked values counts within the result of the
        *other* facets' filters and the text: each count is the number of goods that value alone
        would give in this facet, whatever else of this facet is ticked (so counts inside a
        ticked facet do not shrink to the overlap with the values already ticked).
        """
        base = None if matches is None else matches & self.all_ids

        def within(filters: dict[str, tuple[str, ...]]) -> BitMap | None:
            if not filters:
                return base
            found = self.filtered(filters)
            return found if base is None else found & base

        out = self.counts(within(facet_values))
        for facet in facet_values:
            others = {name: wanted for name, wanted in facet_values.items() if name != facet}
            out.update(self.counts(within(others), facets=(facet,)))
        return out

    def counts(self, result: BitMap | None, facets: tuple[str, ...] | None = None) -> dict[str, list[tuple[str, int]]]:
        """Goods of ``result`` (all goods when None) per facet value, largest first, zeros left out."""
        out: dict[str, list[tuple[str, int]]] = {}
        for facet, by_value in self.values.items():
            if facets is not None and facet not in facets:
                continue
            if result is None:
                pairs = [(value, len(ids)) for value, ids in by_value.items()]
            else:
                pairs = [(value, result.intersection_cardinality(ids)) for value, ids in by_value.items()]
            pairs = [pair for pair in pairs if pair[1]]
            pairs.sort(key=lambda item: (-item[1], item[0]))
            out[facet] = pairs
        return out

    def size_in_bytes(self) -> int:
        """Memory held by the bitmaps (their serialised size) and the order arrays."""
        bitmaps = [self.all_ids, *(ids for by_value in self.values.values() for ids in by_value.values())]
        arrays = [order.ids for order in (self.by_name, self.by_stage_then_name, self.by_updated)]
        arrays += [order.rank_of for order in (self.by_name, self.by_stage_then_name, self.by_updated)]
        return sum(len(bitmap.serialize()) for bitmap in bitmaps) + sum(
            a.itemsize * len(a) for a in arrays
        )


def current_version() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


class PerCatalogueVersion(Generic[T]):
    """Something built from the catalogue (this index, the spelling vocabulary), kept in this process until
    the catalogue version changes: one primary-key query when it is current. ``build(version)`` returns a
    value with a ``version`` attribute; one value per database (tests switch databases)."""

    def __init__(self, build: Callable[[int | None], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._current: dict[tuple, T] = {}

    def get(self) -> T:
        key = (connection.alias, connection.vendor, str(connection.settings_dict.get("NAME")))
        version = current_version()
        value = self._current.get(key)
        if value is not None and value.version == version:
            return value
        with self._lock:
            value = self._current.get(key)
            if value is None or value.version != version:
                # The version is read before the data: a change committed in between leaves a value
                # labelled with the older version, which the next request builds again.
                value = self._build(version)
                self._current.clear()
                self._current[key] = value
        return value

    def clear(self) -> None:
        """Forget the cached value (tests; the version check makes this unnecessary in normal use)."""
        with self._lock:
            self._current.clear()


def get() -> FacetIndex:
    """The index for the catalogue as it is now: one primary-key query when the cache is current."""
    return _cached.get()


def clear() -> None:
    """Forget the cached index (tests; the version check makes this unnecessary in normal use)."""
    _cached.clear()


# One statement, so facets and goods are read from the same snapshot: the facet values with their
# goods' ids (comma-separated), then one row holding every good as JSON [id, name, stage, dated],
# where ``dated`` is the latest of the source's own dates for the good: its assessments' dates (the
# DPGA data sets' dates, a crowdsourced review's time, a review done here), its recognition and its
# exclusion. The records carry no date of their own (no field in either DPGA shape); the import time,
# the same for every good, says nothing.
_BUILD_SQL = {
    "sqlite": """
        SELECT facet, value, group_concat(good_id) FROM catalog_facetentry GROUP BY facet, value
        UNION ALL
        SELECT NULL, NULL, json_group_array(json_array(g.id, g.name, g.stage,
            max(coalesce((SELECT max(a.assessed_on) FROM catalog_assessment a WHERE a.good_id = g.id), ''),
                coalesce(g.recognised_on, ''), coalesce(g.excluded_on, ''))))
        FROM catalog_good g""",
    "postgresql": """
        SELECT facet, value, string_agg(good_id::text, ',') FROM catalog_facetentry GROUP BY facet, value
        UNION ALL
        SELECT NULL, NULL, json_agg(json_build_array(g.id, g.name, g.stage,
            greatest((SELECT max(a.assessed_on) FROM catalog_assessment a WHERE a.good_id = g.id),
                     g.recognised_on, g.excluded_on)::text))::text
        FROM catalog_good g""",
}


def _build(version: int | None) -> FacetIndex:
    values: dict[str, dict[str, FrozenBitMap]] = {}
    goods_json = None
    with connection.cursor() as cursor:
        cursor.execute(_BUILD_SQL[connection.vendor])
        for facet, value, ids in cursor.fetchall():
            if facet is None:
                goods_json = ids
            else:
                values.setdefault(facet, {})[value] = FrozenBitMap(json.loads("[" + ids + "]"))
    all_ids = FrozenBitMap(BitMap.union(BitMap(), *(ids for by in values.values() for ids in by.values())))
    # Goods not indexed yet are not searchable. Dates are ISO strings (YYYY-MM-DD), so they sort as
    # text; goods without one ('' or null) come last.
    rows = [row for row in json.loads(goods_json or "[]") if row[0] in all_ids]
    max_id = all_ids.max() if all_ids else 0
    stage_rank = {stage: rank for rank, stage in enumerate(STAGE_ORDER)}
    rows.sort(key=lambda row: (row[1], row[0]))
    by_name = array("I", (row[0] for row in rows))
    rows.sort(key=lambda row: stage_rank.get(row[2], len(STAGE_ORDER)))  # stable: name, id within a stage
    by_stage = array("I", (row[0] for row in rows))
    rows.sort(key=lambda row: (row[1], row[0]))
    rows.sort(key=lambda row: row[3] or "", reverse=True)  # stable: newest source date first, then name, id
    by_updated = array("I", (row[0] for row in rows))
    return FacetIndex(
        version=version,
        all_ids=all_ids,
        values=values,
        by_name=Order(by_name, max_id),
        by_stage_then_name=Order(by_stage, max_id),
        by_updated=Order(by_updated, max_id),
    )


_cached: PerCatalogueVersion[FacetIndex] = PerCatalogueVersion(_build)
