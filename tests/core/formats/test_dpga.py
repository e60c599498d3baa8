"""The Django-free DPGA parsing, repairs and matching (no database)."""

from __future__ import annotations

import json
import pickle
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpghub.core.formats.dpga import (
    MalformedFile,
    document_parse,
    file_parse,
    files_find,
    records_group,
    reviews_match,
    shape_detect,
)
from dpghub.core.formats.dpga.licences import licence_expression
from dpghub.core.formats.dpga.matching import GoodKeys, name_normalise, url_normalise
from dpghub.core.formats.dpga.parse import registry_parse, review_parse, reviewer_hash
from dpghub.core.formats.dpga.records import SHAPE_NOMINEE, SHAPE_REGISTRY, SHAPE_REVIEW, SHAPE_SCREENING
from dpghub.core.formats.dpga.repairs import (
    RepairLog,
    as_list,
    country_code,
    sdg_number,
    text_clean,
    text_list,
    url_clean,
)


def registry_record(**overrides):
    record = {
        "id": "90001", "dpgid": "GID0099001", "name": "Synthetic Registry Good", "stage": "DPG",
        "aliases": ["Alpha", " beta and gamma", ""], "categories": ["Open Software", ""],
        "description": "A good&#184; made up", "website": "https://synthetic.example.org",
        "repositories": [{"name": "main", "url": "https://github.com/example/synthetic.git"}],
        "organizations": [{"name": "Example Org", "website": "https://example.org", "org_type": "owner",
                           "contact_name": "Jane Private", "contact_email": "jane@private.example"}],
        "sdgs": {"sdg": ["SDG9: Industry&#184; Innovation and Infrastructure", "SDG4: Quality Education"],
                 "relevance": "Nine text,&#013; &#010;Four text"},
        "openlicenses": [{"openLicense": "GPL-3.0", "openLicenseEvidenceURLs": "https://example.org/LICENSE"}],
        "locations": {"developmentCountries": ["Tanzania"], "deploymentCountries": ["Côte d", "Kosovo", "Scotland"]},
        "platformIndependence": {"isPlatformIndependent": "No", "openAlternatives": []},
        "clearOwnership": [{"clearOwnershipName": "Example Org", "clearOwnershipURL": "https://example.org/c"}],
        "documentation": "https://docs.example.org",
        "NonPII": {"collectsNonPII": "Yes", "nonPIIAccessMechanism": "CSV export"},
        "privacy": [{"privacyCompliance": "GDPR", "privacyComplianceURL": ""}],
        "openStandards": ["OpenAPI"], "bestPractices": [],
        "dataPrivacySecurity": {"collectsPII": "", "typesOfPIIDataCollected": [], "dataPrivacySecurity": ""},
        "userContent": {"contentManagement": "", "contentTypes": [], "contentManagementPolicy": ""},
        "protectionFromHarassment": {"facilitatesUserInteraction": "Unknown", "harassmentPolicy": ""},
        "sectors": [],
    }
    record.update(overrides)
    return record


# --- repairs ----------------------------------------------------------------------------------

def test_text_clean_decodes_entities_and_the_cedilla_comma():
    log = RepairLog()
    assert text_clean("Industry&#184; Innovation", log, "f") == "Industry, Innovation"
    assert text_clean("one,&#013; &#010;two", log, "f") == "one,\ntwo"
    assert text_clean("Peace\u00b8 Justice", log, "f") == "Peace, Justice"
    assert [r.kind for r in log.repairs] == ["html-entities", "cedilla-to-comma", "html-entities", "cedilla-to-comma"]


def test_text_list_rejoins_comma_fragments_and_drops_empties():
    log = RepairLog()
    value = ["Digital Infrastructure for Governance", " Impact and Transformation", "", "OCE", "continued"]
    assert text_list(value, log, "aliases", rejoin=True) == [
        "Digital Infrastructure for Governance, Impact and Transformation", "OCE, continued"]
    assert {r.kind for r in log.repairs} == {"fragments-rejoined", "empty-dropped"}
    assert text_list(["a", " b"], RepairLog(), "x", rejoin=False) == ["a", "b"]


