"""The nomination and review pages: the applicant's steps and pre-fill, the reviewers' queue and verdict forms
(with the conflict of two reviewers), the public pages, and who may see and do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dpghub.catalog.enums import Stage
from dpghub.catalog.models import Good
from dpghub.common.models import Activity
from dpghub.core.standard import INDICATOR_CODES
from dpghub.notifications.models import Notification
from dpghub.review import services
from dpghub.review.enums import ApplicationState as S
from dpghub.review.models import Application, IndicatorVerdict
from tests.core.screening.helpers import MIT, make_repo
from tests.review.conftest import ANSWERS, bring_to

pytestmark = pytest.mark.django_db


def _url(name: str, application: Application, **kwargs) -> str:
    return reverse(f"web:{name}", kwargs={"application_id": application.pk, **kwargs})


def _signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def local_repo(tmp_path, settings):
    """A local git repository with an MIT licence naming its copyright holder (no network)."""
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    repo = make_repo(tmp_path / "project", {"LICENSE": MIT, "README.md": "# Example\n\nLicensed under MIT.\n"})
    return f"file://{repo}"


# -- the applicant --------------------------------------------------------------------------------------

def test_nominating_a_new_good_saves_a_draft_at_every_step(client, review_world):
    client = _signed_in(client, review_world.people["member"])
    page = client.get(reverse("web:nominate"))
    assert page.status_code == 200 and "Ministry of Health" in page.content.decode()
    response = client.post(reverse("web:nominate"), {"organisation": "moh-ke", "proposed_name": "Open Clinic"})
    application = Application.objects.get(proposed_name="Open Clinic")
    assert application.state == S.DRAFT and application.organisation == review_world.org
    assert response.url == _url("application-step", application, code="1")

    step = client.get(response.url)
    assert "Indicator 1: Relevance to Sustainable Development Goals" in step.content.decode()
    response = client.post(response.url, {"text": "SDG 3", "links": "https://example.org/sdg3\n",
                                          "expected_version": application.version, "go": "next"})
    assert response.url == _url("application-step", application, code="2")
    application.refresh_from_db()
    assert application.answers["1"] == {"text": "SDG 3", "links": ["https://example.org/sdg3"], "suggested": False}
    # "Save and go back" saves too
    response = client.post(response.url, {"text": "MIT", "links": "", "expected_version": application.version,
                                          "go": "previous"})
    assert response.url == _url("application-step", application, code="1")
    application.refresh_from_db()
    assert application.answers["2"]["text"] == "MIT"
    mine = client.get(reverse("web:my-applications")).content.decode()
    assert "Open Clinic" in mine and "Draft" in mine


def test_nominating_a_registered_good_and_what_the_form_refuses(client, review_world):
    client = _signed_in(client, review_world.people["member"])
    response = client.post(reverse("web:nominate"), {"organisation": "moh-ke", "good": "no-such-good"})
    assert response.status_code == 400 and "No registered good “no-such-good”" in response.content.decode()
    response = client.post(reverse("web:nominate"), {"organisation": "open-foundation", "good": "open-health"})
    assert response.status_code == 400 and "Choose one of your organisations." in response.content.decode()
    assert not Application.objects.exists()
    client.post(reverse("web:nominate"), {"organisation": "moh-ke", "good": "open-health"})
    assert Application.objects.get().good == review_world.good
    response = client.post(reverse("web:nominate"), {"organisation": "moh-ke", "good": "open-health"})
    assert response.status_code == 400 and "already has an application in progress" in response.content.decode()
    assert Application.objects.count() == 1
    outsider = _signed_in(client, review_world.people["outsider"]).get(reverse("web:nominate")).content.decode()
    assert "Only a member of an organisation can nominate a good for it." in outsider


def test_a_stale_step_is_refused_and_says_so(client, review_world):
    application = bring_to(review_world, S.DRAFT)
    client = _signed_in(client, review_world.people["member"])
    seen = application.version
    services.application_answers_update(actor=review_world.actors["admin"], application=application,
                                        answers={"1": {"text": "by the admin"}}, expected_version=seen)
    response = client.post(_url("application-step", application, code="1"),
                           {"text": "mine", "links": "", "expected_version": seen, "go": "next"})
    assert response.status_code == 409
    assert "changed by someone else meanwhile" in response.content.decode()
    application.refresh_from_db()
    assert application.answers["1"]["text"] == "by the admin"


def test_a_repository_screening_suggests_answers_the_applicant_confirms(client, review_world, local_repo):
    client = _signed_in(client, review_world.people["member"])
    response = client.post(reverse("web:nominate"), {"organisation": "moh-ke", "proposed_name": "Open Clinic",
                                                     "repository_url": local_repo}, follow=True)
    application = Application.objects.get(proposed_name="Open Clinic")
    assert "suggests answers for indicators 2, 3" in response.content.decode()
    assert application.answers["2"]["suggested"] is True
    assert "MIT" in application.answers["2"]["text"] and "LICENSE:1" in application.answers["2"]["text"]
    assert application.answers["3"]["suggested"] is True and "Example Foundation" in application.answers["3"]["text"]
    assert "1" not in application.answers  # needs a human: nothing suggested
    step = client.get(_url("application-step", application, code="2")).content.decode()
    assert "This answer is a suggestion from the automated screening" in step

    # every indicator answered, but 2 and 3 still suggestions: submitting is refused and changes nothing
    services.application_answers_update(
        actor=review_world.actors["member"], application=application, expected_version=application.version,
        answers={code: ANSWERS[code] for code in INDICATOR_CODES if code not in ("2", "3")})
    page = client.get(_url("application", application)).content.decode()
    assert "Suggested by the screening and not confirmed yet: 2, 3." in page
    response = client.post(_url("application-action", application, action="submit"), follow=True)
    assert "Confirm or correct every answer suggested by the screening" in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == S.DRAFT
    for code in ("2", "3"):
        application.refresh_from_db()
        client.post(_url("application-step", application, code=code),
                    {"text": application.answers[code]["text"], "links": "", "expected_version": application.version,
                     "go": "stay"})
    client.post(_url("application-action", application, action="submit"))
    assert Application.objects.get(pk=application.pk).state == S.LEVEL_1


def test_a_repository_that_cannot_be_screened_still_leaves_the_draft(client, review_world, settings):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = False
    client = _signed_in(client, review_world.people["member"])
    response = client.post(reverse("web:nominate"), {"organisation": "moh-ke", "proposed_name": "Open Clinic",
                                                     "repository_url": "file:///nowhere"}, follow=True)
    assert "No answers were suggested" in response.content.decode()
    assert Application.objects.get(proposed_name="Open Clinic").answers == {}


def test_the_applicant_answers_a_clarification_and_may_withdraw(client, review_world):
    application = bring_to(review_world, S.CLARIFICATION_1)
    client = _signed_in(client, review_world.people["member"])
    page = client.get(_url("application", application)).content.decode()
    assert "Which licence?" in page and "Answer by" in page
    client.post(_url("application-action", application, action="answer-clarification"), {"answer": "MIT"})
    application.refresh_from_db()
    assert application.state == S.LEVEL_1 and application.clarifications.get().answer == "MIT"
    client.post(_url("application-action", application, action="withdraw"))
    assert Application.objects.get(pk=application.pk).state == S.WITHDRAWN


# -- reviewers ------------------------------------------------------------------------------------------

def test_a_first_level_reviewer_takes_passes_and_forwards_from_the_queue(client, review_world):
    application = bring_to(review_world, S.LEVEL_1, today=dt.date.today() - dt.timedelta(days=4))
    client = _signed_in(client, review_world.people["l1"])
    queue = client.get(reverse("web:review-queue", kwargs={"level": 1})).content.decode()
    assert "Open Health" in queue and "4 days" in queue and "Assign to me" in queue
    client.post(_url("application-action", application, action="assign"))
    assert application.assignments.get(is_active=True).person == review_world.people["l1"]
    page = client.get(_url("application-review", application)).content.decode()
    assert "Evidence for 9c" in page and "Save the verdict on indicator 9c" in page
    response = client.post(_url("verdict-save", application, code="2"),
                           {"verdict": "pass", "notes": "MIT", "private_notes": "checked the file",
                            "expected_version": "0"})
    assert response.status_code == 302
    verdict = IndicatorVerdict.objects.get(application=application, indicator="2")
    assert (verdict.level, verdict.verdict, verdict.private_notes) == (1, "pass", "checked the file")
    client.post(_url("application-action", application, action="forward"))
    assert Application.objects.get(pk=application.pk).state == S.LEVEL_2


def test_the_second_reviewer_saving_the_same_verdict_is_told_and_nothing_is_overwritten(client, review_world):
    application = bring_to(review_world, S.LEVEL_2)
    services.application_assign(actor=review_world.actors["l2"], application=application)
    client = _signed_in(client, review_world.people["l2"])
    form_version = 0  # both see the empty form; the other tab saves first
    services.verdict_set(actor=review_world.actors["l2"], application=application, indicator="4", verdict="fail",
                         notes="closed dependency", expected_version=0)
    response = client.post(_url("verdict-save", application, code="4"),
                           {"verdict": "pass", "notes": "all open", "private_notes": "",
                            "expected_version": form_version})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Another reviewer saved this verdict while you were writing yours" in page
    assert "closed dependency" in page and "all open" in page  # theirs shown, mine kept in the form
    verdict = IndicatorVerdict.objects.get(application=application, indicator="4")
    assert (verdict.verdict, verdict.notes, verdict.version) == ("fail", "closed dependency", 1)
    # the form now carries the current version: saving again replaces it, knowingly
    assert 'name="expected_version" value="1"' in page
    client.post(_url("verdict-save", application, code="4"),
                {"verdict": "pass", "notes": "all open", "private_notes": "", "expected_version": "1"})
    verdict.refresh_from_db()
    assert (verdict.verdict, verdict.version) == ("pass", 2)


def test_clarification_and_decision_from_the_review_page(client, review_world):
    application = bring_to(review_world, S.LEVEL_2)
    services.application_assign(actor=review_world.actors["l2"], application=application)
    client = _signed_in(client, review_world.people["l2"])
    client.post(_url("application-action", application, action="request-clarification"),
                {"question": "Who owns the trademark?", "indicators": ["3"], "days": "45"})
    application.refresh_from_db()
    clarification = application.clarifications.get()
    assert application.state == S.CLARIFICATION_2 and clarification.deadline_days == 45
    assert clarification.due_on == clarification.asked_on + dt.timedelta(days=45)
    services.clarification_answer(actor=review_world.actors["member"], application=application, answer="We do")
    for code in INDICATOR_CODES:
        client.post(_url("verdict-save", application, code=code),
                    {"verdict": "pass", "notes": f"fine {code}", "private_notes": f"secret {code}",
                     "expected_version": "0"})
    client.post(_url("application-action", application, action="decide"),
                {"outcome": "dpg", "reason-2": "MIT is approved"})
    application.refresh_from_db()
    assert application.state == S.DPG and application.good.stage == Stage.DPG
    public = client.__class__().get(_url("application", application)).content.decode()
    assert "Recognised as a digital public good" in public and "MIT is approved" in public and "fine 3" in public
    assert "secret" not in public and "l2" not in public and "member@example.org" not in public


# -- the public -----------------------------------------------------------------------------------------

def test_public_pages_of_decisions_and_backlog(client, review_world):
    decided = bring_to(review_world, S.DPG)
    bring_to(review_world, S.LEVEL_1, good=Good.objects.create(slug="waiting", name="Waiting"))
    log = client.get(reverse("web:decisions")).content.decode()
    assert "Open Health" in log and reverse("api-v1:decisions") in log and decided.decision.outcome == "dpg"
    backlog = client.get(reverse("web:backlog")).content.decode()
    assert "Time to decision" in backlog and "a first-level reviewer" in backlog
    assert "The open applications waiting longest" not in backlog and "Waiting</a>" not in backlog
    secretariat = _signed_in(client, review_world.people["secretariat"])
    backlog = secretariat.get(reverse("web:backlog")).content.decode()
    assert "The open applications waiting longest" in backlog and "Waiting</a>" in backlog


# -- who may see and do what ----------------------------------------------------------------------------

def test_a_draft_is_hidden_from_others_and_the_review_page_from_the_applicant(client, review_world):
    draft = bring_to(review_world, S.DRAFT)
    assert client.get(_url("application", draft)).status_code == 404
    outsider = _signed_in(client, review_world.people["outsider"])
    for name, kwargs in (("application", {}), ("application-step", {"code": "1"}), ("application-review", {})):
        assert outsider.get(_url(name, draft, **kwargs)).status_code == 404, name
    submitted = bring_to(review_world, S.LEVEL_1, good=Good.objects.create(slug="other", name="Other"))
    assert client.get(_url("application", submitted)).status_code == 200  # public once submitted
    member = _signed_in(client, review_world.people["member"])
    assert member.get(_url("application-review", submitted)).status_code == 404
    conflicted = _signed_in(client, review_world.people["conflicted"])  # a reviewer of the applying organisation
    assert conflicted.get(_url("application-review", submitted)).status_code == 404
    assert "Other" not in conflicted.get(reverse("web:review-queue", kwargs={"level": 1})).content.decode()


@pytest.mark.parametrize(("who", "action", "state", "data"), [
    ("outsider", "submit", S.DRAFT, {}),
    ("outsider", "withdraw", S.LEVEL_1, {}),
    ("member", "assign", S.LEVEL_1, {}),
    ("l2", "assign", S.LEVEL_1, {}),
    ("conflicted", "assign", S.LEVEL_1, {}),
    ("l1", "forward", S.LEVEL_1, {}),  # not assigned
    ("member", "decide", S.LEVEL_2, {"outcome": "dpg"}),
    ("l1", "request-clarification", S.LEVEL_2, {"question": "?", "days": "15"}),
    ("outsider", "answer-clarification", S.CLARIFICATION_1, {"answer": "x"}),
])
def test_a_refused_action_changes_nothing(client, review_world, who, action, state, data):
    application = bring_to(review_world, state)
    before = (application.state, application.version, Activity.objects.count(), Notification.objects.count())
    response = _signed_in(client, review_world.people[who]).post(
        _url("application-action", application, action=action), data)
    assert response.status_code in (403, 404)
    application.refresh_from_db()
    assert (application.state, application.version, Activity.objects.count(),
            Notification.objects.count()) == before


def test_a_verdict_by_someone_not_assigned_changes_nothing(client, review_world):
    application = bring_to(review_world, S.LEVEL_2)
    for who in ("l1", "member", "secretariat"):
        response = _signed_in(client, review_world.people[who]).post(
            _url("verdict-save", application, code="1"), {"verdict": "pass", "expected_version": "0"})
        assert response.status_code in (403, 404), who
    assert not IndicatorVerdict.objects.filter(application=application, level=2).exists()


def test_queues_are_for_their_level_and_the_secretariat(client, review_world):
    assert client.get(reverse("web:review-queue", kwargs={"level": 1})).status_code == 302  # sign in first
    assert _signed_in(client, review_world.people["member"]).get(
        reverse("web:review-queue", kwargs={"level": 1})).status_code == 403
    assert _signed_in(client, review_world.people["l1"]).get(
        reverse("web:review-queue", kwargs={"level": 2})).status_code == 403
    assert _signed_in(client, review_world.people["secretariat"]).get(
        reverse("web:review-queue", kwargs={"level": 2})).status_code == 200


def test_the_nav_shows_review_to_reviewers_and_nominate_to_signed_in_people(client, review_world):
    anonymous = client.get(reverse("web:goods-list")).content.decode()
    assert reverse("web:nominate") not in anonymous and reverse("web:review") not in anonymous
    member = _signed_in(client, review_world.people["member"]).get(reverse("web:goods-list")).content.decode()
    assert reverse("web:nominate") in member and f'href="{reverse("web:review")}"' not in member
    reviewer = _signed_in(client, review_world.people["l1"]).get(reverse("web:goods-list")).content.decode()
    assert f'href="{reverse("web:review")}"' in reviewer


# -- a fixed number of queries --------------------------------------------------------------------------

#: The queue page's queries: the session, the user, the viewer's memberships (a subquery of the queue), the
#: queue, its current assignments with their people, and the count of unread notifications for the nav.
QUEUE_PAGE_QUERIES = 6


def _queue_page(client):
    response = client.get(reverse("web:review-queue", kwargs={"level": 1}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_queue_page_runs_a_fixed_number_of_queries_whatever_its_size(client, review_world,
                                                                         django_assert_num_queries):
    client = _signed_in(client, review_world.people["l1"])
    first = bring_to(review_world, S.LEVEL_1)
    services.application_assign(actor=review_world.actors["l1"], application=first)
    with django_assert_num_queries(QUEUE_PAGE_QUERIES):
        page = _queue_page(client)
    assert page.count("<tr>") == 2  # the head and one application
    for number in range(12):
        application = bring_to(review_world, S.LEVEL_1,
                               good=Good.objects.create(slug=f"good-{number}", name=f"Good {number}"))
        if number % 2:
            services.application_assign(actor=review_world.actors["l1"], application=application)
    with django_assert_num_queries(QUEUE_PAGE_QUERIES):
        page = _queue_page(client)
    assert page.count("<tr>") == 14 and page.count("Assign to me</button>") == 6


def test_the_secretariat_assigns_someone_and_an_expert_advises_from_the_experts_queue(client, review_world):
    application = bring_to(review_world, S.LEVEL_1)
    secretariat = _signed_in(client, review_world.people["secretariat"])
    page = secretariat.get(_url("application-review", application)).content.decode()
    assert '<option value="l1">' in page and '<option value="conflicted">' not in page  # never the applicant's
    secretariat.post(_url("application-action", application, action="assign"), {"person": "l1"})
    assert application.assignments.get(is_active=True).person == review_world.people["l1"]

    application = bring_to(review_world, S.LEVEL_2, good=Good.objects.create(slug="second", name="Second"))
    services.application_assign(actor=review_world.actors["l2"], application=application)
    l2 = _signed_in(client, review_world.people["l2"])
    l2.post(_url("application-action", application, action="consult-expert"),
            {"question": "Is the moderation policy enough?", "indicators": ["9b"]})
    assert Application.objects.get(pk=application.pk).state == S.CONSULTATION
    expert = _signed_in(client, review_world.people["expert"])
    queue = expert.get(reverse("web:review-queue", kwargs={"level": 3})).content.decode()
    assert "Second" in queue
    expert.post(_url("application-action", application, action="assign"))
    page = expert.get(_url("application-review", application)).content.decode()
    assert "Is the moderation policy enough?" in page and "Give the advice" in page
    expert.post(_url("application-action", application, action="answer-consultation"), {"advice": "It is."})
    application.refresh_from_db()
    assert application.state == S.LEVEL_2 and application.consultations.get().advice == "It is."
    public = client.__class__().get(_url("application", application)).content.decode()
    assert "It is." not in public and "moderation policy" not in public


def test_an_action_goes_back_only_to_a_page_of_this_site(client, review_world):
    first = bring_to(review_world, S.LEVEL_1)
    client = _signed_in(client, review_world.people["l1"])
    response = client.post(_url("application-action", first, action="assign"), {"next": "https://evil.example/"})
    assert response.url == _url("application-review", first)
    second = bring_to(review_world, S.LEVEL_1, good=Good.objects.create(slug="second", name="Second"))
    response = client.post(_url("application-action", second, action="assign"),
                           {"next": reverse("web:review-queue", kwargs={"level": 1})})
    assert response.url == reverse("web:review-queue", kwargs={"level": 1})


def test_evidence_link_warnings_show_on_the_applicant_and_review_pages_with_their_date(client, review_world):
    from dpghub.review.enums import LinkStatus
    from dpghub.review.models import EvidenceLink

    application = bring_to(review_world, S.LEVEL_1)
    url = ANSWERS["4"]["links"][0]
    checked = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    EvidenceLink.objects.create(application=application, indicator="4", url=url, status=LinkStatus.UNREACHABLE,
                                http_status=404, detail="the server answered 404", checked_at=checked)
    EvidenceLink.objects.create(application=application, indicator="1", url=ANSWERS["1"]["links"][0],
                                status=LinkStatus.REACHABLE, http_status=200, checked_at=checked)
    warning = '<strong class="warning">Unreachable: the server answered 404 (checked March 2, 2026)</strong>'
    applicant = _signed_in(client, review_world.people["member"]).get(_url("application", application))
    assert warning in applicant.content.decode()
    assert applicant.content.decode().count('class="warning"') == 1  # the reachable link says nothing
    client.logout()
    reviewer = _signed_in(client, review_world.people["secretariat"]).get(_url("application-review", application))
    assert warning in reviewer.content.decode()
    client.logout()
    assert "the server answered 404" not in client.get(_url("application", application)).content.decode()


def test_the_detailed_backlog_lists_the_longest_waiting_and_counts_every_open_application(client, review_world):
    from dpghub.review.selectors import backlog_figures

    for days_ago in (30, 20, 10):
        bring_to(review_world, S.LEVEL_1, today=dt.date.today() - dt.timedelta(days=days_ago),
                 good=Good.objects.create(slug=f"g-{days_ago}", name=f"Good {days_ago}"))
    today = dt.date.today()
    figures = backlog_figures(viewer=review_world.people["secretariat"], today=today, since=today, detailed=True,
                              limit=2)
    assert figures["open_total"] == 3 and figures["waiting_on"]["reviewer-l1"] == 3
    assert [row["name"] for row in figures["applications"]] == ["Good 30", "Good 20"]  # longest first
    page = _signed_in(client, review_world.people["secretariat"]).get(reverse("web:backlog")).content.decode()
    assert "The 3 applications longest in their state, of 3 open." in page
