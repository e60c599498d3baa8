"""Answers suggested by a screening of the good's repository: what becomes a suggestion, what is never replaced,
who may ask for it, and that a suggestion must be confirmed before submitting."""

from __future__ import annotations

import pytest

from dpghub.common.models import Activity
from dpghub.core.standard import INDICATOR_CODES
from dpghub.review import services
from dpghub.review.enums import ApplicationState as S
from dpghub.review.errors import InvalidApplication, ReviewPermissionDenied, StaleVersion
from dpghub.review.models import Application
from dpghub.review.prefill import application_prefill_from_screening, suggestions_from_report
from tests.review.conftest import ANSWERS, DAY0, bring_to

REPORT = {"commit": "abc1234", "findings": [
    {"indicator": "1", "status": "needs_human", "explanation": "Needs a human.", "evidence": []},
    {"indicator": "2", "status": "met", "explanation": "Licensed MIT.",
     "evidence": [{"path": "LICENSE", "line": 1}, {"url": "https://example.org/LICENSE"}]},
    {"indicator": "3", "status": "likely_met", "explanation": "Example holds the copyright.",
     "evidence": [{"path": "NOTICE"}]},
    {"indicator": "4", "status": "failed", "explanation": "A closed dependency.", "evidence": []},
    {"indicator": "5", "status": "not_found", "explanation": "No documentation.", "evidence": []},
    {"indicator": "x", "status": "met", "explanation": "Not an indicator.", "evidence": []},
]}


class FakeReport:
    def to_json(self):
        return REPORT


def fake_screener(calls: list | None = None):
    def screener(url, *, category):
        if calls is not None:
            calls.append((url, category))
        return FakeReport()
    return screener


def test_met_likely_met_and_failed_findings_become_suggestions_with_their_evidence():
    suggestions = suggestions_from_report(REPORT)
    assert sorted(suggestions) == ["2", "3", "4"]
    assert suggestions["2"] == {"text": "Automated screening (met): Licensed MIT.\nFound in: LICENSE:1",
                                "links": ["https://example.org/LICENSE"], "suggested": True, "source": "screening"}
    assert suggestions["3"]["text"].startswith("Automated screening (likely met)")
    assert suggestions["4"]["text"] == "Automated screening (failed): A closed dependency."


def test_suggestions_fill_a_draft_but_never_replace_the_applicants_own_answers(review_world, settings):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    application = bring_to(review_world, S.DRAFT)
    application = services.application_answers_update(
        actor=review_world.actors["member"], application=application, expected_version=application.version,
        answers={"3": {"text": "Our foundation owns it."}})
    calls: list = []
    application, filled = application_prefill_from_screening(
        actor=review_world.actors["member"], application=application, repository_url="file:///repo",
        expected_version=application.version, today=DAY0, screener=fake_screener(calls))
    assert calls == [("file:///repo", "Open Software")]
    assert filled == ["2", "4"]
    stored = Application.objects.get(pk=application.pk).answers
    assert stored["3"] == {"text": "Our foundation owns it.", "links": [], "suggested": False}
    assert stored["2"]["suggested"] is True
    entry = Activity.objects.filter(action="review.application.answer").order_by("-id").first()
    assert entry.data == {"indicators": ["2", "4"], "screening": "file:///repo", "commit": "abc1234"}


def test_a_registered_goods_repository_is_screened_when_none_is_given(review_world, settings):
    from dpghub.catalog.models import Repository

    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    Repository.objects.create(good=review_world.good, url="file:///registered")
    application = bring_to(review_world, S.DRAFT)
    calls: list = []
    application_prefill_from_screening(actor=review_world.actors["member"], application=application,
                                       expected_version=application.version, screener=fake_screener(calls))
    assert calls[0][0] == "file:///registered"


@pytest.mark.parametrize("who", ["outsider", "admin_of_another", "l1", "secretariat", "anonymous"])
def test_only_the_applying_organisation_may_ask_and_a_refusal_changes_nothing(review_world, settings, who):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    application = bring_to(review_world, S.DRAFT)
    before = (application.version, Activity.objects.count())
    calls: list = []
    with pytest.raises(ReviewPermissionDenied):
        application_prefill_from_screening(actor=review_world.actors[who], application=application,
                                           repository_url="file:///repo", expected_version=application.version,
                                           screener=fake_screener(calls))
    assert calls == []  # not even screened
    application.refresh_from_db()
    assert (application.version, application.answers, Activity.objects.count()) == (before[0], {}, before[1])


def test_refused_after_submission_for_a_stale_version_and_for_a_refused_address(review_world, settings):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    member = review_world.actors["member"]
    submitted = bring_to(review_world, S.LEVEL_1)
    with pytest.raises(InvalidApplication):
        application_prefill_from_screening(actor=member, application=submitted, repository_url="file:///repo",
                                           expected_version=submitted.version, screener=fake_screener())
    from dpghub.catalog.models import Good

    draft = bring_to(review_world, S.DRAFT, good=Good.objects.create(slug="other", name="Other"))
    with pytest.raises(StaleVersion):
        application_prefill_from_screening(actor=member, application=draft, repository_url="file:///repo",
                                           expected_version=draft.version + 1, screener=fake_screener())
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = False
    with pytest.raises(InvalidApplication, match="https"):
        application_prefill_from_screening(actor=member, application=draft, repository_url="file:///repo",
                                           expected_version=draft.version, screener=fake_screener())
    with pytest.raises(InvalidApplication):
        application_prefill_from_screening(actor=member, application=draft, repository_url="",
                                           expected_version=draft.version, screener=fake_screener())
    assert Application.objects.get(pk=draft.pk).answers == {}


def test_a_screening_suggestion_must_be_confirmed_before_submitting(review_world, settings):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    member = review_world.actors["member"]
    application = bring_to(review_world, S.DRAFT)
    application, _ = application_prefill_from_screening(actor=member, application=application,
                                                        repository_url="file:///repo",
                                                        expected_version=application.version, screener=fake_screener())
    rest = {code: ANSWERS[code] for code in INDICATOR_CODES if code not in ("2", "3", "4")}
    application = services.application_answers_update(actor=member, application=application, answers=rest,
                                                      expected_version=application.version)
    with pytest.raises(InvalidApplication, match="not yet: 2, 3, 4"):
        services.application_submit(actor=member, application=application)
    assert Application.objects.get(pk=application.pk).state == S.DRAFT
    confirmed = {code: {"text": application.answers[code]["text"]} for code in ("2", "3", "4")}
    application = services.application_answers_update(actor=member, application=application, answers=confirmed,
                                                      expected_version=application.version)
    services.application_submit(actor=member, application=application)
    assert Application.objects.get(pk=application.pk).state == S.LEVEL_1
