"""What happens with time: ``review_tick(today=...)``, run daily by ``dpghub review tick`` (cron) or the job
``review.tick``. Idempotent: running it twice on one day does nothing the second time.

1. reminds organisations of clarifications due within REVIEW_REMINDER_DAYS (once);
2. makes applications whose clarification deadline passed unanswered ineligible (a public decision);
3. opens a renewal application, pre-filled from the last one, REVIEW_RENEWAL_DAYS before a recognition
   expires, and tells the organisation;
4. marks recognitions whose expiry day came as expired (and the good, unless a renewal recognised it since);
5. tells organisations of drafts without a response that they will be archived, and archives them
   REVIEW_ARCHIVE_DAYS after their last response (never sooner than REVIEW_ARCHIVE_NOTICE_DAYS after the notice).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dpghub.catalog.enums import FieldOwner, Stage
from dpghub.catalog.services.editing import good_fields_set
from dpghub.common.history import Actor, history_record
from dpghub.core.standard import INDICATOR_CODES, version_in_force
from dpghub.notifications.enums import NotificationKind
from dpghub.notifications.services import notify
from dpghub.review.enums import Action, ApplicationState, Outcome, ReviewAction
from dpghub.review.models import Application, Clarification
from dpghub.review.services import (
    _begin,
    _finish,
    _record_decision,
    application_name,
    application_url,
    organisation_people,
)

S = ApplicationState
TICK_ACTOR = "review.tick"


def _tell(application: Application, subject: str, body: str, *, kind=NotificationKind.APPLICATION_CHANGED) -> None:
    notify(people=organisation_people(application.organisation), kind=kind, subject=subject, body=body,
           url=application_url(application))


def _remind(actor: Actor, today: dt.date) -> int:
    horizon = today + dt.timedelta(days=settings.DPGHUB_REVIEW_REMINDER_DAYS)
    due = (Clarification.objects.filter(answered_on__isnull=True, lapsed_on__isnull=True, reminded_on__isnull=True,
                                        due_on__lte=horizon, due_on__gte=today,
                                        application__state__in=(S.CLARIFICATION_1, S.CLARIFICATION_2))
           .values_list("pk", flat=True))
    count = 0
    for pk in list(due):
        with transaction.atomic():
            clarification = Clarification.objects.select_for_update(of=("self",)).select_related(
                "application__organisation", "application__good").get(pk=pk)
            if clarification.reminded_on is not None or clarification.answered_on is not None:
                continue
            clarification.reminded_on = today
            clarification.save(update_fields=["reminded_on"])
            application = clarification.application
            history_record(actor=actor, action=ReviewAction.APPLICATION_REMIND, target=application,
                           data={"clarification": pk, "due_on": clarification.due_on})
            name = application_name(application)
            _tell(application, _("Reminder: answer the clarification on %(name)s by %(due)s")
                  % {"name": name, "due": clarification.due_on},
                  _("The reviewers of the application for %(name)s wait for your answer: %(question)s\n\nWithout an "
                    "answer by %(due)s the application becomes ineligible.")
                  % {"name": name, "question": clarification.question, "due": clarification.due_on},
                  kind=NotificationKind.APPLICATION_REMINDER)
            count += 1
    return count


def _lapse(actor: Actor, today: dt.date) -> int:
    overdue = (Clarification.objects.filter(answered_on__isnull=True, lapsed_on__isnull=True, due_on__lt=today,
                                            application__state__in=(S.CLARIFICATION_1, S.CLARIFICATION_2))
               .values_list("application_id", flat=True))
    count = 0
    for application_id in sorted(set(overdue)):
        with transaction.atomic():
            application, state, new_state = _begin(Action.LAPSE, actor=actor,
                                                   application=Application(pk=application_id))
            clarification = application.clarifications.filter(answered_on__isnull=True, lapsed_on__isnull=True).last()
            clarification.lapsed_on = today
            clarification.save(update_fields=["lapsed_on"])
            reason = _("The clarification asked on %(asked)s was not answered by %(due)s.") % {
                "asked": clarification.asked_on, "due": clarification.due_on}
            # the indicators the question was about, or every indicator when it named none
            reasons = {code: {"verdict": None, "reason": reason}
                       for code in (clarification.indicators or INDICATOR_CODES)}
            application.paused_days += (today - clarification.asked_on).days
            _record_decision(application, actor=actor, outcome=Outcome.INELIGIBLE, reasons=reasons, today=today,
                             automatic=True)
            name = application_name(application)
            _finish(application, actor=actor, action=Action.LAPSE, state=state, new_state=new_state, today=today,
                    data={"clarification": clarification.pk},
                    notice=(_("Application for %(name)s: ineligible") % {"name": name}, reason))
            count += 1
    return count


def _renew(actor: Actor, today: dt.date) -> int:
    horizon = today + dt.timedelta(days=settings.DPGHUB_REVIEW_RENEWAL_DAYS)
    due = (Application.objects.filter(state=S.DPG, expires_on__lte=horizon, renewals__isnull=True)
           .values_list("pk", flat=True))
    count = 0
    for pk in list(due):
        with transaction.atomic():
            parent = Application.objects.select_for_update(of=("self",)).select_related("organisation", "good").get(pk=pk)
            if parent.state != S.DPG or parent.renewals.exists():
                continue
            answers = {code: {**answer, "suggested": True} for code, answer in parent.answers.items()}
            renewal = Application.objects.create(
                good=parent.good, organisation=parent.organisation, parent=parent, answers=answers,
                standard_version=version_in_force(today).version, created_on=today, state_since=today,
                last_activity_on=today)
            history_record(actor=actor, action=ReviewAction.APPLICATION_RENEW, target=renewal,
                           changes={"state": {"before": None, "after": S.DRAFT.value}},
                           data={"renews": parent.pk, "standard_version": renewal.standard_version})
            name = application_name(parent)
            _tell(renewal, _("Renew the recognition of %(name)s") % {"name": name},
                  _("The recognition of %(name)s as a digital public good expires on %(date)s. A renewal application, "
                    "filled in from the last one, is ready: check the answers and submit it.")
                  % {"name": name, "date": parent.expires_on})
            count += 1
    return count


def _expire(actor: Actor, today: dt.date) -> int:
    due = Application.objects.filter(state=S.DPG, expires_on__lte=today).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            application, state, new_state = _begin(Action.EXPIRE, actor=actor, application=Application(pk=pk))
            good = application.good
            if good is not None and (good.expires_on is None or good.expires_on <= application.expires_on):
                good_fields_set(actor=actor, good=good, owner=FieldOwner.REVIEW, values={"stage": Stage.EXPIRED})
            name = application_name(application)
            _finish(application, actor=actor, action=Action.EXPIRE, state=state, new_state=new_state, today=today,
                    notice=(_("The recognition of %(name)s expired") % {"name": name},
                            _("The recognition of %(name)s as a digital public good expired on %(date)s.")
                            % {"name": name, "date": application.expires_on}))
            count += 1
    return count


def _archive(actor: Actor, today: dt.date) -> tuple[int, int]:
    limit = settings.DPGHUB_REVIEW_ARCHIVE_DAYS
    notice_days = settings.DPGHUB_REVIEW_ARCHIVE_NOTICE_DAYS
    noticed = archived = 0
    to_notice = Application.objects.filter(
        state=S.DRAFT, archive_notice_on__isnull=True,
        last_activity_on__lte=today - dt.timedelta(days=max(limit - notice_days, 0))).values_list("pk", flat=True)
    for pk in list(to_notice):
        with transaction.atomic():
            application = Application.objects.select_for_update(of=("self",)).select_related("organisation", "good").get(pk=pk)
            if application.state != S.DRAFT or application.archive_notice_on is not None:
                continue
            application.archive_notice_on = today
            application.save(update_fields=["archive_notice_on"])
            history_record(actor=actor, action=ReviewAction.APPLICATION_REMIND, target=application,
                           data={"archive_notice": today})
            name = application_name(application)
            when = max(application.last_activity_on + dt.timedelta(days=limit), today + dt.timedelta(days=notice_days))
            _tell(application, _("The application for %(name)s will be archived") % {"name": name},
                  _("Nothing has happened on the draft application for %(name)s since %(since)s. Change or submit it "
                    "before %(when)s, or it will be archived.")
                  % {"name": name, "since": application.last_activity_on, "when": when},
                  kind=NotificationKind.APPLICATION_REMINDER)
            noticed += 1
    to_archive = Application.objects.filter(
        state=S.DRAFT, archive_notice_on__lte=today - dt.timedelta(days=notice_days),
        last_activity_on__lte=today - dt.timedelta(days=limit)).values_list("pk", flat=True)
    for pk in list(to_archive):
        with transaction.atomic():
            application, state, new_state = _begin(Action.ARCHIVE, actor=actor, application=Application(pk=pk))
            name = application_name(application)
            _finish(application, actor=actor, action=Action.ARCHIVE, state=state, new_state=new_state, today=today,
                    notice=(_("The application for %(name)s was archived") % {"name": name},
                            _("The draft application for %(name)s was archived after %(days)s days without a "
                              "response.") % {"name": name, "days": limit}))
            archived += 1
    return noticed, archived


def review_tick(*, today: dt.date, actor: Actor | None = None) -> dict[str, int]:
    """Everything the calendar does to applications on ``today``; counts of what it did."""
    actor = actor or Actor.system_job(TICK_ACTOR)
    reminded = _remind(actor, today)
    lapsed = _lapse(actor, today)
    renewed = _renew(actor, today)
    expired = _expire(actor, today)
    noticed, archived = _archive(actor, today)
    return {"reminded": reminded, "lapsed": lapsed, "renewals_opened": renewed, "expired": expired,
            "archive_notices": noticed, "archived": archived}