def test_as_list_accepts_a_string_where_others_have_a_list():
    log = RepairLog()
    assert as_list("", log, "aliases") == []
    assert as_list("x", log, "aliases") == ["x"]
    assert as_list(None, log, "aliases") == []
    assert [r.kind for r in log.repairs] == ["string-to-list"]


@pytest.mark.parametrize("name, code", [
    ("Palestine State", "PS"), ("Tanzania", "TZ"), ("Côte d", "CI"), ("Democratic Republic of the Congo", "CD"),
    ("Czechia (Czech Republic)", "CZ"), ('"Eswatini (fmr. ""Swaziland"")"', "SZ"), ("Germany", "DE"),
    ("Scotland", "GB"), ("VietNam", "VN"), ("Kosovo", None), ("", None),
])
def test_country_code(name, code):
    log = RepairLog()
    assert country_code(name, log, "c") == code
    if name == "Kosovo":
        assert [u.as_dict() for u in log.unmapped] == [
            {"field": "c", "value": "Kosovo", "reason": "not an ISO 3166 country"}]


@pytest.mark.parametrize("value, number", [
    ("SDG9: Industry&#184; Innovation and Infrastructure", 9), ("SDG16: Peace\u00b8 Justice", 16), (7, 7),
    ("12", 12), (7.0, 7), ("SDG18: nothing", None), (True, None), ("no number", None), (None, None),
])
def test_sdg_number(value, number):
    assert sdg_number(value, RepairLog(), "sdg") == number


def test_url_clean():
    log = RepairLog()
    assert url_clean("www.example.org", log, "w") == "https://www.example.org"
    assert url_clean("see https://a.example/x, please", log, "w") == "https://a.example/x"
    assert url_clean("N/A", log, "w") == ""
    assert [u.value for u in log.unmapped] == ["N/A"]


def test_licence_expression_validates_spdx():
    assert licence_expression("MIT") == "MIT"
    assert licence_expression("OdbL-1.0") == "ODbL-1.0"
    assert licence_expression("GPL-3.0") in {"GPL-3.0-only", "GPL-3.0"}
    assert licence_expression("not a licence at all") is None
    assert licence_expression("") is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_repairs_never_raise(value):
    log = RepairLog()
    assert isinstance(text_clean(value, log, "f"), str)
    assert isinstance(as_list(value, log, "f"), list)
    assert all(isinstance(item, str) for item in text_list(value, log, "f", rejoin=True))
    assert sdg_number(value, log, "f") in {None, *range(1, 18)}
    code = country_code(value, log, "f")
    assert code is None or len(code) == 2
    assert isinstance(url_clean(value, log, "f"), str)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(list(registry_record())), json_values, max_size=12))
def test_registry_parse_on_arbitrary_fields_returns_a_record_or_reports_a_malformed_file(overrides):
    try:
        record = registry_parse(registry_record(**overrides), path="x.json", source_file="x.json",
                                data_date=date(2026, 7, 13))
    except MalformedFile as exc:
        assert exc.reason in {"a registry record has no id", "a record has no name"} or (
            exc.reason.startswith("the name is ") and exc.reason.endswith(", not text")
            and not isinstance(overrides.get("name"), str)), exc.reason
    else:
        assert record.name and set(record.indicators) == {"1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b", "9c"}


# --- shapes and parsing -----------------------------------------------------------------------

def test_shape_detect_by_content():
    assert shape_detect([registry_record()]) == SHAPE_REGISTRY
    assert shape_detect({"name": "x", "license": [], "stage": "nominee"}) == SHAPE_NOMINEE
    assert shape_detect({"name": "x", "clearOwnership": {}}) == SHAPE_SCREENING
    assert shape_detect({"user": "u", "license": {"answer": True}}) == SHAPE_REVIEW
    assert shape_detect({"$schema": "x", "properties": {}}) == "json-schema"
    assert shape_detect({"hello": 1}) is None
    assert shape_detect([1, 2]) is None
    assert shape_detect("text") is None


