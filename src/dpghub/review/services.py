"""Writes of the review workflow: one service per transition, ``entity_verb(*, actor, ...)``.

Each runs in one transaction: it locks the application, checks the actor may (review.rules) and the state
allows the action (review.workflow), writes, records one history row, and writes its notifications (e-mailed
after commit). A refusal raises before anything is written. Days come from ``today`` (a controllable
clock; the current local date when not given).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dpghub.catalog.enums import FieldOwner, Stage
from dpghub.catalog.models import Good
from dpghub.catalog.services.editing import good_fields_set
from dpghub.common.authz import actor_may, person_platform_roles
from dpghub.common.history import Actor, history_record
from dpghub.core.standard import INDICATOR_CODES, version_in_force
from dpghub.notifications.enums import NotificationKind
from dpghub.notifications.services import notify
from dpghub.orgs.enums import MembershipStatus
from dpghub.orgs.models import Membership, Organisation
from dpghub.review.decisions import decision_log_append
from dpghub.review.enums import (
    MET_VERDICTS,
    Action,
    ApplicationState,
    ClarificationDays,
    Level,
    Outcome,
    ReviewAction,
    Verdict,
)
from dpghub.review.errors import (
    DecisionNotReady,
    InvalidApplication,
    InvalidTransition,
    ReviewPermissionDenied,
    StaleVersion,
)
from dpghub.review.links import links_check_dispatch
from dpghub.review.models import (
    Application,
    Assignment,
    Clarification,
    Decision,
    ExpertConsultation,
    IndicatorVerdict,
)
from dpghub.review.rules import LEVEL_ROLES, REVIEW_RULES
from dpghub.review.workflow import OPEN_STATES, allowed_actions, application_next, state_level

S = ApplicationState

#: The rule each action needs (review.rules).
ACTION_RULES: dict[Action, str] = {
    Action.SUBMIT: "review.change_application",
    Action.ANSWER_CLARIFICATION: "review.change_application",
    Action.WITHDRAW: "review.withdraw_application",
    Action.ASSIGN: "review.assign_application",
    Action.VERDICT: "review.judge_application",
    Action.ANSWER_CONSULTATION: "review.judge_application",
    Action.FORWARD: "review.steer_application",
    Action.REQUEST_CLARIFICATION: "review.steer_application",
    Action.CONSULT_EXPERT: "review.steer_application",
    Action.DECIDE: "review.steer_application",
    Action.LAPSE: "review.schedule_application",
    Action.EXPIRE: "review.schedule_application",
    Action.ARCHIVE: "review.schedule_application",
}
_HISTORY: dict[Action, ReviewAction] = {
    Action.SUBMIT: ReviewAction.APPLICATION_SUBMIT,
    Action.ASSIGN: ReviewAction.APPLICATION_ASSIGN,
    Action.VERDICT: ReviewAction.APPLICATION_VERDICT,
    Action.FORWARD: ReviewAction.APPLICATION_FORWARD,
    Action.REQUEST_CLARIFICATION: ReviewAction.APPLICATION_CLARIFY,
    Action.ANSWER_CLARIFICATION: ReviewAction.APPLICATION_CLARIFIED,
    Action.CONSULT_EXPERT: ReviewAction.APPLICATION_CONSULT,
    Action.ANSWER_CONSULTATION: ReviewAction.APPLICATION_ADVISED,
    Action.DECIDE: ReviewAction.APPLICATION_DECIDE,
    Action.WITHDRAW: ReviewAction.APPLICATION_WITHDRAW,
    Action.LAPSE: ReviewAction.APPLICATION_LAPSE,
    Action.EXPIRE: ReviewAction.APPLICATION_EXPIRE,
    Action.ARCHIVE: ReviewAction.APPLICATION_ARCHIVE,
}
#: The ``source`` of an answer suggested by a screening (review.prefill): it must be confirmed before submitting.
SCREENING_SOURCE = "screening"
#: States in which the organisation may change its answers.
ANSWERABLE_STATES = (S.DRAFT, S.CLARIFICATION_1, S.CLARIFICATION_2)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def application_url(application: Application) -> str:
    return reverse("api-v1:application_detail", kwargs={"id": application.pk})


def application_name(application: Application) -> str:
    return application.good.name if application.good_id else application.proposed_name


def organisation_people(organisation: Organisation) -> list[Any]:
    """The active members of an organisation (who hear about its applications)."""
    return [m.person for m in Membership.objects.filter(organisation=organisation, status=MembershipStatus.ACTIVE)
            .select_related("person").order_by("person_id")]


def _require(action: Action, *, actor: Actor, application: Application) -> None:
    if not actor_may(REVIEW_RULES, ACTION_RULES[action], actor=actor, obj=application):
        raise ReviewPermissionDenied()


def _locked(application: Application) -> Application:
    return (Application.objects.select_for_update(of=("self",)).select_related("organisation", "good")
            .get(pk=application.pk))


def _refuse_transition(state: S, action: Action) -> InvalidTransition:
    return InvalidTransition(S(state).label, Action(action).label, [a.value for a in allowed_actions(S(state))])


def _begin(action: Action, *, actor: Actor, application: Application, outcome: S | None = None,
           ) -> tuple[Application, S, S]:
    """Lock, check permission then state: (the locked application, its state, the state after the action)."""
    application = _locked(application)
    _require(action, actor=actor, application=application)
    state = S(application.state)
    new_state = application_next(state, action, outcome)
    if new_state is None:
        raise _refuse_transition(state, action)
    return application, state, new_state


def _finish(application: Application, *, actor: Actor, action: Action, state: S, new_state: S, today: dt.date,
            data: Mapping[str, Any] | None = None, notice: tuple[str, str] | None = None) -> Application:
    """Save the move, record it, and tell the organisation (``notice``: subject and body)."""
    if new_state != state:
        application.state = new_state
        application.state_since = today
    application.version += 1
    application.save()
    history_record(actor=actor, action=_HISTORY[action], target=application,
                   changes={"state": {"before": state.value, "after": new_state.value}} if new_state != state else {},
                   data=dict(data or {}))
    if notice is not None:
        notify(people=[p for p in organisation_people(application.organisation) if p.pk != getattr(actor.user, "pk", None)],
               kind=NotificationKind.APPLICATION_CHANGED, subject=notice[0], body=notice[1],
               url=application_url(application))
    return application


def _moved_notice(application: Application, new_state: S) -> tuple[str, str]:
    name = application_name(application)
    return (_("Application for %(name)s: %(state)s") % {"name": name, "state": new_state.label},
            _("The application of %(org)s for %(name)s is now: %(state)s.")
            % {"org": application.organisation, "name": name, "state": new_state.label})


# ----- answers ---------------------------------------------------------------------------------------------

def _clean_answers(answers: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    if not isinstance(answers, Mapping):
        raise InvalidApplication(_("Answers are an object keyed by indicator code."), field="answers")
    cleaned = {}
    for code, answer in answers.items():
        if code not in INDICATOR_CODES:
            raise InvalidApplication(_("“%(code)s” is not an indicator of the Standard; use one of: %(codes)s.")
                                     % {"code": code, "codes": ", ".join(INDICATOR_CODES)}, field="answers")
        if not isinstance(answer, Mapping):
            raise InvalidApplication(_("The answer for indicator %(code)s must be an object.") % {"code": code},
                                     field="answers")
        text, links, suggested = answer.get("text", ""), answer.get("links", []), answer.get("suggested", False)
        if not isinstance(text, str) or not isinstance(links, list) or not all(isinstance(x, str) for x in links) \
                or not isinstance(suggested, bool):
            raise InvalidApplication(_("The answer for indicator %(code)s needs text (text), links (a list of "
                                       "addresses) and suggested (true or false).") % {"code": code}, field="answers")
        cleaned[code] = {"text": text.strip(), "links": [x.strip() for x in links if x.strip()], "suggested": suggested}
    return cleaned


def application_create_draft(
    *, actor: Actor, organisation: Organisation, good: Good | None = None, proposed_name: str = "",
    answers: Mapping[str, Any] | None = None, today: dt.date | None = None,
) -> Application:
    """A member of ``organisation`` starts an application for a registered good or a new one (its name)."""
    if not actor_may(REVIEW_RULES, "review.create_application", actor=actor, obj=organisation):
        raise ReviewPermissionDenied(_("Only a member of the organisation can apply for it."))
    today = _today(today)
    proposed_name = " ".join((proposed_name or "").split())
    if good is None and not proposed_name:
        raise InvalidApplication(_("Name the good: a registered one, or the name of a new one."), field="good")
    if good is not None:
        proposed_name = ""
    cleaned = _clean_answers(answers or {})
    with transaction.atomic():
        if good is not None and Application.objects.filter(good=good, state__in=(S.DRAFT, *OPEN_STATES)).exists():
            raise InvalidApplication(_("This good already has an application in progress."), field="good")
        application = Application.objects.create(
            good=good, proposed_name=proposed_name, organisation=organisation,
            standard_version=version_in_force(today).version, answers=cleaned, created_on=today,
            state_since=today, last_activity_on=today)
        history_record(actor=actor, action=ReviewAction.APPLICATION_CREATE, target=application,
                       changes={"state": {"before": None, "after": S.DRAFT.value}},
                       data={"organisation": organisation.pk, "good": good.pk if good else None,
                             "standard_version": application.standard_version})
    return application


def application_answers_update(
    *, actor: Actor, application: Application, answers: Mapping[str, Any], expected_version: int,
    today: dt.date | None = None,
) -> Application:
    """The organisation changes answers (given indicators only), if nobody saved since ``expected_version``."""
    today = _today(today)
    cleaned = _clean_answers(answers)
    with transaction.atomic():
        application = _locked(application)
        if not actor_may(REVIEW_RULES, "review.change_application", actor=actor, obj=application):
            raise ReviewPermissionDenied()
        if application.state not in ANSWERABLE_STATES:
            raise InvalidApplication(_("Answers can be changed only in a draft or while a clarification is open."),
                                     field="answers")
        if application.version != expected_version:
            raise StaleVersion(_("The application"), application.version)
        merged = {**application.answers, **cleaned}
        changed = sorted(code for code in cleaned if application.answers.get(code) != cleaned[code])
        links_changed = any(application.answers.get(code, {}).get("links") != cleaned[code]["links"] for code in cleaned)
        application.answers = merged
        application.last_activity_on, application.archive_notice_on = today, None
        application.version += 1
        application.save()
        history_record(actor=actor, action=ReviewAction.APPLICATION_ANSWER, target=application,
                       data={"indicators": changed})
        if links_changed:
            links_check_dispatch(application)
    return application


# ----- transitions -----------------------------------------------------------------------------------------

def application_submit(*, actor: Actor, application: Application, today: dt.date | None = None) -> Application:
    today = _today(today)
    with transaction.atomic():
        application, state, new_state = _begin(Action.SUBMIT, actor=actor, application=application)
        missing = [code for code in INDICATOR_CODES if not application.answers.get(code, {}).get("text")]
        if missing:
            raise InvalidApplication(_("Answer every indicator before submitting; missing: %(codes)s.")
                                     % {"codes": ", ".join(missing)}, field="answers")
        unconfirmed = [code for code in INDICATOR_CODES if application.answers.get(code, {}).get("suggested")
                       and application.answers[code].get("source") == SCREENING_SOURCE]
        if unconfirmed:
            raise InvalidApplication(_("Confirm or correct every answer suggested by the screening before "
                                       "submitting; not yet: %(codes)s.") % {"codes": ", ".join(unconfirmed)},
                                     field="answers")
        application.submitted_on = application.submitted_on or today
        application.last_activity_on = today
        links_check_dispatch(application)  # reviewers see the links as checked now, not as the draft had them
        return _finish(application, actor=actor, action=Action.SUBMIT, state=state, new_state=new_state,
                       today=today, notice=_moved_notice(application, new_state))


def application_assign(
    *, actor: Actor, application: Application, person: Any = None, today: dt.date | None = None,
) -> Assignment:
    """Give the application at its current level to ``person`` (the actor when not given: self-assignment).
    Only the secretariat assigns someone else; the person must work at that level and not act for the
    applying organisation."""
    today = _today(today)
    with transaction.atomic():
        application, state, new_state = _begin(Action.ASSIGN, actor=actor, application=application)
        person = person if person is not None else actor.user
        if person is None:
            raise InvalidApplication(_("Say whom to assign."), field="person")
        if getattr(actor.user, "pk", None) != person.pk and not actor_may(
                REVIEW_RULES, "review.view_backlog", actor=actor, obj=application):
            raise ReviewPermissionDenied(_("Only the secretariat assigns someone else."))
        level = state_level(state)
        if LEVEL_ROLES[level] not in person_platform_roles(person) or not person.is_active:
            raise InvalidApplication(_("This person does not review at this level."), field="person")
        if Membership.objects.filter(person=person, organisation_id=application.organisation_id,
                                     status=MembershipStatus.ACTIVE).exists():
            raise InvalidApplication(_("This person acts for the applying organisation and may not review it."),
                                     field="person")
        Assignment.objects.filter(application=application, level=level, is_active=True).update(is_active=False)
        assignment = Assignment.objects.create(application=application, level=level, person=person,
                                               assigned_on=today)
        _finish(application, actor=actor, action=Action.ASSIGN, state=state, new_state=new_state, today=today,
                data={"level": level, "assignment": assignment.pk})
        if getattr(actor.user, "pk", None) != person.pk:
            notify(people=[person], kind=NotificationKind.REVIEW_ASSIGNED,
                   subject=_("Application for %(name)s to review") % {"name": application_name(application)},
                   body=_("You were given the application of %(org)s for %(name)s (%(level)s).")
                   % {"org": application.organisation, "name": application_name(application),
                      "level": Level(level).label},
                   url=application_url(application))
    return assignment


def verdict_set(
    *, actor: Actor, application: Application, indicator: str, verdict: str, notes: str = "",
    private_notes: str = "", expected_version: int = 0, today: dt.date | None = None,
) -> IndicatorVerdict:
    """The assigned reviewer judges one indicator at the application's level. ``expected_version`` is the
    verdict's version the reviewer saw (0: none yet): if someone saved meanwhile, nothing is overwritten."""
    today = _today(today)
    if indicator not in INDICATOR_CODES:
        raise InvalidApplication(_("“%(code)s” is not an indicator of the Standard.") % {"code": indicator},
                                 field="indicator")
    if verdict not in Verdict.values:
        raise InvalidApplication(_("“%(value)s” is not a verdict; use one of: %(values)s.")
                                 % {"value": verdict, "values": ", ".join(Verdict.values)}, field="verdict")
    with transaction.atomic():
        application, state, new_state = _begin(Action.VERDICT, actor=actor, application=application)
        level = state_level(state)
        values = {"verdict": verdict, "notes": notes.strip(), "private_notes": private_notes.strip(),
                  "reviewer": actor.user, "updated_on": today}
        if expected_version == 0:
            try:
                with transaction.atomic():
                    row = IndicatorVerdict.objects.create(application=application, level=level, indicator=indicator,
                                                          version=1, **values)
            except IntegrityError:
                current = IndicatorVerdict.objects.get(application=application, level=level, indicator=indicator)
                raise StaleVersion(_("The verdict"), current.version) from None
            before = None
        else:
            rows = IndicatorVerdict.objects.filter(application=application, level=level, indicator=indicator)
            current = rows.first()
            before = current.verdict if current is not None else None
            if not rows.filter(version=expected_version).update(version=expected_version + 1, **values):
                raise StaleVersion(_("The verdict"), current.version if current is not None else 0)
            row = rows.get()
        _finish(application, actor=actor, action=Action.VERDICT, state=state, new_state=new_state, today=today,
                data={"level": level, "indicator": indicator, "verdict": {"before": before, "after": verdict}})
    return row


