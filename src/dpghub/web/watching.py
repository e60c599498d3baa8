"""Following goods and countries: the follow / unfollow form (POST, CSRF) and the "What I follow" page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dpghub.catalog.selectors import good_get
from dpghub.common.history import Actor
from dpghub.core.countries import country_name
from dpghub.notifications.watching import watch_follow, watch_unfollow, watches_of


@login_required
@require_POST
def watch(request: HttpRequest) -> HttpResponse:
    """Follow or unfollow the good (``good``: slug) or country (``country``: ISO code); back to ``next``."""
    actor = Actor.from_user(request.user)
    slug, country = request.POST.get("good", "").strip(), request.POST.get("country", "").strip()
    good = good_get(slug=slug) if slug else None  # GoodNotFound -> 404 page
    name = good.name if good is not None else country_name(country.upper())
    if request.POST.get("action") == "unfollow":
        watch_unfollow(actor=actor, good=good, country=country)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": name})
    else:
        watch_follow(actor=actor, good=good, country=country)  # InvalidFollow -> 400 page
        messages.success(request, _("You follow %(name)s.") % {"name": name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "web:following"
    return redirect(target)


@login_required
def following_page(request: HttpRequest) -> HttpResponse:
    watches = watches_of(viewer=request.user)
    context = {
        "goods": [w.good for w in watches if w.good_id],
        "countries": [(w.country, country_name(w.country)) for w in watches if w.country],
        "nav": "account",
    }
    return render(request, "web/following.html", context)