def test_registry_record_repairs_and_personal_data():
    parsed = document_parse([registry_record()], path="/tmp/r.json", folder="tmp", stem="r", file_name="r.json")
    (record,) = parsed.records
    assert record.source_key == "dpga-registry:90001"
    assert record.external_ids == [("dpga-application", "90001"), ("dpgid", "GID0099001")]
    assert record.aliases == ["Alpha, beta and gamma"]
    assert record.categories == ["open-software"]
    assert record.description == "A good, made up"
    assert [(s.sdg, s.relevance) for s in record.sdgs] == [(4, "Four text"), (9, "Nine text")]
    assert [lic.source_text for lic in record.licences] == ["GPL-3.0"]
    assert record.countries == [("TZ", "development"), ("CI", "deployment"), ("GB", "deployment")]
    assert [u.value for u in record.log.unmapped] == ["Kosovo"]
    assert record.indicators["4"].status == "declared"
    assert record.indicators["4"].summary.startswith("uses closed components: No")
    assert record.indicators["4"].source_fields == ["r.json: platformIndependence.isPlatformIndependent"]
    assert record.indicators["9a"].status == "no-evidence"
    assert record.indicators["9c"].status == "no-evidence"  # "Unknown" is no answer
    assert [(c.name, c.email) for c in record.contacts] == [("Jane Private", "jane@private.example")]
    log_text = json.dumps(record.log.as_dict())
    assert "Jane" not in log_text and "private.example" not in log_text


