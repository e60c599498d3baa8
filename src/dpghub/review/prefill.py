"""Pre-filling an application's answers from an automated screening of the good's repository.

The screening engine (dpghub.core.screening) runs on the repository now, within its limits, and each
finding it can stand behind (met, likely met, or failed) becomes the answer of its indicator, marked
``suggested`` (with ``source: "screening"``): the applicant confirms or corrects it, and an application is
submitted only once no such suggestion is left unconfirmed (services.application_submit). An answer the applicant already gave is
never replaced. The screening runs outside the transaction (it takes seconds); the answers are written
only if nobody saved the application meanwhile (its version).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dpghub.common.authz import actor_may
from dpghub.common.history import Actor, history_record
from dpghub.core import standard
from dpghub.core.screening import ScreeningError, screen
from dpghub.review.enums import ApplicationState, ReviewAction
from dpghub.review.errors import InvalidApplication, ReviewPermissionDenied, StaleVersion
from dpghub.review.models import Application
from dpghub.review.rules import REVIEW_RULES
from dpghub.review.services import SCREENING_SOURCE, _locked, _today
from dpghub.screening.errors import RepositoryRefused
from dpghub.screening.services import screening_url_check

#: Finding statuses that become suggested answers (others say nothing an applicant could confirm).
PREFILL_STATUSES = ("met", "likely_met", "failed")
_STATUS_WORDS = {"met": gettext_noop("met"), "likely_met": gettext_noop("likely met"), "failed": gettext_noop("failed")}


def _category(application: Application) -> str:
    codes = application.good.categories if application.good_id else []
    for code in codes or []:
        found = standard.category(code)
        if found is not None and found.assessed:
            return found.name
    return standard.OPEN_SOFTWARE.name


def _repository(application: Application, repository_url: str) -> str:
    url = (repository_url or "").strip()
    if not url and application.good_id:
        url = next(iter(application.good.repositories.values_list("url", flat=True)), "")
    if not url:
        raise InvalidApplication(_("Give the address of the good's repository."), field="repository_url")
    return url


def suggestions_from_report(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per indicator code, the suggested answer a screening report gives: its explanation and evidence."""
    out: dict[str, dict[str, Any]] = {}
    for finding in report.get("findings", []):
        code, status = finding.get("indicator"), finding.get("status")
        if code not in standard.INDICATOR_CODES or status not in PREFILL_STATUSES or code in out:
            continue
        where = []
        links = []
        for evidence in finding.get("evidence", [])[:5]:
            url = evidence.get("url") or ""
            if url.startswith(("https://", "http://")):
                links.append(url)
            elif evidence.get("path"):
                line = evidence.get("line")
                where.append(f"{evidence['path']}:{line}" if line else evidence["path"])
        text = _("Automated screening (%(status)s): %(explanation)s") % {
            "status": _(_STATUS_WORDS[status]), "explanation": finding.get("explanation", "")}
        if where:
            text += "\n" + _("Found in: %(places)s") % {"places": ", ".join(where)}
        out[code] = {"text": text, "links": links, "suggested": True, "source": SCREENING_SOURCE}
    return out


def application_prefill_from_screening(
    *, actor: Actor, application: Application, repository_url: str = "", expected_version: int,
    today: dt.date | None = None, screener: Callable[..., Any] = screen,
) -> tuple[Application, list[str]]:
    """Screen the good's repository (``repository_url``, else the registered good's first one) and suggest
    answers from its findings: (the application, the indicator codes suggested). Only the applying
    organisation, only for a draft; answers the applicant gave stay as they are."""
    today = _today(today)
    if not actor_may(REVIEW_RULES, "review.change_application", actor=actor, obj=application):
        raise ReviewPermissionDenied()
    if application.state != ApplicationState.DRAFT:
        raise InvalidApplication(_("Answers are suggested from a screening only while the application is a draft."),
                                 field="repository_url")
    url = _repository(application, repository_url)
    try:
        screening_url_check(url=url)
    except RepositoryRefused as exc:
        raise InvalidApplication(exc.message, field="repository_url") from None
    try:
        report = screener(url, category=_category(application)).to_json()
    except ScreeningError as exc:
        raise InvalidApplication(_("The repository could not be screened: %(reason)s") % {"reason": exc.message},
                                 field="repository_url") from None
    suggestions = suggestions_from_report(report)
    with transaction.atomic():
        application = _locked(application)
        if application.version != expected_version:
            raise StaleVersion(_("The application"), application.version)
        answers = dict(application.answers)
        filled = []
        for code, suggestion in suggestions.items():
            current = answers.get(code)
            if current and current.get("text") and not current.get("suggested"):
                continue  # the applicant's own answer
            answers[code] = suggestion
            filled.append(code)
        application.answers = answers
        application.last_activity_on, application.archive_notice_on = today, None
        application.version += 1
        application.save()
        history_record(actor=actor, action=ReviewAction.APPLICATION_ANSWER, target=application,
                       data={"indicators": filled, "screening": url, "commit": report.get("commit")})
    return application, filled