def application_forward(*, actor: Actor, application: Application, today: dt.date | None = None) -> Application:
    """First-level review is done: to the second level's queue."""
    today = _today(today)
    with transaction.atomic():
        application, state, new_state = _begin(Action.FORWARD, actor=actor, application=application)
        return _finish(application, actor=actor, action=Action.FORWARD, state=state, new_state=new_state,
                       today=today, notice=_moved_notice(application, new_state))


def clarification_request(
    *, actor: Actor, application: Application, question: str, days: int, indicators: list[str] | None = None,
    today: dt.date | None = None,
) -> Clarification:
    """Ask the organisation; it has 15, 30 or 45 days to answer, and the review clock stops meanwhile."""
    today = _today(today)
    if days not in ClarificationDays.values:
        raise InvalidApplication(_("The deadline is 15, 30 or 45 days."), field="days")
    indicators = sorted(set(indicators or []))
    if not set(indicators) <= set(INDICATOR_CODES):
        raise InvalidApplication(_("Unknown indicator in %(codes)s.") % {"codes": ", ".join(indicators)},
                                 field="indicators")
    if not (question or "").strip():
        raise InvalidApplication(_("Write the question."), field="question")
    with transaction.atomic():
        application, state, new_state = _begin(Action.REQUEST_CLARIFICATION, actor=actor, application=application)
        clarification = Clarification.objects.create(
            application=application, level=state_level(state), indicators=indicators, question=question.strip(),
            deadline_days=days, asked_on=today, due_on=today + dt.timedelta(days=days))
        name = application_name(application)
        _finish(application, actor=actor, action=Action.REQUEST_CLARIFICATION, state=state, new_state=new_state,
                today=today, data={"clarification": clarification.pk, "due_on": clarification.due_on},
                notice=(_("Application for %(name)s: a clarification is requested") % {"name": name},
                        _("The reviewers of the application for %(name)s ask: %(question)s\n\nAnswer by %(due)s, or "
                          "the application becomes ineligible.")
                        % {"name": name, "question": clarification.question, "due": clarification.due_on}))
    return clarification


