"""Pages for organisations, memberships, personal API tokens, the activity log and objects' history.

Views parse the request, call the domain's services and selectors, and render; every rule (who may
approve, who sees members, what a token may do) is decided in the domain apps.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dpghub.common.authz import actor_may
from dpghub.common.errors import PermissionDenied as DomainPermissionDenied
from dpghub.common.history import Actor, history_actions
from dpghub.common.models import ActorKind
from dpghub.common.selectors import ActivityFilters, activity_entries, activity_list, history_of
from dpghub.core.countries import country_name
from dpghub.notifications.enums import NotificationKind
from dpghub.notifications.selectors import notification_preferences, notifications_of
from dpghub.notifications.services import notification_preference_set, notifications_mark_read
from dpghub.orgs.enums import MembershipRole, OrganisationType
from dpghub.orgs.errors import MembershipNotFound, OrganisationNotFound, OrgsError
from dpghub.orgs.models import Membership
from dpghub.orgs.rules import ORGS_RULES
from dpghub.orgs.selectors import (
    membership_get,
    memberships_pending,
    organisation_get,
    organisation_list,
    organisation_members,
    person_memberships,
)
from dpghub.orgs.services import membership_approve, membership_end, membership_refuse, membership_request
from dpghub.tokens.enums import TokenScope
from dpghub.tokens.errors import TokenError, TokenNotFound
from dpghub.tokens.selectors import token_get, tokens_of
from dpghub.tokens.services import token_create, token_revoke


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "en") or "en"


def orgs_list(request: HttpRequest) -> HttpResponse:
    org_type = request.GET.get("type", "")
    if org_type and org_type not in OrganisationType.values:
        org_type = ""
    q = request.GET.get("q", "")[:100].replace("\x00", "")
    organisations = list(organisation_list(viewer=request.user, type=org_type, q=q)[:500])
    language = _language(request)
    rows = [(org, country_name(org.country, language) if org.country else "") for org in organisations]
    return render(request, "web/orgs_list.html", {
        "rows": rows, "types": OrganisationType.choices, "type": org_type, "q": q, "nav": "orgs",
        "mine": list(person_memberships(viewer=request.user)),
        "json_url": reverse("api-v1:orgs_list"),
    })


def org_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = organisation_get(viewer=request.user, slug=slug)
    except OrganisationNotFound:
        raise Http404(_("No such organisation.")) from None
    viewer_actor = Actor.from_user(request.user)
    own = (Membership.objects.filter(person=request.user, organisation=organisation).first()
           if request.user.is_authenticated else None)
    return render(request, "web/org_detail.html", {
        "org": organisation, "nav": "orgs",
        "country": country_name(organisation.country, _language(request)) if organisation.country else "",
        "members": list(organisation_members(viewer=request.user, organisation=organisation)),
        "pending": list(memberships_pending(viewer=request.user, organisation=organisation)),
        "own": own,
        "can_request": request.user.is_authenticated and (own is None or own.status in ("refused", "ended")),
        "can_edit": actor_may(ORGS_RULES, "orgs.change_organisation", actor=viewer_actor, obj=organisation),
        "catalog_organisations": list(organisation.catalog_organisations.order_by("name")),
        "history": history_of(viewer=request.user, target=organisation, limit=50),
        "roles": MembershipRole.choices,
        "json_url": reverse("api-v1:org_detail", kwargs={"id": organisation.slug}),
    })


@require_POST
@login_required
def org_join(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = organisation_get(viewer=request.user, slug=slug)
        membership_request(actor=Actor.person(request.user), organisation=organisation,
                           note=request.POST.get("note", "")[:500])
    except OrganisationNotFound:
        raise Http404(_("No such organisation.")) from None
    except OrgsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request was sent. An administrator of the organisation or the DPG Hub "
                                    "secretariat will decide."))
    return redirect("web:org-detail", slug=slug)


_DECIDE = {"approve": membership_approve, "refuse": membership_refuse, "end": membership_end}


@require_POST
@login_required
def membership_decide(request: HttpRequest, membership_id: int, action: str) -> HttpResponse:
    if action not in _DECIDE:
        raise Http404()
    try:
        membership = membership_get(viewer=request.user, membership_id=membership_id)
    except MembershipNotFound:
        raise Http404(_("No such membership.")) from None
    actor = Actor.person(request.user)
    try:
        if action == "approve":
            membership_approve(actor=actor, membership=membership,
                               role=request.POST.get("role", MembershipRole.MEMBER))
        else:
            _DECIDE[action](actor=actor, membership=membership)
    except OrgsError as exc:
        if isinstance(exc, DomainPermissionDenied):
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("web:org-detail", slug=membership.organisation.slug)


@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    created = None
    errors: dict[str, str] = {}
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                token = token_get(viewer=request.user, token_id=int(request.POST["revoke"]))
                token_revoke(actor=Actor.person(request.user), token=token)
                messages.success(request, _("The token was revoked."))
            except (TokenNotFound, ValueError):
                raise Http404(_("No such token.")) from None
            return redirect("web:tokens")
        try:
            days = int(request.POST.get("expires_days") or 90)
        except ValueError:
            days = 0
        try:
            _token, created = token_create(actor=Actor.person(request.user), person=request.user,
                                           name=request.POST.get("name", ""), scope=request.POST.get("scope", ""),
                                           expires_days=days)
        except TokenError as exc:
            errors[exc.field or "name"] = exc.message
    response = render(request, "web/tokens.html", {
        "tokens": list(tokens_of(viewer=request.user)), "created": created, "errors": errors,
        "scopes": TokenScope.choices, "nav": "account", "form": request.POST if errors else {},
    })
    response["Cache-Control"] = "no-store"  # a new token is shown once; never keep the page
    return response


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def activity_page(request: HttpRequest) -> HttpResponse:
    """The whole activity log, filterable: for the secretariat; for anyone else the page does not exist."""
    get = request.GET
    filters = ActivityFilters(
        action=get.get("action", ""), actor_kind=get.get("actor_kind", "") if get.get("actor_kind") in
        ActorKind.values else "", target_type=get.get("target_type", "")[:50],
        since=_date(get.get("since", "")), until=_date(get.get("until", "")),
    )
    rows = activity_list(viewer=request.user, filters=filters)
    if rows is None:
        raise Http404()
    page = Paginator(rows, 50).get_page(get.get("page"))
    return render(request, "web/activity.html", {
        "entries": activity_entries(viewer=request.user, rows=page.object_list), "page": page,
        "filters": filters, "actions": history_actions(),
        "actor_kinds": [(k, label) for k, label in ActorKind.choices if k != ActorKind.ANONYMOUS],
        "query": get.urlencode(), "nav": "activity",
    })


@login_required
def notifications_page(request: HttpRequest) -> HttpResponse:
    actor = Actor.person(request.user)
    if request.method == "POST":
        if "mark_read" in request.POST:
            notifications_mark_read(actor=actor)
            messages.success(request, _("All notifications are marked as read."))
        else:
            for kind, _label in NotificationKind.choices:
                notification_preference_set(actor=actor, kind=kind, by_email=f"email:{kind}" in request.POST,
                                            in_site=f"site:{kind}" in request.POST)
            messages.success(request, _("Your choices are saved."))
        return redirect("web:notifications")
    return render(request, "web/notifications.html", {
        "notifications": notifications_of(viewer=request.user),
        "preferences": notification_preferences(viewer=request.user), "nav": "notifications",
    })