def test_malformed_files_name_the_reason(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(MalformedFile, match="not valid JSON"):
        file_parse(bad)
    other = tmp_path / "other.json"
    other.write_text('{"hello": "world"}')
    with pytest.raises(MalformedFile, match="not a DPGA record"):
        file_parse(other)
    no_id = tmp_path / "noid.json"
    no_id.write_text(json.dumps([registry_record(), registry_record(id="", dpgid="G")]))
    with pytest.raises(MalformedFile, match="record 1: a registry record has no id"):
        file_parse(no_id)


def test_a_name_that_is_not_text_makes_the_file_malformed_and_says_which_record(tmp_path):
    path = tmp_path / "typed.json"
    path.write_text(json.dumps([registry_record(), registry_record(id="90002", name=12345, sdgs="SDG3, SDG4")]))
    with pytest.raises(MalformedFile) as failure:
        file_parse(path)
    assert failure.value.reason == "record 1: the name is int 12345, not text"


def _log(record):
    return record.log.as_dict()


def test_sdgs_given_as_text_are_read_and_the_coercion_is_reported():
    record = registry_parse(registry_record(sdgs="SDG3, SDG4"), path="p", source_file="r.json",
                            data_date=date(2026, 7, 13))
    assert [sdg.sdg for sdg in record.sdgs] == [3, 4]
    assert {"kind": "sdgs-from-text", "field": "sdgs", "detail": "'SDG3, SDG4' read as 2 SDG(s)"} in _log(record)["repairs"]
    assert record.indicators["1"].status == "declared"
    nominee = document_parse({"name": "N", "SDGs": "1,3", "license": "MIT", "stage": "nominee"},
                             path="p", folder="nominees", stem="n", file_name="n.json").records[0]
    assert [sdg.sdg for sdg in nominee.sdgs] == [1, 3]
    assert [lic.expression for lic in nominee.licences] == ["MIT"]
    kinds = {item["kind"] for item in _log(nominee)["repairs"]}
    assert {"string-to-list", "sdgs-from-text", "licence-from-text"} <= kinds


def test_values_of_the_wrong_type_that_cannot_be_read_are_reported_not_dropped_silently():
    record = registry_parse(registry_record(sdgs=True, openlicenses=[7], repositories=[["x"]], locations="Kenya"),
                            path="p", source_file="r.json", data_date=date(2026, 7, 13))
    unmapped = {item["field"]: item["reason"] for item in _log(record)["unmapped"]}
    assert unmapped["sdgs"] == "not an object with sdg and relevance; left out"
    assert unmapped["openlicenses[0]"] == "not an object with an openLicense; left out"
    assert unmapped["repositories[0]"] == "not an object with a url; left out"
    assert unmapped["locations"] == "not an object; left out"
    nominee = document_parse({"name": "N", "SDGs": [{"SDGNumber": 2}, None, "x"], "stage": "nominee"},
                             path="p", folder="nominees", stem="n", file_name="n.json").records[0]
    assert [sdg.sdg for sdg in nominee.sdgs] == [2]
    fields = [item["field"] for item in _log(nominee)["unmapped"]]
    assert "SDGs[1]" in fields and "SDGs[2][0]" in fields


def test_review_keeps_no_reviewer_handle():
    data = {"license": {"answer": True, "comment": "", "confidence": "5"},
            "SDG[0]": {"answer": True, "comment": "", "confidence": 4},
            "SDG[1]": {"answer": False, "comment": "not really", "confidence": 2},
            "user": "someone42", "timestamp": 1633978455}
    record = review_parse(data, path="p", folder="reviews", stem="Good Name_someone42")
    assert record.review_good_name == "Good Name"
    assert record.source_key == f"dpga-candidates:reviews/Good Name_{reviewer_hash('someone42')}"
    assert "someone42" not in json.dumps([record.source_key, record.source_file, record.record_sha256,
                                           [v.__dict__ for v in record.indicators.values()]])
    assert record.indicators["2"].status == "pass" and record.indicators["2"].confidence == 5
    assert record.indicators["1"].status == "fail" and record.indicators["1"].confidence == 2
    assert record.reviewed_on == date(2021, 10, 11)
    dashed = review_parse({**data, "user": "bob"}, path="p", folder="reviews", stem="OpenG2P-bob")
    assert dashed.review_good_name == "OpenG2P"


# --- matching ---------------------------------------------------------------------------------

def _nominee(stem, name, repo="", folder="nominees", website=""):
    data = {"name": name, "description": "d", "license": [{"spdx": "MIT", "licenseURL": ""}],
            "SDGs": [{"SDGNumber": 1}], "type": ["software"], "organizations": [], "stage": "nominee",
            "website": website, "repositories": [{"name": "main", "url": repo}] if repo else []}
    return document_parse(data, path="p", folder=folder, stem=stem, file_name=f"{stem}.json").records[0]


def _registry(app_id, name, repo="", website=""):
    data = registry_record(id=app_id, dpgid=f"G{app_id}", name=name, website=website,
                           repositories=[{"name": "main", "url": repo}] if repo else [])
    return registry_parse(data, path="p", source_file="r.json", data_date=date(2026, 7, 13))


def test_normalisers():
    assert url_normalise("https://www.GitHub.com/Org/Repo.git/") == "github.com/org/repo"
    assert name_normalise("GLOBALEAKS") == name_normalise("GlobaLeaks") == "globaleaks"


def test_matching_merges_across_shapes_by_repository_then_name():
    records = [
        _nominee("alpha", "Alpha", "https://github.com/x/alpha"),
        _nominee("alpha", "Alpha", folder="archive"),
        _nominee("beta", "Beta Tool"),
        _registry("1", "Alpha Renamed", "http://github.com/X/alpha/"),
        _registry("2", "beta tool"),
        _registry("3", "Gamma"),
    ]
    groups, report = records_group(records, [])
    keys = sorted(sorted(r.source_key for r in g.records) for g in groups)
    assert keys == [
        ["dpga-candidates:archive/alpha", "dpga-candidates:nominees/alpha", "dpga-registry:1"],
        ["dpga-candidates:nominees/beta", "dpga-registry:2"],
        ["dpga-registry:3"],
    ]
    assert sorted(e["detail"] for e in report if e["kind"] == "merged") == [
        "same good as legacy-slug:alpha (by repository)", "same good as legacy-slug:beta (by name)"]


def test_matching_reports_ambiguity_and_never_merges_two_goods_of_one_set():
    records = [
        _nominee("one", "One", "https://github.com/x/shared"),
        _nominee("two", "Two", "https://github.com/x/shared"),
        _registry("7", "Seven", "https://github.com/x/shared"),
        _registry("8", "Two"),
        _registry("9", "Two", website="https://two.example"),
    ]
    groups, report = records_group(records, [])
    assert len(groups) == 4  # one, two(+8), 7, 9
    kinds = sorted(e["kind"] for e in report)
    assert kinds == ["ambiguous-match", "ambiguous-match", "merged", "possible-duplicate"]
    merged = next(g for g in groups if any(r.source_key == "dpga-registry:8" for r in g.records))
    assert sorted(r.source_key for r in merged.records) == ["dpga-candidates:nominees/two", "dpga-registry:8"]


def test_matching_uses_stored_goods_by_external_id_first():
    stored = [GoodKeys(ref=41, external_ids={("legacy-slug", "alpha")}),
              GoodKeys(ref=42, external_ids={("legacy-slug", "beta")}, names={"betatool"})]
    groups, _ = records_group([_nominee("alpha", "Other Name"), _registry("5", "Beta Tool")], stored)
    assert sorted((g.key, g.good_ref) for g in groups) == [("dpga-registry:5", 42), ("legacy-slug:alpha", 41)]


def test_reviews_match_by_name_and_report_the_rest():
    reviews = [review_parse({"license": {"answer": True}, "user": "u"}, path="p", folder="reviews", stem=f"{n}_u")
               for n in ("Beta Tool", "Nobody")]
    refs, report = reviews_match(reviews, [GoodKeys(ref=1, names={"betatool"})])
    assert list(refs.values()) == [1]
    assert [e["kind"] for e in report] == ["review-unmatched"]


_RELEVANCE_PIECES = st.sampled_from(
    [",", " ", "\t", "\n", "\u2003", "&#013;", "&#13;", "&#0013;", "&#010;", "&#10;", "x", ",,", "&#", "&", "13;",
     "a b", "&#013; &#010;", ", &#013;\n&#010;"])


@settings(max_examples=500, deadline=None)
@given(text=st.lists(_RELEVANCE_PIECES, max_size=14).map("".join))
def test_relevance_split_by_hand_is_the_regular_expression_split(text):
    from dpghub.core.formats.dpga.parse import _RELEVANCE_SPLIT, _relevance_split

    assert _relevance_split(text) == _RELEVANCE_SPLIT.split(text)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["http://a.b", "https://x.org/p.", " ", ",", "see ", "://", "ftp://c", "(", ")",
                                      "http://", "https://x.org/p."]), max_size=8).map("".join))
def test_first_url_is_the_first_of_all_urls(text):
    from dpghub.core.formats.dpga.repairs import url_first, urls_in

    assert url_first(text) == (urls_in(text) or [""])[0]


def test_records_pickle_as_plain_values_and_come_back_equal():
    records = [record for path in files_find([Path(__file__).resolve().parents[3] / "src" / "dpghub" / "data" / "dpga"])
               for record in file_parse(path).records]
    assert {record.shape for record in records} == {SHAPE_NOMINEE, SHAPE_REGISTRY, SHAPE_REVIEW, SHAPE_SCREENING}
    for record in records:
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        assert b"IndicatorValue" not in data and b"Repair" not in data  # tuples, not the objects' dicts
        assert pickle.loads(data) == record  # noqa: S301 - bytes pickled just above; every field compared