def clarification_answer(*, actor: Actor, application: Application, answer: str,
                         today: dt.date | None = None) -> Clarification:
    """The organisation answers the open clarification; the review resumes at its level."""
    today = _today(today)
    if not (answer or "").strip():
        raise InvalidApplication(_("Write the answer."), field="answer")
    with transaction.atomic():
        application, state, new_state = _begin(Action.ANSWER_CLARIFICATION, actor=actor, application=application)
        clarification = application.clarifications.filter(answered_on__isnull=True, lapsed_on__isnull=True).last()
        clarification.answer, clarification.answered_on = answer.strip(), today
        clarification.save()
        application.paused_days += (today - clarification.asked_on).days
        application.last_activity_on, application.archive_notice_on = today, None
        _finish(application, actor=actor, action=Action.ANSWER_CLARIFICATION, state=state, new_state=new_state,
                today=today, data={"clarification": clarification.pk})
    return clarification


def expert_consult(
    *, actor: Actor, application: Application, question: str, indicators: list[str] | None = None,
    expert: Any = None, today: dt.date | None = None,
) -> ExpertConsultation:
    """The second level asks an expert (named now, or self-assigned later from the experts' queue)."""
    today = _today(today)
    if not (question or "").strip():
        raise InvalidApplication(_("Write the question."), field="question")
    indicators = sorted(set(indicators or []))
    if not set(indicators) <= set(INDICATOR_CODES):
        raise InvalidApplication(_("Unknown indicator in %(codes)s.") % {"codes": ", ".join(indicators)},
                                 field="indicators")
    with transaction.atomic():
        application, state, new_state = _begin(Action.CONSULT_EXPERT, actor=actor, application=application)
        if expert is not None:
            if LEVEL_ROLES[Level.EXPERT] not in person_platform_roles(expert) or Membership.objects.filter(
                    person=expert, organisation_id=application.organisation_id,
                    status=MembershipStatus.ACTIVE).exists():
                raise InvalidApplication(_("This person cannot be consulted as an expert on this application."),
                                         field="expert")
        consultation = ExpertConsultation.objects.create(application=application, indicators=indicators,
                                                         question=question.strip(), asked_on=today, expert=expert)
        Assignment.objects.filter(application=application, level=Level.EXPERT, is_active=True).update(is_active=False)
        if expert is not None:
            Assignment.objects.create(application=application, level=Level.EXPERT, person=expert, assigned_on=today)
            notify(people=[expert], kind=NotificationKind.REVIEW_ASSIGNED,
                   subject=_("Your advice on %(name)s") % {"name": application_name(application)},
                   body=_("The second-level reviewers ask: %(question)s") % {"question": consultation.question},
                   url=application_url(application))
        _finish(application, actor=actor, action=Action.CONSULT_EXPERT, state=state, new_state=new_state,
                today=today, data={"consultation": consultation.pk})
    return consultation


