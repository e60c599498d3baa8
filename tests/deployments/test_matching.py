"""Name matching: exact, alias, fuzzy with its score, and the names it refuses to guess."""

from __future__ import annotations

import pytest

from dpghub.deployments.enums import MatchMethod
from dpghub.deployments.matching import GoodMatcher, Match, Unmatched

GOODS = [(1, "dhis2", "DHIS2", []), (2, "opensrp", "OpenSRP", []), (3, "open-data-kit", "Open Data Kit", ["ODK"]),
         (4, "openmrs", "OpenMRS", []), (5, "openlmis", "OpenLMIS", []), (6, "commcare", "CommCare", ["CommCare HQ"]),
         (7, "commcare-cloud", "CommCare Cloud", ["CommCare HQ"])]


@pytest.fixture
def matcher():
    return GoodMatcher(GOODS, threshold=90)


@pytest.mark.parametrize(("name", "slug", "method", "score"), [
    ("DHIS2", "dhis2", MatchMethod.EXACT, 100.0),
    ("Commcare", "commcare", MatchMethod.EXACT, 100.0),  # case and punctuation are ignored
    ("open-data-kit", "open-data-kit", MatchMethod.EXACT, 100.0),  # the slug
    ("ODK", "open-data-kit", MatchMethod.ALIAS, 100.0),
    ("DHIS 2", "dhis2", MatchMethod.FUZZY, 100.0),
    ("Open SRP", "opensrp", MatchMethod.FUZZY, 100.0),
])
def test_matched(matcher, name, slug, method, score):
    assert matcher.match(name) == Match(good_id=next(g[0] for g in GOODS if g[1] == slug), good_slug=slug,
                                        method=method, score=score, name=name)


def test_unmatched_names_are_listed_with_reason_and_candidates(matcher):
    assert matcher.match("Other") == Unmatched("Other", "generic")
    assert matcher.match("CommCare HQ") == Unmatched("CommCare HQ", "ambiguous", (("commcare", 100.0),
                                                                                ("commcare-cloud", 100.0)))
    assert matcher.match("OpenMRS Android") == Unmatched("OpenMRS Android", "no-similar-name", (
        ("openmrs", 63.6), ("openlmis", 52.2), ("open-data-kit", 50.0)))


def test_threshold(matcher):
    assert isinstance(GoodMatcher(GOODS, threshold=80).match("OpenLMIS v3"), Match)
    assert isinstance(matcher.match("OpenLMIS v3"), Unmatched)
