"""Nomination and review pages: the applicant's multi-step form, the reviewers' queues and application page,
and the public application page, decision log and backlog figures.

Views parse the request, call :mod:`dpghub.review.services` (one per action) and :mod:`dpghub.review.selectors`
(which know who looks), and render. The domain refuses what the viewer may not do; a form's invalid input or a
conflict is told on the page, anything else rises to :mod:`dpghub.web.errors` (404, 403, 400, 409 pages).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from dpghub.catalog.errors import GoodNotFound
from dpghub.catalog.selectors import good_get
from dpghub.common.authz import actor_may, person_platform_roles
from dpghub.common.errors import Conflict, InvalidInput
from dpghub.common.history import Actor
from dpghub.common.selectors import history_of
from dpghub.core.standard import INDICATOR_CODES, indicator
from dpghub.orgs.selectors import person_organisations
from dpghub.review import services
from dpghub.review.enums import Action, ApplicationState, ClarificationDays, Level, Outcome, Verdict
from dpghub.review.errors import ReviewError, StaleVersion
from dpghub.review.prefill import application_prefill_from_screening
from dpghub.review.rules import LEVEL_ROLES, REVIEW_RULES
from dpghub.review.selectors import (
    application_get,
    application_view,
    applications_of_person,
    assignable_people,
    backlog_figures,
    decision_log_recent,
    review_queue,
    reviewer_get,
)
from dpghub.review.workflow import state_level

S = ApplicationState
#: The queues' levels in the address (/review/queue/1/): first level, second level, experts.
QUEUE_LEVELS = (Level.FIRST, Level.SECOND, Level.EXPERT)
#: Whom an application waits on, in words.
WAITING_LABELS = {"applicant": gettext_noop("the applicant"), "reviewer-l1": gettext_noop("a first-level reviewer"),
                  "reviewer-l2": gettext_noop("a second-level reviewer"), "expert": gettext_noop("an expert")}
#: Actions the applicant takes on the application's public page; the others are the reviewers'.
APPLICANT_ACTIONS = (Action.SUBMIT, Action.WITHDRAW, Action.ANSWER_CLARIFICATION)
#: How many days the public backlog figures look back.
BACKLOG_DAYS = 365


def _indicators() -> list[dict[str, str]]:
    return [{"code": code, "title": _(indicator(code).title)} for code in INDICATOR_CODES]


def _waiting_label(key: str) -> str:
    return _(WAITING_LABELS[key]) if key in WAITING_LABELS else key


def _may(rule: str, request: HttpRequest, obj: Any = None) -> bool:
    return actor_may(REVIEW_RULES, rule, actor=Actor.from_user(request.user), obj=obj, write=False)


def is_review_person(user: Any) -> bool:
    """Whether ``user`` works in review (a reviewer of either level, an expert, or the secretariat): the nav."""
    roles = person_platform_roles(user)
    return bool(roles & {*LEVEL_ROLES.values(), "secretariat"})


def _application(request: HttpRequest, application_id: int):
    """The application the viewer may know of (a draft of another organisation: the 404 page)."""
    return application_get(viewer=request.user, application_id=application_id)


def _form_error(request: HttpRequest, exc: ReviewError | InvalidInput | Conflict) -> None:
    """Invalid input and conflicts are told as a message; other errors rise to the error pages."""
    if isinstance(exc, (InvalidInput, Conflict)):
        messages.error(request, exc.message)
        return
    raise exc


# -- the applicant ---------------------------------------------------------------------------------------

@login_required
def nominate(request: HttpRequest) -> HttpResponse:
    """Start an application: the organisation, the good (registered, or a new one's name), and a repository
    whose screening suggests answers."""
    actor = Actor.person(request.user)
    organisations = [org for org, _role in person_organisations(viewer=request.user)
                     if actor_may(REVIEW_RULES, "review.create_application", actor=actor, obj=org)]
    form = {"organisation": organisations[0].slug if len(organisations) == 1 else "", "good": "",
            "proposed_name": "", "repository_url": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {name: request.POST.get(name, "").strip() for name in form}
        organisation = next((org for org in organisations if org.slug == form["organisation"]), None)
        good = None
        if organisation is None:
            errors["organisation"] = _("Choose one of your organisations.")
        if form["good"]:
            try:
                good = good_get(slug=form["good"][:200])
            except GoodNotFound:
                errors["good"] = _("No registered good “%(slug)s”; give the name of a new good instead.") % {
                    "slug": form["good"][:200]}
        elif not form["proposed_name"]:
            errors["proposed_name"] = _("Name the good: a registered one, or the name of a new one.")
        if not errors:
            try:
                application = services.application_create_draft(
                    actor=actor.acting_for(organisation), organisation=organisation, good=good,
                    proposed_name=form["proposed_name"])
            except (InvalidInput, Conflict) as exc:
                errors[exc.field if exc.field in form else "form"] = exc.message
            else:
                messages.success(request, _("Your application is saved as a draft. Answer the Standard indicator "
                                            "by indicator; every step is saved."))
                if form["repository_url"]:
                    _prefill(request, application, form["repository_url"])
                return redirect("web:application-step", application_id=application.pk, code=INDICATOR_CODES[0])
    return render(request, "web/review_nominate.html", {
        "organisations": organisations, "form": form, "errors": errors, "nav": "nominate",
        "mine": applications_of_person(viewer=request.user)[:5],
    }, status=400 if errors else 200)


def _prefill(request: HttpRequest, application, repository_url: str) -> None:
    try:
        _done, filled = application_prefill_from_screening(
            actor=Actor.person(request.user), application=application, repository_url=repository_url,
            expected_version=application.version)
    except (InvalidInput, Conflict) as exc:
        messages.warning(request, _("No answers were suggested: %(reason)s") % {"reason": exc.message})
        return
    if filled:
        messages.info(request, _("The screening of the repository suggests answers for indicators %(codes)s: "
                                 "confirm or correct each one.") % {"codes": ", ".join(filled)})
    else:
        messages.info(request, _("The screening of the repository found nothing to suggest; answer each "
                                 "indicator yourself."))


@require_POST
@login_required
def application_prefill(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application(request, application_id)
    _prefill(request, application, request.POST.get("repository_url", "").strip())
    return redirect("web:application-step", application_id=application.pk, code=INDICATOR_CODES[0])


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    rows = [{"application": a, "name": services.application_name(a), "state": S(a.state).label}
            for a in applications_of_person(viewer=request.user)]
    return render(request, "web/review_mine.html", {"rows": rows, "nav": "nominate"})


def _answer_rows(answers: dict, checks: list[dict] | None = None) -> list[dict]:
    """One row per indicator; each evidence link with what its last check found (``check``: None until checked)."""
    checked = {(c["indicator"], c["url"]): c for c in checks or []}
    rows = []
    for item in _indicators():
        answer = answers.get(item["code"]) or {}
        suggested = bool(answer.get("suggested")) and bool(answer.get("text"))
        links = [{"url": url, "web": url.startswith(("https://", "http://")), "check": checked.get((item["code"], url))}
                 for url in answer.get("links", [])]
        rows.append({**item, "text": answer.get("text", ""), "links": links,
                     "suggested": suggested and answer.get("source") == services.SCREENING_SOURCE,
                     "carried": suggested and answer.get("source") != services.SCREENING_SOURCE})
    return rows


@login_required
def application_step(request: HttpRequest, application_id: int, code: str) -> HttpResponse:
    """One indicator of the questionnaire: the answer (a suggestion from the screening shows as such), saved
    as the draft at every step; saving a suggestion confirms it."""
    if code not in INDICATOR_CODES:
        raise Http404(_("No such indicator."))
    application = _application(request, application_id)
    if not _may("review.change_application", request, application):
        raise Http404(_("No such application."))
    if application.state not in services.ANSWERABLE_STATES:
        messages.error(request, _("Answers can be changed only in a draft or while a clarification is open."))
        return redirect("web:application", application_id=application.pk)
    position = INDICATOR_CODES.index(code)
    answer = application.answers.get(code) or {}
    form = {"text": answer.get("text", ""), "links": "\n".join(answer.get("links", [])),
            "version": application.version}
    error, status = "", 200
    if request.method == "POST":
        form = {"text": request.POST.get("text", ""), "links": request.POST.get("links", ""),
                "version": request.POST.get("expected_version", "")}
        links = [line.strip() for line in form["links"].replace(",", "\n").splitlines() if line.strip()]
        try:
            expected = int(form["version"])
        except ValueError:
            expected = -1
        try:
            services.application_answers_update(
                actor=Actor.person(request.user), application=application, expected_version=expected,
                answers={code: {"text": form["text"], "links": links, "suggested": False}})
        except StaleVersion as exc:
            application.refresh_from_db()
            error, status = exc.message, 409
            form["version"] = application.version  # saving again overwrites, knowingly
        except (InvalidInput, Conflict) as exc:
            error, status = exc.message, 400
        else:
            go = request.POST.get("go", "next")
            if go == "previous" and position > 0:
                return redirect("web:application-step", application_id=application.pk,
                                code=INDICATOR_CODES[position - 1])
            if go == "next" and position + 1 < len(INDICATOR_CODES):
                return redirect("web:application-step", application_id=application.pk,
                                code=INDICATOR_CODES[position + 1])
            if go == "next":
                messages.success(request, _("Every step is saved. Check your answers, then submit the application."))
                return redirect("web:application", application_id=application.pk)
            messages.success(request, _("Your answer is saved."))
            return redirect("web:application-step", application_id=application.pk, code=code)
    return render(request, "web/review_step.html", {
        "application": application, "name": services.application_name(application), "code": code,
        "title": _(indicator(code).title), "position": position + 1, "total": len(INDICATOR_CODES),
        "form": form, "error": error, "status": status,
        "suggested": bool(answer.get("suggested")) and answer.get("source") == services.SCREENING_SOURCE,
        "carried": bool(answer.get("suggested")) and answer.get("source") != services.SCREENING_SOURCE,
        "steps": _answer_rows(application.answers), "is_first": position == 0,
        "is_last": position + 1 == len(INDICATOR_CODES), "nav": "nominate",
    }, status=status)


def _decision_rows(view: dict) -> list[dict]:
    decision = view.get("decision")
    if not decision:
        return []
    rows = []
    for item in _indicators():
        reason = decision["reasons"].get(item["code"]) or {}
        verdict = reason.get("verdict")
        rows.append({**item, "verdict": Verdict(verdict).label if verdict in Verdict.values else "",
                     "reason": reason.get("reason", "")})
    return rows


def application_page(request: HttpRequest, application_id: int) -> HttpResponse:
    """The application as the viewer may see it: public status, decision and reasons for everyone; the
    answers, clarifications and public verdict notes for the applying organisation, with its actions."""
    application = _application(request, application_id)
    view = application_view(viewer=request.user, application=application)
    is_applicant = request.user.is_authenticated and _may("review.change_application", request, application)
    clarifications = view.get("clarifications") or []
    open_clarification = next((c for c in clarifications if c["answered_on"] is None), None)
    public_notes = {}
    for verdict in view.get("verdicts") or []:
        public_notes.setdefault(verdict["indicator"], []).append(
            {"level": Level(verdict["level"]).label, "verdict": Verdict(verdict["verdict"]).label,
             "notes": verdict["notes"]})
    answers = _answer_rows(view["answers"], view.get("links")) if is_applicant else []
    for row in answers:
        row["verdicts"] = public_notes.get(row["code"], [])
    return render(request, "web/review_application.html", {
        "application": application, "view": view, "decision_rows": _decision_rows(view),
        "state_label": S(application.state).label, "is_applicant": is_applicant, "answers": answers,
        "missing": [r["code"] for r in answers if not r["text"]],
        "unconfirmed": [r["code"] for r in answers if r["suggested"]],
        "can_edit": is_applicant and application.state in services.ANSWERABLE_STATES,
        "can_submit": "submit" in view["actions"], "can_withdraw": "withdraw" in view["actions"],
        "can_answer": "answer-clarification" in view["actions"], "open_clarification": open_clarification,
        "clarifications": clarifications, "first_step": INDICATOR_CODES[0],
        "can_review": request.user.is_authenticated and _may("review.view_review", request, application),
        "good_url": reverse("web:good-detail", kwargs={"slug": view["good"]}) if view["good"] else "",
        "history": history_of(viewer=request.user, target=application, limit=50),
        "json_url": reverse("api-v1:application_detail", kwargs={"id": application.pk}),
        "nav": "nominate" if is_applicant else "",
    })


# -- reviewers -------------------------------------------------------------------------------------------

def _review_context(request: HttpRequest, application, *, kept: dict | None = None) -> dict:
    """The reviewers' page: every indicator's answer, each level's verdict (with the notes for reviewers
    only), and the forms of what the viewer may do now. ``kept``: a verdict form sent back after a conflict."""
    view = application_view(viewer=request.user, application=application)
    actions = set(view["actions"])
    level = state_level(S(application.state))
    verdicts: dict[str, list[dict]] = {}
    current: dict[str, dict] = {}
    for v in view["verdicts"]:
        row = {**v, "level_label": Level(v["level"]).label, "verdict_label": Verdict(v["verdict"]).label}
        verdicts.setdefault(v["indicator"], []).append(row)
        if v["level"] == level:
            current[v["indicator"]] = v
    rows = []
    for row in _answer_rows(view["answers"], view.get("links")):
        code = row["code"]
        saved = current.get(code)
        form = {"verdict": saved["verdict"] if saved else "", "notes": saved["notes"] if saved else "",
                "private_notes": saved.get("private_notes", "") if saved else "",
                "version": saved["version"] if saved else 0}
        conflict = None
        if kept and kept["code"] == code:
            form = kept["form"]
            conflict = {"message": kept["message"], "saved": saved,
                        "saved_label": Verdict(saved["verdict"]).label if saved else ""}
        rows.append({**row, "verdicts": verdicts.get(code, []), "form": form, "conflict": conflict})
    is_secretariat = _may("review.view_backlog", request, application)
    return {
        "application": application, "view": view, "rows": rows, "state_label": S(application.state).label,
        "level": level, "level_label": Level(level).label if level else "",
        "can_assign": "assign" in actions, "can_verdict": "verdict" in actions,
        "can_forward": "forward" in actions, "can_clarify": "request-clarification" in actions,
        "can_consult": "consult-expert" in actions, "can_advise": "answer-consultation" in actions,
        "can_decide": "decide" in actions, "can_withdraw": "withdraw" in actions,
        "people": assignable_people(viewer=request.user, application=application) if is_secretariat else [],
        "assigned": [{"level": Level(a["level"]).label, "person": a["person"], "on": a["assigned_on"]}
                     for a in view.get("assignments", [])],
        "verdict_choices": Verdict.choices, "day_choices": ClarificationDays.choices,
        "outcomes": Outcome.choices, "indicators": _indicators(),
        "decision_rows": _decision_rows(view),
        "history": history_of(viewer=request.user, target=application, limit=50),
        "nav": "review",
    }


def _reviewable(request: HttpRequest, application_id: int):
    application = _application(request, application_id)
    if not (request.user.is_authenticated and _may("review.view_review", request, application)):
        raise Http404(_("No such application."))
    return application


@login_required
def application_review(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _reviewable(request, application_id)
    return render(request, "web/review_review.html", _review_context(request, application))


@require_POST
@login_required
def verdict_save(request: HttpRequest, application_id: int, code: str) -> HttpResponse:
    """One indicator's verdict at the application's level. If another reviewer saved it since the form was
    shown, nothing is overwritten: the page says so, shows what was saved, and keeps what this reviewer wrote."""
    application = _reviewable(request, application_id)
    form = {name: request.POST.get(name, "") for name in ("verdict", "notes", "private_notes")}
    try:
        form["version"] = int(request.POST.get("expected_version", "0"))
    except ValueError:
        form["version"] = 0
    try:
        services.verdict_set(actor=Actor.person(request.user), application=application, indicator=code,
                             verdict=form["verdict"], notes=form["notes"], private_notes=form["private_notes"],
                             expected_version=form["version"])
    except StaleVersion as exc:
        application.refresh_from_db()
        message = _("Another reviewer saved this verdict while you were writing yours; nothing of theirs was "
                    "overwritten and yours is not saved yet. Compare, then save again to replace theirs.")
        context = _review_context(request, application, kept={"code": code, "form": form, "message": message})
        for row in context["rows"]:
            if row["code"] == code and row["conflict"]["saved"]:
                row["form"]["version"] = row["conflict"]["saved"]["version"]
        messages.error(request, exc.message)
        return render(request, "web/review_review.html", context, status=409)
    except (InvalidInput, Conflict) as exc:
        _form_error(request, exc)
    else:
        messages.success(request, _("The verdict on indicator %(code)s is saved.") % {"code": code})
    return redirect(reverse("web:application-review", kwargs={"application_id": application.pk}) + f"#i-{code}")


def _take(request: HttpRequest, action: Action, application) -> str:
    """Take ``action`` with the form's fields; the message that says it is done."""
    actor, post = Actor.person(request.user), request.POST
    indicators = [code for code in post.getlist("indicators") if code]
    if action == Action.SUBMIT:
        services.application_submit(actor=actor, application=application)
        return _("The application is submitted; it waits for a first-level reviewer.")
    if action == Action.WITHDRAW:
        services.application_withdraw(actor=actor, application=application)
        return _("The application is withdrawn.")
    if action == Action.ANSWER_CLARIFICATION:
        services.clarification_answer(actor=actor, application=application, answer=post.get("answer", ""))
        return _("Your answer is sent; the review resumes.")
    if action == Action.ASSIGN:
        person = reviewer_get(username=post["person"]) if post.get("person") else None
        services.application_assign(actor=actor, application=application, person=person)
        return _("The application is assigned.")
    if action == Action.FORWARD:
        services.application_forward(actor=actor, application=application)
        return _("The application is forwarded to second-level review.")
    if action == Action.REQUEST_CLARIFICATION:
        try:
            days = int(post.get("days", "0"))
        except ValueError:
            days = 0
        services.clarification_request(actor=actor, application=application, question=post.get("question", ""),
                                       days=days, indicators=indicators)
        return _("The clarification is requested; the applicant is told and the clock stops until they answer.")
    if action == Action.CONSULT_EXPERT:
        expert = reviewer_get(username=post["expert"].strip()) if post.get("expert", "").strip() else None
        services.expert_consult(actor=actor, application=application, question=post.get("question", ""),
                                indicators=indicators, expert=expert)
        return _("An expert is consulted.")
    if action == Action.ANSWER_CONSULTATION:
        services.consultation_answer(actor=actor, application=application, advice=post.get("advice", ""))
        return _("Your advice is given; the application is back at the second level.")
    if action == Action.DECIDE:
        reasons = {code: post.get(f"reason-{code}", "") for code in INDICATOR_CODES if post.get(f"reason-{code}")}
        decision = services.application_decide(actor=actor, application=application,
                                               outcome=post.get("outcome", ""), reasons=reasons)
        return _("The decision is taken: %(outcome)s.") % {"outcome": Outcome(decision.outcome).label}
    raise Http404()


