"""Vocabularies of the review workflow: states, actions, verdicts, levels, and what is recorded."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.common.history import history_vocabulary


class ApplicationState(models.TextChoices):
    """Where an application is; the transitions between states are in review.workflow."""

    DRAFT = "draft", _("Draft")
    LEVEL_1 = "level-1", _("First-level review")
    CLARIFICATION_1 = "clarification-1", _("Waiting for clarification (first level)")
    LEVEL_2 = "level-2", _("Second-level review")
    CLARIFICATION_2 = "clarification-2", _("Waiting for clarification (second level)")
    CONSULTATION = "consultation", _("Expert consultation")
    DPG = "dpg", _("Digital public good")
    INELIGIBLE = "ineligible", _("Ineligible")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")


class Action(models.TextChoices):
    """What can happen to an application (the API's ``actions/{action}``). The last three are taken only by
    DPG Hub's scheduled job (``review_tick``)."""

    SUBMIT = "submit", _("Submit")
    ASSIGN = "assign", _("Assign a reviewer")
    VERDICT = "verdict", _("Record a verdict")
    FORWARD = "forward", _("Forward to second-level review")
    REQUEST_CLARIFICATION = "request-clarification", _("Request a clarification")
    ANSWER_CLARIFICATION = "answer-clarification", _("Answer the clarification")
    CONSULT_EXPERT = "consult-expert", _("Consult an expert")
    ANSWER_CONSULTATION = "answer-consultation", _("Give the expert's advice")
    DECIDE = "decide", _("Decide")
    WITHDRAW = "withdraw", _("Withdraw")
    LAPSE = "lapse", _("Clarification not answered in time")
    EXPIRE = "expire", _("Recognition expired")
    ARCHIVE = "archive", _("Archive after no response")


#: Actions only DPG Hub's scheduled job takes.
SYSTEM_ACTIONS = frozenset({Action.LAPSE, Action.EXPIRE, Action.ARCHIVE})


class Verdict(models.TextChoices):
    """A reviewer's judgement of one indicator at one level."""

    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "not-applicable", _("Not applicable")
    CLARIFICATION = "clarification", _("Clarification needed")
    CONSULTATION = "consultation", _("Under consultation")


#: Verdicts that let an indicator count as met in a DPG decision.
MET_VERDICTS = frozenset({Verdict.PASS, Verdict.NOT_APPLICABLE})


class Level(models.IntegerChoices):
    """Who works on an application: a reviewer of either level, or an expert consulted at the second."""

    FIRST = 1, _("First level")
    SECOND = 2, _("Second level")
    EXPERT = 3, _("Expert")


class Outcome(models.TextChoices):
    """The final decision."""

    DPG = "dpg", _("Digital public good")
    INELIGIBLE = "ineligible", _("Ineligible")


class ClarificationDays(models.IntegerChoices):
    """How long an applicant has to answer a clarification request."""

    DAYS_15 = 15, _("15 days")
    DAYS_30 = 30, _("30 days")
    DAYS_45 = 45, _("45 days")


@history_vocabulary
class ReviewAction(models.TextChoices):
    """What the review app records in the history."""

    APPLICATION_CREATE = "review.application.create", _("Application started")
    APPLICATION_ANSWER = "review.application.answer", _("Application answers changed")
    APPLICATION_SUBMIT = "review.application.submit", _("Application submitted")
    APPLICATION_ASSIGN = "review.application.assign", _("Reviewer assigned")
    APPLICATION_VERDICT = "review.application.verdict", _("Verdict recorded")
    APPLICATION_FORWARD = "review.application.forward", _("Forwarded to second-level review")
    APPLICATION_CLARIFY = "review.application.clarify", _("Clarification requested")
    APPLICATION_CLARIFIED = "review.application.clarified", _("Clarification answered")
    APPLICATION_CONSULT = "review.application.consult", _("Expert consulted")
    APPLICATION_ADVISED = "review.application.advised", _("Expert advice given")
    APPLICATION_DECIDE = "review.application.decide", _("Decision taken")
    APPLICATION_WITHDRAW = "review.application.withdraw", _("Application withdrawn")
    APPLICATION_LAPSE = "review.application.lapse", _("Ineligible: clarification not answered in time")
    APPLICATION_EXPIRE = "review.application.expire", _("Recognition expired")
    APPLICATION_ARCHIVE = "review.application.archive", _("Application archived")
    APPLICATION_REMIND = "review.application.remind", _("Reminder sent")
    APPLICATION_RENEW = "review.application.renew", _("Renewal application opened")
    APPLICATION_LINKS_CHECK = "review.application.links_check", _("Evidence links checked")


class LinkStatus(models.TextChoices):
    """What the check of an evidence link found (review/links.py)."""

    REACHABLE = "reachable", _("Reachable")
    REDIRECTED = "redirected", _("Redirected")
    UNREACHABLE = "unreachable", _("Unreachable")
    NOT_CHECKED = "not-checked", _("Not checked")
