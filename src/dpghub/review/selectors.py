"""Reads of the review workflow, aware of who looks.

- Everyone sees a submitted application's public fields: state, good and organisation, the Standard version,
  dates, and the decision with its reasons per indicator. Drafts (and drafts archived) are seen only by the
  organisation, reviewers and the secretariat.
- The applying organisation also sees its answers, its clarifications and the verdicts' public notes.
- Reviewers, experts and the secretariat (never a member of the applying organisation) also see who is
  assigned, the notes for reviewers only, and the expert's advice.
Queues and backlog figures run a fixed number of queries whatever the number of applications.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from dpghub.common.authz import actor_may, person_platform_roles, platform_role_holders
from dpghub.common.history import Actor
from dpghub.orgs.enums import MembershipStatus
from dpghub.review.enums import ApplicationState, Level
from dpghub.review.errors import ApplicationNotFound, InvalidApplication, ReviewPermissionDenied
from dpghub.review.links import links_view
from dpghub.review.models import Application, Assignment, Decision, DecisionLogEntry
from dpghub.review.rules import LEVEL_ROLES, REVIEW_RULES
from dpghub.review.services import ACTION_RULES, application_name
from dpghub.review.workflow import OPEN_STATES, allowed_actions, state_level

S = ApplicationState
#: Applications only their organisation, reviewers and the secretariat see.
PRIVATE_STATES = (S.DRAFT, S.ARCHIVED)
#: The state each queue holds.
QUEUE_STATES = {Level.FIRST: S.LEVEL_1, Level.SECOND: S.LEVEL_2, Level.EXPERT: S.CONSULTATION}
#: Who an application in each open state waits for.
WAITING_ON = {S.DRAFT: "applicant", S.CLARIFICATION_1: "applicant", S.CLARIFICATION_2: "applicant",
              S.LEVEL_1: "reviewer-l1", S.LEVEL_2: "reviewer-l2", S.CONSULTATION: "expert"}


def _may(rule: str, viewer: Any, obj: Any = None) -> bool:
    return actor_may(REVIEW_RULES, rule, actor=Actor.from_user(viewer), obj=obj, write=False)


def application_get(*, viewer: Any, application_id: int) -> Application:
    """The application, or ApplicationNotFound when it does not exist or the viewer may not know of it."""
    application = (Application.objects.select_related("organisation", "good", "decision")
                   .filter(pk=application_id).first())
    if application is None or (application.state in PRIVATE_STATES
                               and not _may("review.view_application", viewer, application)):
        raise ApplicationNotFound()
    return application


def _decision(application: Application) -> dict[str, Any] | None:
    try:
        decision = application.decision
    except Decision.DoesNotExist:
        return None
    return {"outcome": decision.outcome, "decided_on": decision.decided_on, "recognised_on": decision.recognised_on,
            "expires_on": decision.expires_on, "automatic": decision.automatic, "reasons": decision.reasons}


def application_view(*, viewer: Any, application: Application) -> dict[str, Any]:
    """What ``viewer`` may see of an application, as plain data (the API and the pages render it)."""
    state = S(application.state)
    view: dict[str, Any] = {
        "id": application.pk,
        "state": state.value,
        "state_label": str(state.label),
        "good": application.good.slug if application.good_id else None,
        "name": application_name(application),
        "organisation": {"id": application.organisation.slug, "name": application.organisation.name},
        "standard_version": application.standard_version,
        "renews": application.parent_id,
        "created_on": application.created_on,
        "submitted_on": application.submitted_on,
        "state_since": application.state_since,
        "decided_on": application.decided_on,
        "expires_on": application.expires_on,
        "decision": _decision(application),
        "actions": [action.value for action in allowed_actions(state)
                    if viewer is not None and _may(ACTION_RULES[action], viewer, application)],
    }
    is_applicant = _may("review.change_application", viewer, application)
    is_reviewer = _may("review.view_review", viewer, application)
    if not (is_applicant or is_reviewer):
        return view
    view["version"] = application.version
    view["answers"] = application.answers
    view["links"] = links_view(application)  # evidence links as last checked: warnings for the people working on it
    view["clarifications"] = [
        {"id": c.pk, "level": c.level, "indicators": c.indicators, "question": c.question, "answer": c.answer,
         "deadline_days": c.deadline_days, "asked_on": c.asked_on, "due_on": c.due_on, "answered_on": c.answered_on}
        for c in application.clarifications.all()]
    verdicts = list(application.verdicts.all())
    view["verdicts"] = [
        {"level": v.level, "indicator": v.indicator, "verdict": v.verdict, "notes": v.notes, "version": v.version,
         **({"private_notes": v.private_notes} if is_reviewer else {})}
        for v in verdicts]
    if is_reviewer:
        view["assignments"] = [{"level": a.level, "person": a.person.get_username(), "assigned_on": a.assigned_on}
                               for a in application.assignments.filter(is_active=True).select_related("person")]
        view["consultations"] = [
            {"id": c.pk, "indicators": c.indicators, "question": c.question, "advice": c.advice,
             "asked_on": c.asked_on, "answered_on": c.answered_on}
            for c in application.consultations.all()]
    return view


def reviewer_get(*, username: str) -> Any:
    """A person named in an assignment or a consultation; InvalidApplication when there is none."""
    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is None:
        raise InvalidApplication(_("No person “%(name)s”.") % {"name": username}, field="person")
    return person


def review_queue(*, viewer: Any, level: int, today: dt.date, limit: int = 100) -> list[dict[str, Any]]:
    """The applications waiting at ``level`` (oldest first) that the viewer may work on: people of that
    level (without their own organisations' applications) and the secretariat. Two queries."""
    level = Level(level)
    roles = person_platform_roles(viewer)
    if LEVEL_ROLES[level] not in roles and not _may("review.view_backlog", viewer):
        raise ReviewPermissionDenied(_("This queue is for reviewers of its level and the secretariat."))
    own = viewer.memberships.filter(status=MembershipStatus.ACTIVE).values("organisation_id")
    applications = (Application.objects.filter(state=QUEUE_STATES[level]).exclude(organisation_id__in=own)
                    .select_related("organisation", "good")
                    .prefetch_related(Prefetch("assignments", to_attr="current",
                                               queryset=Assignment.objects.filter(level=level, is_active=True)
                                               .select_related("person")))
                    .order_by("state_since", "pk")[:limit])
    return [{"id": a.pk, "name": application_name(a), "organisation": a.organisation.name,
             "standard_version": a.standard_version, "waiting_days": (today - a.state_since).days,
             "assignee": a.current[0].person.get_username() if a.current else None} for a in applications]


def _percentile(values: list[int], fraction: float) -> float | None:
    """Nearest-rank percentile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)])


def _net_days(application: Application, until: dt.date, *, since: dt.date | None = None) -> int:
    """Days from ``since`` (submission) to ``until``, less the time spent waiting for clarifications."""
    start = since or application.submitted_on or application.created_on
    return max((until - start).days - application.paused_days, 0)


#: How many open applications the detailed backlog lists (those longest in their state); the counts cover all.
BACKLOG_LISTED = 100


def backlog_figures(*, viewer: Any, today: dt.date, since: dt.date, detailed: bool = False,
                    limit: int = BACKLOG_LISTED) -> dict[str, Any]:
    """Queue sizes per state, whom the open applications wait on, and time to decision (median, 90th
    percentile, in days without the time waiting for clarifications) for decisions from ``since`` to
    ``today``. ``detailed`` (the secretariat only) adds the ``limit`` open applications longest in their
    state, with their age and whom they wait on (``open_total`` says how many are open). Four queries."""
    if detailed and not _may("review.view_backlog", viewer):
        raise ReviewPermissionDenied(_("The detailed backlog is for the secretariat."))
    counts = dict(Application.objects.values_list("state").annotate(n=Count("pk")).order_by())
    decided = list(Application.objects.filter(decided_on__gte=since, decided_on__lte=today,
                                              submitted_on__isnull=False)
                   .values_list("submitted_on", "decided_on", "paused_days"))
    durations = [max((decided_on - submitted).days - paused, 0) for submitted, decided_on, paused in decided]
    figures: dict[str, Any] = {
        "today": today, "since": since,
        "states": {state.value: counts.get(state.value, 0) for state in S},
        "decisions": len(durations),
        "days_to_decision_median": float(statistics.median(durations)) if durations else None,
        "days_to_decision_p90": _percentile(durations, 0.9),
        "waiting_on": {who: sum(counts.get(state.value, 0) for state, w in WAITING_ON.items() if w == who)
                       for who in dict.fromkeys(WAITING_ON.values())},
        "open_total": sum(counts.get(state.value, 0) for state in WAITING_ON),
    }
    if detailed:
        rows = (Application.objects.filter(state__in=(S.DRAFT, *OPEN_STATES))
                .select_related("organisation", "good")
                .prefetch_related(Prefetch("assignments", to_attr="current",
                                           queryset=Assignment.objects.filter(is_active=True)
                                           .select_related("person")))
                .order_by("state_since", "pk")[:limit])
        figures["applications"] = [{
            "id": a.pk, "name": application_name(a), "organisation": a.organisation.name, "state": a.state,
            "days_in_state": (today - a.state_since).days,
            "age_days": _net_days(a, today) if a.submitted_on else None,
            "waiting_on": WAITING_ON[S(a.state)],
            "assignee": next((x.person.get_username() for x in a.current
                              if x.level == {S.LEVEL_1: 1, S.LEVEL_2: 2, S.CONSULTATION: 3}.get(S(a.state))), None),
        } for a in rows]
    return figures


def applications_of_person(*, viewer: Any) -> list[Application]:
    """The applications of the organisations ``viewer`` acts for (an active member), newest first."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    own = viewer.memberships.filter(status=MembershipStatus.ACTIVE).values("organisation_id")
    return list(Application.objects.filter(organisation_id__in=own).select_related("organisation", "good")
                .order_by("-created_on", "-pk")[:500])


def assignable_people(*, viewer: Any, application: Application) -> list[Any]:
    """Whom the secretariat may give ``application`` to at its current level: the people of that level's role
    who do not act for the applying organisation. Empty for anyone but the secretariat."""
    level = state_level(S(application.state))
    if level is None or not _may("review.view_backlog", viewer, application):
        return []
    conflicted = set(application.organisation.memberships.filter(status=MembershipStatus.ACTIVE)
                     .values_list("person_id", flat=True))
    return sorted((p for p in platform_role_holders(LEVEL_ROLES[level]) if p.pk not in conflicted),
                  key=lambda p: p.get_username())


def decision_log_recent(*, limit: int = 100) -> list[dict[str, Any]]:
    """The newest entries of the public decision log (its payloads are public by construction)."""
    return [{"seq": e.seq, "hash": e.hash, "prev_hash": e.prev_hash, **e.payload}
            for e in DecisionLogEntry.objects.order_by("-seq")[:limit]]
