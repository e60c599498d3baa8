"""Which records describe the same good (Django-free).

The rule (also in docs/adr/0002-import-policy.md):

1. Within the candidates set, the legacy slug (file stem) is the identity: a nominee record, its
   screening record in digitalpublicgoods/ and an archive/excluded record of the same stem are one
   good. Within the registry set, the application ``id`` is the identity. Two records of the same
   set with different identities are never merged (different stems that share a repository are
   reported as possible duplicates, not merged).
2. A group is first matched to a stored good by any of its external ids (exact).
3. Otherwise a group of one set is matched to a good of the *other* set, trying in order:
   normalised repository URL, normalised name, normalised website. At the first criterion that
   finds anything, several hits are narrowed by the next criteria; still several -> ambiguous,
   reported, not merged.
4. A good can absorb only one group of the other set: when several claim it, the strongest
   criterion wins (then the smaller source key); the others are reported and stay separate.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from dpghub.core.formats.dpga.records import (
    SCHEME_APPLICATION,
    SCHEME_LEGACY_SLUG,
    SHAPE_REGISTRY,
    SHAPE_REVIEW,
    SHAPE_SCREENING,
    SourceRecord,
)

_LEVELS = ("repository", "name", "website")
_CODE_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "sourceforge.net"}


def url_normalise(url: str) -> str:
    """``https://www.GitHub.com/Org/Repo.git/`` -> ``github.com/org/repo``."""
    url = (url or "").strip().lower()
    if not url:
        return ""
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = parts.netloc.rsplit("@", 1)[-1].removeprefix("www.").split(":")[0]
    path = parts.path.rstrip("/").removesuffix(".git").rstrip("/")
    return host + path


def website_normalise(url: str) -> str:
    key = url_normalise(url)
    return "" if key in _CODE_HOSTS else key


def name_normalise(name: str) -> str:
    """Case, accents and punctuation ignored: 'GLOBALEAKS' == 'GlobaLeaks', 'if me' == 'if-me'."""
    return re.sub(r"[\W_]+", "", (name or "").casefold())


@dataclass
class GoodKeys:
    """What matching knows of a good (stored or about to be): ids, repositories, names, website."""

    ref: Any
    external_ids: set[tuple[str, str]] = field(default_factory=set)
    repositories: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    websites: set[str] = field(default_factory=set)

    def schemes(self) -> set[str]:
        return {scheme for scheme, _ in self.external_ids}

    def keys(self, level: str) -> set[str]:
        return {"repository": self.repositories, "name": self.names, "website": self.websites}[level]


@dataclass
class Group:
    """Records that are one good, and the stored good they update (``good_ref``), if any."""

    key: str
    records: list[SourceRecord]
    good_ref: Any = None
    notes: list[dict] = field(default_factory=list)

    @property
    def is_registry(self) -> bool:
        return any(r.shape == SHAPE_REGISTRY for r in self.records)

    def keys(self) -> GoodKeys:
        keys = GoodKeys(ref=self.key)
        # A screening record's name is not trusted when the nominee record is there: several
        # screening records of the data carry another good's name (copy-paste in the source).
        named = [r for r in self.records if r.shape != SHAPE_SCREENING] or self.records
        for record in self.records:
            keys.external_ids |= set(record.external_ids)
            keys.repositories |= {url_normalise(r.url) for r in record.repositories} - {""}
            if record in named:
                keys.names.add(name_normalise(record.name))
            keys.aliases |= {name_normalise(a) for a in record.aliases}
            if website_normalise(record.website):
                keys.websites.add(website_normalise(record.website))
        keys.names.discard("")
        keys.aliases.discard("")
        return keys


def _index(goods: list[GoodKeys]) -> dict[str, dict[str, list[GoodKeys]]]:
    index: dict[str, dict[str, list[GoodKeys]]] = {level: defaultdict(list) for level in _LEVELS}
    for good in goods:
        for level in _LEVELS:
            for key in good.keys(level):
                index[level][key].append(good)
    return index