def consultation_answer(*, actor: Actor, application: Application, advice: str,
                        today: dt.date | None = None) -> ExpertConsultation:
    """The assigned expert advises (for reviewers only); the application goes back to the second level."""
    today = _today(today)
    if not (advice or "").strip():
        raise InvalidApplication(_("Write the advice."), field="advice")
    with transaction.atomic():
        application, state, new_state = _begin(Action.ANSWER_CONSULTATION, actor=actor, application=application)
        consultation = application.consultations.filter(answered_on__isnull=True).last()
        consultation.advice, consultation.answered_on, consultation.expert = advice.strip(), today, actor.user
        consultation.save()
        _finish(application, actor=actor, action=Action.ANSWER_CONSULTATION, state=state, new_state=new_state,
                today=today, data={"consultation": consultation.pk})
    return consultation


def _decision_payload(application: Application, decision: Decision) -> dict[str, Any]:
    """What the public log says of a decision: public fields only."""
    return {
        "application": application.pk,
        "good": application.good.slug if application.good_id else None,
        "name": application_name(application),
        "organisation": application.organisation.slug,
        "standard_version": application.standard_version,
        "outcome": decision.outcome,
        "automatic": decision.automatic,
        "decided_on": decision.decided_on.isoformat(),
        "recognised_on": decision.recognised_on.isoformat() if decision.recognised_on else None,
        "expires_on": decision.expires_on.isoformat() if decision.expires_on else None,
        "reasons": decision.reasons,
        "renews": application.parent_id,
    }


