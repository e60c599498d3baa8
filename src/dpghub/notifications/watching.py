"""Watching: a signed-in person follows goods and countries and is told (in-site list and e-mail, through
:func:`~dpghub.notifications.services.notify`) when

- a followed good changes status (a review decision or an edit of its stage; ``good_status_changed``, called
  by ``catalog.services.editing.good_fields_set`` in its transaction),
- its recognition nears expiry (``watching_tick``, daily, ``DPGHUB_WATCH_EXPIRY_DAYS`` before),
- its licence changes (``good_licence_changed``, called by ``screening.services.screening_record_result`` when a
  screening finds another root licence than the previous one),
- a deployment of it, or in a followed country, is disputed (``deployment_disputed``, called by
  ``deployments.services.deployment_dispute``) or goes stale (``watching_tick``).

The daily tick tells each person about each event once (``WatchSent``), so running it twice changes nothing.
This module is imported by the apps whose writes it announces: it imports none of their services.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.common.authz import actor_may
from dpghub.common.history import Actor, history_record
from dpghub.core.countries import country_name
from dpghub.notifications.enums import NotificationKind, NotificationsAction
from dpghub.notifications.errors import FollowRefused, InvalidFollow
from dpghub.notifications.models import Watch, WatchSent
from dpghub.notifications.rules import NOTIFICATIONS_RULES
from dpghub.notifications.services import notify


def _country(code: str) -> str:
    import pycountry

    code = (code or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise InvalidFollow(_("“%(value)s” is not an ISO 3166 country.") % {"value": code}, field="country")
    return code


def _person(actor: Actor) -> Any:
    if not actor.is_person or not actor_may(NOTIFICATIONS_RULES, "notifications.follow", actor=actor):
        raise FollowRefused()
    return actor.user


# -- services ---------------------------------------------------------------------------------------------------

def watch_follow(*, actor: Actor, good: Any = None, country: str = "") -> Watch:
    """The actor follows ``good`` or ``country`` (following twice keeps the first)."""
    person = _person(actor)
    if (good is None) == (not country):
        raise InvalidFollow(_("Follow either a good or a country."))
    target = {"good": good} if good is not None else {"country": _country(country)}
    with transaction.atomic():
        existing = Watch.objects.filter(person=person, **target).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                watch = Watch.objects.create(person=person, **target)
        except IntegrityError:  # followed at the same moment by another request
            return Watch.objects.get(person=person, **target)
        history_record(actor=actor, action=NotificationsAction.WATCH_FOLLOW, target=watch,
                       data={"good": good.slug} if good is not None else {"country": target["country"]})
    return watch


def watch_unfollow(*, actor: Actor, good: Any = None, country: str = "") -> bool:
    """The actor stops following ``good`` or ``country``; False when they did not follow it."""
    person = _person(actor)
    target = {"good": good} if good is not None else {"country": _country(country)}
    with transaction.atomic():
        watch = Watch.objects.select_for_update().filter(person=person, **target).first()
        if watch is None:
            return False
        history_record(actor=actor, action=NotificationsAction.WATCH_UNFOLLOW, target=watch,
                       data={"good": good.slug} if good is not None else {"country": target["country"]})
        watch.delete()
    return True


# -- selectors --------------------------------------------------------------------------------------------------

def watches_of(*, viewer: Any) -> list[Watch]:
    """What the viewer follows (nothing for an anonymous visitor): goods first, then countries."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(Watch.objects.filter(person=viewer).select_related("good").order_by("country", "good__name", "pk"))


def is_following(*, viewer: Any, good: Any = None, country: str = "") -> bool:
    if not getattr(viewer, "is_authenticated", False):
        return False
    target = {"good": good} if good is not None else {"country": (country or "").upper()}
    return Watch.objects.filter(person=viewer, **target).exists()


def _watchers(*, goods: Iterable[int] = (), countries: Iterable[str] = ()) -> list[Any]:
    query = Q(good_id__in=list(goods)) | Q(country__in=[c for c in countries if c])
    return [watch.person for watch in Watch.objects.filter(query).select_related("person").order_by("person_id")]


def _except(people: list[Any], told: Iterable[Any]) -> list[Any]:
    skip = {person.pk for person in told if person is not None}
    return [person for person in people if person.pk not in skip]


# -- triggers, called inside the transaction of the write they announce -----------------------------------------

def good_status_changed(*, good: Any, changes: dict[str, dict[str, Any]]) -> None:
    """Tell the good's followers that its stage, recognition or expiry changed (``changes`` from the history)."""
    watched = {name: change for name, change in changes.items() if name in ("stage", "expires_on", "recognised_on")}
    if not watched:
        return
    lines = [_("%(field)s: %(before)s → %(after)s") % {"field": name, "before": change["before"] or "—",
                                                        "after": change["after"] or "—"}
             for name, change in sorted(watched.items())]
    notify(people=_watchers(goods=[good.pk]), kind=NotificationKind.WATCH_GOOD_STATUS,
           subject=_("%(good)s changed status") % {"good": good.name},
           body=_("%(good)s, which you follow, changed:") % {"good": good.name} + "\n" + "\n".join(lines),
           url=f"/goods/{good.slug}/")


