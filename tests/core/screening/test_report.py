"""The JSON report: schema validity, exact round trips (examples and Hypothesis), Markdown, evidence URLs."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpghub.core.screening import Report, screen
from dpghub.core.screening.engine import url_maker
from dpghub.core.screening.fetch import Source
from dpghub.core.screening.render import to_markdown
from dpghub.core.screening.report import (
    ATTESTED,
    INDICATORS,
    Evidence,
    Finding,
    LicenseFound,
    Licenses,
    LimitNote,
    Signal,
    SignalStatus,
    Status,
    load_schema,
)
from tests.core.screening.helpers import MIT, make_repo

VALIDATOR = jsonschema.Draft202012Validator(load_schema(), format_checker=jsonschema.FormatChecker())


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(load_schema())
    assert load_schema()["$id"].endswith("/report-1.json")


@pytest.fixture
def report(tmp_path):
    repo = make_repo(tmp_path / "r", {"LICENSE": MIT, "README.md": "# Tool | with a pipe\n\n## Install\n"})
    return screen(str(repo))


def test_real_report_validates_and_round_trips(report):
    data = json.loads(report.dumps())
    VALIDATOR.validate(data)
    assert data["schema_version"] == "1.0" and data["tool"] == "dpghub"
    assert [f["indicator"] for f in data["findings"]] == list(INDICATORS)
    assert Report.from_json(data) == report
    assert Report.from_json(report.dumps()).to_json() == data


def test_schema_rejects_met_for_attested_indicators(report):
    data = json.loads(report.dumps())
    data["findings"][7]["status"] = "met"  # indicator 8
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)


def test_unknown_major_version_is_refused(report):
    data = report.to_json()
    data["schema_version"] = "2.0"
    with pytest.raises(ValueError, match="unsupported report schema version"):
        Report.from_json(data)


def test_markdown(report):
    text = to_markdown(report)
    assert text.startswith(f"# DPG screening of {report.source}\n")
    assert "| 2. Use of approved open licences | **met** | The project is licensed MIT, an approved licence for " \
           "Open Software. |" in text
    assert "| 7. Adherence to privacy and applicable laws | **not found** |" in text
    assert "- Root expression: `MIT` (approved for Open Software)" in text
    assert "### 3. Clear ownership\n- `LICENSE` line 3: Copyright (c) 2024 Example Foundation" in text
    assert "| binary artifacts | ok | No executable binary artefacts are committed. |" in text


def test_evidence_links_for_github_and_gitlab():
    sha = "a" * 40
    github = url_maker(Source("url", "https://github.com/org/repo.git", "https://github.com/org/repo.git"), sha)
    assert github("docs/read me.md", 7) == f"https://github.com/org/repo/blob/{sha}/docs/read%20me.md#L7"
    gitlab = url_maker(Source("url", "https://gitlab.com/g/sub/repo", "https://gitlab.com/g/sub/repo"), sha)
    assert gitlab("README.md", None) == f"https://gitlab.com/g/sub/repo/-/blob/{sha}/README.md"
    assert url_maker(Source("worktree", "/x", "/x"), sha)("README.md", 1) is None


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
short = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
code = st.from_regex(r"\A[a-z0-9_]{1,10}\.[a-z0-9_]{1,12}\Z")
evidence = st.builds(Evidence, path=st.none() | text, line=st.none() | st.integers(1, 10**6),
                     url=st.none() | st.just("https://example.org/x"), excerpt=st.none() | short)
json_value = st.recursive(st.none() | st.booleans() | st.integers(-10**9, 10**9) | text,
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                          max_leaves=6)


@st.composite
def findings(draw):
    result = []
    for indicator in INDICATORS:
        choices = [s for s in Status if not (indicator in ATTESTED and s is Status.MET)]
        result.append(Finding(indicator, draw(st.sampled_from(choices)), draw(code), draw(text.filter(bool)),
                              draw(st.lists(evidence, max_size=3)), draw(st.dictionaries(text, json_value,
                                                                                         max_size=3))))
    return result


signals = st.builds(Signal, id=st.sampled_from(["binary_artifacts", "bus_factor", "last_commit"]),
                    status=st.sampled_from(list(SignalStatus)), code=code, explanation=text,
                    value=st.none() | st.integers(0, 100) | text | st.booleans(), evidence=st.lists(evidence, max_size=2))
licenses = st.builds(Licenses, available=st.booleans(), root_expression=st.none() | text,
                     approval=st.sampled_from([None, "approved", "not-approved", "unknown"]),
                     approval_reasons=st.lists(text, max_size=2), expressions=st.lists(text, max_size=2),
                     conflicts=st.lists(text, max_size=2), declared=st.lists(text, max_size=2),
                     evidence=st.lists(st.builds(LicenseFound, expression=text,
                                                 kind=st.sampled_from(["license-file", "spdx-tag", "manifest",
                                                                       "readme"]),
                                                 path=st.none() | text, line=st.none() | st.integers(1, 999),
                                                 confidence=st.none() | st.floats(0, 1),
                                                 method=st.none() | text), max_size=2))
reports = st.builds(
    Report, tool_version=st.just("0.1.0"), source=text, source_kind=st.sampled_from(["worktree", "bare", "plain", "url"]),
    commit=st.none() | st.from_regex(r"\A[0-9a-f]{40}\Z"), screened_at=st.just("2026-01-02T03:04:05Z"),
    duration_ms=st.integers(0, 10**7), category=st.sampled_from(["Open Software", "Open Data"]),
    files_seen=st.integers(0, 10**6), bytes_read=st.integers(0, 10**10), findings=findings(), licenses=licenses,
    health=st.lists(signals, max_size=3), limits_hit=st.lists(st.builds(LimitNote, text, text, st.none() | text),
                                                              max_size=2),
    limits=st.dictionaries(st.sampled_from(["max_files", "git_timeout"]), st.integers(0, 10**6)))


@settings(max_examples=25, deadline=None)
@given(reports)
def test_any_report_round_trips_through_json(generated):
    data = json.loads(json.dumps(generated.to_json()))
    VALIDATOR.validate(data)
    assert Report.from_json(data) == generated