@require_POST
@login_required
def application_action(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    if action not in Action.values or action in (Action.VERDICT, Action.LAPSE, Action.EXPIRE, Action.ARCHIVE):
        raise Http404()
    action = Action(action)
    application = _application(request, application_id)
    try:
        done = _take(request, action, application)
    except (InvalidInput, Conflict) as exc:
        _form_error(request, exc)
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return redirect(back)
    if action in APPLICANT_ACTIONS or not _may("review.view_review", request, application):
        return redirect("web:application", application_id=application.pk)
    return redirect("web:application-review", application_id=application.pk)


@login_required
def review_home(request: HttpRequest) -> HttpResponse:
    """The queue of the first level the viewer works at (the secretariat: the first level)."""
    roles = person_platform_roles(request.user)
    for level in QUEUE_LEVELS:
        if LEVEL_ROLES[level] in roles:
            return redirect("web:review-queue", level=int(level))
    if _may("review.view_backlog", request):
        return redirect("web:review-queue", level=int(Level.FIRST))
    raise Http404()


@login_required
def queue_page(request: HttpRequest, level: int) -> HttpResponse:
    """The applications waiting at a level, oldest first, with their age and who has each."""
    if level not in (1, 2, 3):
        raise Http404()
    today = timezone.localdate()
    rows = review_queue(viewer=request.user, level=level, today=today)  # refused: the 403 page
    roles = person_platform_roles(request.user)
    is_secretariat = _may("review.view_backlog", request)
    tabs = [{"level": int(lv), "label": Level(lv).label, "current": lv == level}
            for lv in QUEUE_LEVELS if is_secretariat or LEVEL_ROLES[lv] in roles]
    return render(request, "web/review_queue.html", {
        "rows": rows, "level": level, "level_label": Level(level).label, "tabs": tabs,
        "may_self_assign": LEVEL_ROLES[Level(level)] in roles, "is_secretariat": is_secretariat,
        "nav": "review", "json_url": reverse("api-v1:review_queue") + f"?level={level}",
    })


# -- the public ------------------------------------------------------------------------------------------

def decisions_page(request: HttpRequest) -> HttpResponse:
    rows = []
    for entry in decision_log_recent(limit=200):
        rows.append({**entry, "outcome_label": Outcome(entry["outcome"]).label
                     if entry.get("outcome") in Outcome.values else entry.get("outcome", "")})
    return render(request, "web/review_decisions.html", {
        "rows": rows, "download_url": reverse("api-v1:decisions"), "nav": "",
    })


def backlog_page(request: HttpRequest) -> HttpResponse:
    """Everyone: applications per state and time to decision. The secretariat: every open application's age
    and whom it waits on."""
    today = timezone.localdate()
    detailed = request.user.is_authenticated and _may("review.view_backlog", request)
    figures = backlog_figures(viewer=request.user, today=today, since=today - dt.timedelta(days=BACKLOG_DAYS),
                              detailed=detailed)
    states = [{"label": state.label, "count": figures["states"][state.value]} for state in S]
    applications = [{**row, "state_label": S(row["state"]).label, "waiting_label": _waiting_label(row["waiting_on"])}
                    for row in figures.get("applications", [])]
    waiting: dict[str, int] = {}
    for who, n in figures["waiting_on"].items():
        label = _waiting_label(who)
        waiting[label] = waiting.get(label, 0) + n
    return render(request, "web/review_backlog.html", {
        "figures": figures, "states": states, "applications": applications, "detailed": detailed,
        "waiting": sorted(waiting.items()), "days": BACKLOG_DAYS, "nav": "review" if detailed else "",
        "json_url": reverse("api-v1:review_backlog"),
    })