def good_licence_changed(*, good: Any, before: str, after: str) -> None:
    """Tell the good's followers that a screening found another root licence than the previous one."""
    notify(people=_watchers(goods=[good.pk]), kind=NotificationKind.WATCH_GOOD_LICENCE,
           subject=_("The licence of %(good)s changed") % {"good": good.name},
           body=_("The latest screening of %(good)s found its licence is %(after)s; it was %(before)s.")
           % {"good": good.name, "after": after or "—", "before": before or "—"},
           url=f"/goods/{good.slug}/#screening")


def deployment_disputed(*, deployment: Any, reason: str, told: Iterable[Any] = ()) -> None:
    """Tell the followers of the deployment's good and country (but not those ``told`` already) of a dispute."""
    people = _except(_watchers(goods=[deployment.good_id], countries=[deployment.country]), told)
    notify(people=people, kind=NotificationKind.WATCH_DEPLOYMENT_DISPUTED,
           subject=_("A deployment of %(good)s in %(country)s is disputed")
           % {"good": deployment.good.name, "country": country_name(deployment.country)},
           body=_("The secretariat disputes the deployment of %(good)s in %(country)s: %(reason)s")
           % {"good": deployment.good.name, "country": country_name(deployment.country), "reason": reason},
           url=f"/deployments/{deployment.pk}/")


def deployment_verified(*, deployment: Any, told: Iterable[Any] = ()) -> None:
    """Tell the followers of the deployment's good and country (but not those ``told`` already) that the
    deploying agency confirmed it."""
    people = _except(_watchers(goods=[deployment.good_id], countries=[deployment.country]), told)
    notify(people=people, kind=NotificationKind.WATCH_DEPLOYMENT_VERIFIED,
           subject=_("%(org)s confirmed its deployment of %(good)s in %(country)s")
           % {"org": deployment.agency.name, "good": deployment.good.name,
              "country": country_name(deployment.country)},
           body=_("The deploying agency, %(org)s, confirmed that it runs %(good)s in %(country)s.")
           % {"org": deployment.agency.name, "good": deployment.good.name,
              "country": country_name(deployment.country)},
           url=f"/deployments/{deployment.pk}/")


# -- the daily tick ---------------------------------------------------------------------------------------------

def _once(person: Any, event: str) -> bool:
    """Record that ``person`` is told about ``event``; False when they were told already."""
    _row, created = WatchSent.objects.get_or_create(person=person, event=event[:200])
    return created


def watching_tick(*, today: dt.date | None = None) -> dict[str, int]:
    """Tell followers about recognitions expiring within ``DPGHUB_WATCH_EXPIRY_DAYS`` and deployments that went
    stale (not confirmed for ``DPGHUB_DEPLOYMENTS_STALE_DAYS``), each person once per event."""
    from dpghub.catalog.models import Good
    from dpghub.deployments.models import Deployment
    from dpghub.deployments.selectors import _with_last_seen, stale_before

    today = today or timezone.localdate()
    counts = {"expiring": 0, "stale": 0}
    horizon = today + dt.timedelta(days=settings.DPGHUB_WATCH_EXPIRY_DAYS)
    with transaction.atomic():
        watched_goods = Watch.objects.filter(good__isnull=False).values_list("good_id", flat=True)
        expiring = Good.objects.filter(pk__in=watched_goods, expires_on__gte=today, expires_on__lte=horizon,
                                       stage="dpg")
        for good in expiring.order_by("pk"):
            people = [p for p in _watchers(goods=[good.pk]) if _once(p, f"expiry:{good.pk}:{good.expires_on}")]
            days = (good.expires_on - today).days
            notify(people=people, kind=NotificationKind.WATCH_GOOD_EXPIRY,
                   subject=_("The recognition of %(good)s expires on %(date)s") % {"good": good.name,
                                                                                  "date": good.expires_on},
                   body=_("%(good)s, which you follow, is a digital public good until %(date)s (in %(days)s days) "
                          "unless it is renewed.") % {"good": good.name, "date": good.expires_on, "days": days},
                   url=f"/goods/{good.slug}/")
            counts["expiring"] += len(people)
        now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
        watched_countries = Watch.objects.exclude(country="").values_list("country", flat=True)
        stale = (_with_last_seen(Deployment.objects.filter(Q(good_id__in=watched_goods)
                                                          | Q(country__in=watched_countries)))
                 .filter(last_seen__lt=stale_before(on=now)).exclude(stage="decommissioned")
                 .select_related("good").order_by("pk"))
        by_person: dict[int, tuple[Any, list[Any]]] = defaultdict(lambda: (None, []))
        for deployment in stale:
            event = f"stale:{deployment.pk}:{deployment.last_seen.date().isoformat()}"
            for person in _watchers(goods=[deployment.good_id], countries=[deployment.country]):
                if _once(person, event):
                    by_person[person.pk] = (person, [*by_person[person.pk][1], deployment])
        for person, deployments in by_person.values():
            lines = [_("%(good)s in %(country)s, not confirmed since %(date)s")
                     % {"good": d.good.name, "country": country_name(d.country), "date": d.last_seen.date()}
                     for d in deployments]
            notify(people=[person], kind=NotificationKind.WATCH_DEPLOYMENT_STALE,
                   subject=_("%(count)s deployments you follow went stale") % {"count": len(deployments)}
                   if len(deployments) > 1 else _("A deployment you follow went stale"),
                   body="\n".join(lines), url=f"/api/v1/deployments/{deployments[0].pk}")
            counts["stale"] += len(deployments)
    return counts