def _find(keys: GoodKeys, index, eligible) -> tuple[GoodKeys | None, str, list[GoodKeys]]:
    """(partner, level, hits): partner None with several hits = ambiguous; no hits = no match."""
    for position, level in enumerate(_LEVELS):
        hits: dict[int, GoodKeys] = {}
        for key in keys.keys(level):
            for good in index[level].get(key, ()):
                if eligible(good):
                    hits[id(good)] = good
        if not hits:
            continue
        candidates = list(hits.values())
        for later in _LEVELS[position + 1:]:
            if len(candidates) == 1:
                break
            narrowed = [good for good in candidates if good.keys(later) & keys.keys(later)]
            if narrowed:
                candidates = narrowed
        if len(candidates) == 1:
            return candidates[0], level, list(hits.values())
        return None, level, candidates
    return None, "", []


def records_group(records: list[SourceRecord], existing: list[GoodKeys]) -> tuple[list[Group], list[dict]]:
    """Group the records of one run into goods and match them to stored goods.

    Returns the groups (reviews excluded, see :func:`reviews_match`) and the report entries on
    merges, ambiguities and possible duplicates.
    """
    report: list[dict] = []
    by_key: dict[str, Group] = {}
    for record in sorted(records, key=lambda r: r.source_key):
        if record.shape == SHAPE_REVIEW:
            continue
        key = record.source_key if record.shape == SHAPE_REGISTRY else f"legacy-slug:{record.join_key}"
        by_key.setdefault(key, Group(key=key, records=[])).records.append(record)
    groups = sorted(by_key.values(), key=lambda g: g.key)
    for group in groups:
        group.records.sort(key=lambda r: r.sort_key)

    # 2. exact external ids
    by_id: dict[tuple[str, str], GoodKeys] = {}
    for good in existing:
        for ext in good.external_ids:
            by_id[ext] = good
    represented: set[int] = set()
    for group in groups:
        found = {id(by_id[ext]): by_id[ext] for ext in group.keys().external_ids if ext in by_id}
        if len(found) > 1:
            report.append({"kind": "ambiguous-match", "source": group.key,
                           "detail": "external ids point at several stored goods; the first is updated"})
        if found:
            target = min(found.values(), key=lambda g: str(g.ref))
            group.good_ref = target.ref
            represented.add(id(target))

    # groups tied to the same stored good (merged in an earlier run) are one group again
    by_ref: dict[Any, Group] = {}
    for group in list(groups):
        if group.good_ref is None:
            continue
        first = by_ref.setdefault(group.good_ref, group)
        if first is not group:
            first.records.extend(group.records)
            first.records.sort(key=lambda r: r.sort_key)
            groups.remove(group)

    # 3. cross-set matching
    group_keys = {group.key: group.keys() for group in groups}
    partners: list[GoodKeys] = []
    partner_group: dict[int, Group] = {}
    stored_by_ref = {good.ref: good for good in existing}
    for group in groups:
        keys = group_keys[group.key]
        if group.good_ref is not None:
            stored = stored_by_ref[group.good_ref]
            keys = GoodKeys(ref=group.key, external_ids=keys.external_ids | stored.external_ids,
                            repositories=keys.repositories | stored.repositories, names=keys.names | stored.names,
                            aliases=keys.aliases, websites=keys.websites | stored.websites)
            group_keys[group.key] = keys
        partners.append(keys)
        partner_group[id(keys)] = group
    partners += [good for good in existing if id(good) not in represented]
    index = _index(partners)

    proposals: list[tuple[int, str, GoodKeys, Group, GoodKeys]] = []
    for group in groups:
        if group.good_ref is not None:
            continue
        keys = group_keys[group.key]
        own = SCHEME_APPLICATION if group.is_registry else SCHEME_LEGACY_SLUG
        other = SCHEME_LEGACY_SLUG if group.is_registry else SCHEME_APPLICATION
        partner_is_group = group.is_registry  # registry groups look at in-run candidate groups too

        def eligible(good: GoodKeys, own=own, other=other, partner_is_group=partner_is_group) -> bool:
            schemes = good.schemes()
            if own in schemes or other not in schemes:
                return False
            in_run = partner_group.get(id(good))
            # registry groups look at every candidates group; candidates groups look at stored goods
            # and at registry groups already tied to a stored good (the others do their own search)
            return partner_is_group or in_run is None or in_run.good_ref is not None

        partner, level, hits = _find(keys, index, eligible)
        if partner is None and hits:
            report.append({"kind": "ambiguous-match", "source": group.key,
                           "detail": f"{level} matches {len(hits)} goods ("
                           + ", ".join(sorted(_label(h) for h in hits)) + "); not merged"})
            continue
        if partner is not None:
            if len(hits) > 1:
                report.append({"kind": "ambiguous-match", "source": group.key,
                               "detail": f"{level} matches {len(hits)} goods; narrowed to {_label(partner)}"})
            proposals.append((_LEVELS.index(level), group.key, partner, group, keys))

    taken: dict[int, str] = {}
    merged_away: set[str] = set()
    absorbing: set[str] = set()
    for level, key, partner, group, _keys in sorted(proposals, key=lambda p: (p[0], p[1])):
        target_group = partner_group.get(id(partner))
        if key in absorbing or (target_group is not None and target_group.key in merged_away):
            report.append({"kind": "ambiguous-match", "source": key,
                           "detail": f"{_LEVELS[level]} matches {_label(partner)}, which is merged otherwise; "
                           "not merged"})
            continue
        if id(partner) in taken:
            report.append({"kind": "ambiguous-match", "source": key,
                           "detail": f"{_LEVELS[level]} matches {_label(partner)}, already matched to "
                           f"{taken[id(partner)]}; not merged"})
            continue
        taken[id(partner)] = key
        merged_away.add(key)
        if target_group is not None:
            absorbing.add(target_group.key)
        note = {"kind": "merged", "source": key, "detail": f"same good as {_label(partner)} (by {_LEVELS[level]})"}
        if target_group is not None:
            target_group.records.extend(group.records)
            target_group.records.sort(key=lambda r: r.sort_key)
            target_group.notes.append(note)
            group.records = []
        else:
            group.good_ref = partner.ref
            group.notes.append(note)
        report.append(note)
    groups = [group for group in groups if group.records]

    # possible duplicates inside one set (reported only)
    by_repo: dict[str, set[str]] = defaultdict(set)
    for group in groups:
        for record in group.records:
            if record.shape != SHAPE_REGISTRY:
                for repo in record.repositories:
                    by_repo[url_normalise(repo.url)].add(group.key)
    for repo, keys_ in sorted(by_repo.items()):
        if repo and len(keys_) > 1:
            report.append({"kind": "possible-duplicate", "source": ", ".join(sorted(keys_)),
                           "detail": f"different legacy slugs share the repository {repo}; kept apart"})
    return groups, report