def _new_good(application: Application) -> Good:
    base = slugify(application.proposed_name)[:100].strip("-") or "good"
    slug, number = base, 1
    while Good.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return Good.objects.create(slug=slug, name=application.proposed_name)


def _record_decision(application: Application, *, actor: Actor, outcome: Outcome, reasons: dict[str, str],
                     today: dt.date, automatic: bool = False) -> Decision:
    recognised_on = expires_on = None
    if outcome == Outcome.DPG:
        recognised_on = today
        expires_on = today + dt.timedelta(days=settings.DPGHUB_REVIEW_RECOGNITION_DAYS)
        if application.good_id is None:
            application.good = _new_good(application)
        good_fields_set(actor=actor, good=application.good, owner=FieldOwner.REVIEW,
                        values={"stage": Stage.DPG, "recognised_on": recognised_on, "expires_on": expires_on})
    decision = Decision.objects.create(application=application, outcome=outcome, reasons=reasons, decided_on=today,
                                       recognised_on=recognised_on, expires_on=expires_on, automatic=automatic)
    application.decided_on, application.expires_on = today, expires_on
    decision_log_append(payload=_decision_payload(application, decision))
    return decision


def application_decide(
    *, actor: Actor, application: Application, outcome: str, reasons: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> Decision:
    """DPG (every indicator passed or not applicable at the second level) or ineligible (one failed), with
    a public reason per indicator (given, or the second-level verdict's public notes). A DPG decision sets
    the good's stage, recognition and expiry in the registry, owned by the workflow."""
    today = _today(today)
    if outcome not in Outcome.values:
        raise InvalidApplication(_("The decision is “dpg” or “ineligible”."), field="outcome")
    reasons = dict(reasons or {})
    if not set(reasons) <= set(INDICATOR_CODES):
        raise InvalidApplication(_("Reasons are given per indicator code."), field="reasons")
    with transaction.atomic():
        application, state, new_state = _begin(Action.DECIDE, actor=actor, application=application,
                                               outcome=S(outcome))
        verdicts = {v.indicator: v for v in application.verdicts.filter(level=Level.SECOND)}
        if outcome == Outcome.DPG:
            unmet = [code for code in INDICATOR_CODES
                     if code not in verdicts or verdicts[code].verdict not in MET_VERDICTS]
            if unmet:
                raise DecisionNotReady(_("A DPG decision needs every indicator passed or not applicable at the "
                                         "second level; not yet: %(codes)s.") % {"codes": ", ".join(unmet)},
                                       field="outcome", details={"indicators": unmet})
        elif not any(v.verdict == Verdict.FAIL for v in verdicts.values()):
            raise DecisionNotReady(_("An ineligible decision needs at least one indicator failed at the second "
                                     "level."), field="outcome")
        full_reasons = {}
        for code in INDICATOR_CODES:
            given = (reasons.get(code) or "").strip()
            verdict = verdicts.get(code)
            full_reasons[code] = {"verdict": verdict.verdict if verdict else None,
                                  "reason": given or (verdict.notes if verdict else "")}
        decision = _record_decision(application, actor=actor, outcome=Outcome(outcome), reasons=full_reasons,
                                    today=today)
        _finish(application, actor=actor, action=Action.DECIDE, state=state, new_state=new_state, today=today,
                data={"outcome": outcome}, notice=_moved_notice(application, new_state))
    return decision


def application_withdraw(*, actor: Actor, application: Application, today: dt.date | None = None) -> Application:
    today = _today(today)
    with transaction.atomic():
        application, state, new_state = _begin(Action.WITHDRAW, actor=actor, application=application)
        return _finish(application, actor=actor, action=Action.WITHDRAW, state=state, new_state=new_state,
                       today=today, notice=_moved_notice(application, new_state))