def _label(good: GoodKeys) -> str:
    ids = sorted(f"{scheme}:{value}" for scheme, value in good.external_ids
                 if scheme in (SCHEME_LEGACY_SLUG, SCHEME_APPLICATION))
    return ids[0] if ids else str(good.ref)


def reviews_match(reviews: list[SourceRecord], goods: list[GoodKeys]) -> tuple[dict[str, Any], list[dict]]:
    """Map each review's source key to a good's ref by name (then alias); report the rest."""
    by_name: dict[str, list[GoodKeys]] = defaultdict(list)
    by_alias: dict[str, list[GoodKeys]] = defaultdict(list)
    for good in goods:
        for name in good.names:
            by_name[name].append(good)
        for alias in good.aliases:
            by_alias[alias].append(good)
    matched: dict[str, Any] = {}
    report: list[dict] = []
    for review in reviews:
        key = name_normalise(review.review_good_name)
        hits = {id(g): g for g in by_name.get(key, [])} or {id(g): g for g in by_alias.get(key, [])}
        if len(hits) == 1:
            matched[review.source_key] = next(iter(hits.values())).ref
        elif hits:
            report.append({"kind": "review-ambiguous", "source": review.source_key,
                           "detail": f"'{review.review_good_name}' names {len(hits)} goods; not imported"})
        else:
            report.append({"kind": "review-unmatched", "source": review.source_key,
                           "detail": f"no good named '{review.review_good_name}'; not imported"})
    return matched, report
