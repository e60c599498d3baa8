"""Writes on organisations and memberships: ``entity_verb(*, actor, ...)``, one transaction, one history row.

Permission rules are in :mod:`dpghub.orgs.rules`; the membership workflow in :mod:`dpghub.orgs.workflow`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dpghub.catalog.models import Organisation as CatalogOrganisation
from dpghub.common.authz import actor_may, secretariat_people
from dpghub.common.history import Actor, history_changes, history_record, history_snapshot
from dpghub.notifications.enums import NotificationKind
from dpghub.notifications.services import notify
from dpghub.orgs.enums import MembershipAction, MembershipRole, MembershipStatus, OrganisationType, OrgsAction
from dpghub.orgs.errors import InvalidOrganisation, InvalidTransition, OrgsPermissionDenied
from dpghub.orgs.models import Membership, Organisation
from dpghub.orgs.rules import ORGS_RULES
from dpghub.orgs.workflow import membership_actions, membership_next

_EDITABLE = ("name", "type", "agency", "country", "website")


def actor_pk(actor: Actor) -> int | None:
    return actor.user.pk if actor.user is not None else None


def _require(rule: str, *, actor: Actor, obj: Any = None) -> None:
    if not actor_may(ORGS_RULES, rule, actor=actor, obj=obj):
        raise OrgsPermissionDenied()


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code from an alpha-2 or alpha-3 code ("" stays ""); raises on anything else."""
    value = (value or "").strip().upper()
    if not value:
        return ""
    country = pycountry.countries.get(alpha_2=value) if len(value) == 2 else (
        pycountry.countries.get(alpha_3=value) if len(value) == 3 else None)
    if country is None:
        raise InvalidOrganisation(_("“%(value)s” is not an ISO 3166 country code.") % {"value": value}, field="country")
    return country.alpha_2


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = " ".join(str(cleaned["name"] or "").split())
        if not cleaned["name"]:
            raise InvalidOrganisation(_("An organisation needs a name."), field="name")
    if "type" in cleaned and cleaned["type"] not in OrganisationType.values:
        raise InvalidOrganisation(_("“%(value)s” is not an organisation type; use one of: %(types)s.")
                                  % {"value": cleaned["type"], "types": ", ".join(OrganisationType.values)},
                                  field="type")
    if "agency" in cleaned:
        cleaned["agency"] = " ".join(str(cleaned["agency"] or "").split())
    if "country" in cleaned:
        cleaned["country"] = country_code(cleaned["country"])
    if cleaned.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(cleaned["website"])
        except ValidationError:
            raise InvalidOrganisation(_("“%(value)s” is not a web address.") % {"value": cleaned["website"]},
                                      field="website") from None
    return cleaned


def _unique_slug(name: str, country: str) -> str:
    base = slugify(f"{name} {country}".strip())[:100].strip("-") or "organisation"
    slug, number = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def organisation_create(
    *, actor: Actor, name: str, type: str, country: str = "", agency: str = "", website: str = "",
    admin: Any = None,
) -> Organisation:
    """Register an organisation (the secretariat, or an operator's script); ``admin`` becomes its first
    administrator."""
    _require("orgs.create_organisation", actor=actor)
    fields = _clean({"name": name, "type": type, "country": country, "agency": agency, "website": website})
    if Organisation.objects.filter(name__iexact=fields["name"], agency__iexact=fields["agency"],
                                   country=fields["country"]).exists():
        raise InvalidOrganisation(_("An organisation with this name, agency and country is already registered."),
                                  field="name")
    with transaction.atomic():
        organisation = Organisation.objects.create(slug=_unique_slug(fields["name"], fields["country"]), **fields)
        history_record(actor=actor, action=OrgsAction.ORGANISATION_CREATE, target=organisation,
                       changes=history_changes({}, history_snapshot(organisation, _EDITABLE)))
        if admin is not None:
            membership = Membership.objects.create(person=admin, organisation=organisation, role=MembershipRole.ADMIN,
                                                   status=MembershipStatus.ACTIVE, decided_at=timezone.now())
            history_record(actor=actor, action=OrgsAction.MEMBERSHIP_APPROVE, target=membership,
                           changes={"status": {"before": None, "after": MembershipStatus.ACTIVE},
                                    "role": {"before": None, "after": MembershipRole.ADMIN}})
    return organisation


def organisation_update(*, actor: Actor, organisation: Organisation, **fields: Any) -> Organisation:
    """Change an organisation's name, type, agency, country or website (its administrators, the secretariat)."""
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise InvalidOrganisation(_("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    _require("orgs.change_organisation", actor=actor, obj=organisation)
    cleaned = _clean(fields)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = history_snapshot(organisation, _EDITABLE)
        for name, value in cleaned.items():
            setattr(organisation, name, value)
        changes = history_changes(before, history_snapshot(organisation, _EDITABLE))
        if changes:
            organisation.save()
            history_record(actor=actor,
                           action=OrgsAction.ORGANISATION_UPDATE, target=organisation, changes=changes)
    return organisation


def organisation_link_catalog(
    *, actor: Actor, organisation: Organisation, catalog_organisation_ids: Iterable[int],
) -> Organisation:
    """Say which of the registry's organisations (owners of goods) this organisation is: a link, not a copy."""
    _require("orgs.link_organisation", actor=actor, obj=organisation)
    wanted = sorted(set(catalog_organisation_ids))
    found = set(CatalogOrganisation.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise InvalidOrganisation(_("No registry organisation with id %(ids)s.") % {"ids": ", ".join(missing)},
                                  field="catalog_organisations")
    with transaction.atomic():
        before = sorted(organisation.catalog_organisations.values_list("pk", flat=True))
        if before != wanted:
            organisation.catalog_organisations.set(wanted)
            history_record(actor=actor, action=OrgsAction.ORGANISATION_LINK, target=organisation,
                           changes={"catalog_organisations": {"before": before, "after": wanted}})
    return organisation


_ACTION_HISTORY = {
    MembershipAction.REQUEST: OrgsAction.MEMBERSHIP_REQUEST,
    MembershipAction.APPROVE: OrgsAction.MEMBERSHIP_APPROVE,
    MembershipAction.REFUSE: OrgsAction.MEMBERSHIP_REFUSE,
    MembershipAction.END: OrgsAction.MEMBERSHIP_END,
}
_ACTION_RULE = {
    MembershipAction.APPROVE: "orgs.decide_membership",
    MembershipAction.REFUSE: "orgs.decide_membership",
    MembershipAction.END: "orgs.end_membership",
}


def _transition(*, actor: Actor, membership: Membership, action: MembershipAction, role: str | None = None) -> Membership:
    _require(_ACTION_RULE[action], actor=actor, obj=membership)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
        state = MembershipStatus(membership.status)
        new_state = membership_next(state, action)
        if new_state is None:
            raise InvalidTransition(state.label, action.label, [str(a.label) for a in membership_actions(state)])
        if (action == MembershipAction.END and membership.role == MembershipRole.ADMIN
                and state == MembershipStatus.ACTIVE):
            _refuse_last_admin(membership)
        before = history_snapshot(membership, ["status", "role"])
        membership.status = new_state
        if role is not None:
            membership.role = role
        membership.decided_at = timezone.now()
        membership.version += 1
        membership.save()
        history_record(actor=actor,
                       action=_ACTION_HISTORY[action], target=membership,
                       changes=history_changes(before, history_snapshot(membership, ["status", "role"])))
        if action in (MembershipAction.APPROVE, MembershipAction.REFUSE) and membership.person_id != actor_pk(actor):
            verdict = _("approved") if action == MembershipAction.APPROVE else _("refused")
            notify(people=[membership.person], kind=NotificationKind.MEMBERSHIP_DECIDED,
                   subject=_("Your request to act for %(org)s was %(verdict)s")
                   % {"org": membership.organisation.name, "verdict": verdict},
                   body=_("Your request to act for %(org)s was %(verdict)s.")
                   % {"org": membership.organisation, "verdict": verdict},
                   url=reverse("web:org-detail", kwargs={"slug": membership.organisation.slug}))
    return membership


def _refuse_last_admin(membership: Membership) -> None:
    others = (Membership.objects.filter(organisation_id=membership.organisation_id, role=MembershipRole.ADMIN,
                                        status=MembershipStatus.ACTIVE).exclude(pk=membership.pk))
    if not others.exists():
        raise InvalidOrganisation(_("An organisation keeps at least one administrator: name another one first."),
                                  field="role")


def membership_request(*, actor: Actor, organisation: Organisation, note: str = "") -> Membership:
    """A signed-in person asks to act for ``organisation``; an administrator of it or the secretariat decides."""
    _require("orgs.request_membership", actor=actor, obj=organisation)
    if not actor.is_person:
        raise OrgsPermissionDenied(_("Only a person can ask to act for an organisation."))
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            person=actor.user, organisation=organisation, defaults={"note": note[:500]})
        state = None if created else MembershipStatus(membership.status)
        if membership_next(state, MembershipAction.REQUEST) is None:
            raise InvalidTransition(state.label, MembershipAction.REQUEST.label,
                                    [str(a.label) for a in membership_actions(state)])
        if not created:
            membership.status, membership.role, membership.note = MembershipStatus.REQUESTED, MembershipRole.MEMBER, note[:500]
            membership.decided_at = None
            membership.version += 1
            membership.save()
        history_record(actor=actor, action=OrgsAction.MEMBERSHIP_REQUEST, target=membership,
                       changes={"status": {"before": state.value if state else None, "after": MembershipStatus.REQUESTED}},
                       data={"organisation": organisation.pk})
        notify(people=_deciders(organisation), kind=NotificationKind.MEMBERSHIP_REQUESTED,
               subject=_("Request to act for %(org)s") % {"org": organisation.name},
               body=_("%(who)s asks to act for %(org)s. As its administrator, approve or refuse the request on the "
                      "organisation's page.") % {"who": actor.user.get_full_name() or actor.user.email,
                                                  "org": organisation},
               url=reverse("web:org-detail", kwargs={"slug": organisation.slug}))
    return membership


def _deciders(organisation: Organisation) -> list[Any]:
    """Who decides requests: the organisation's administrators, or the secretariat when it has none."""
    admins = [m.person for m in Membership.objects.filter(organisation=organisation, role=MembershipRole.ADMIN,
                                                          status=MembershipStatus.ACTIVE).select_related("person")]
    return admins or list(secretariat_people())


def membership_approve(*, actor: Actor, membership: Membership, role: str = MembershipRole.MEMBER) -> Membership:
    if role not in MembershipRole.values:
        raise InvalidOrganisation(_("“%(value)s” is not a membership role.") % {"value": role}, field="role")
    return _transition(actor=actor, membership=membership, action=MembershipAction.APPROVE, role=role)


def membership_refuse(*, actor: Actor, membership: Membership) -> Membership:
    return _transition(actor=actor, membership=membership, action=MembershipAction.REFUSE)


def membership_end(*, actor: Actor, membership: Membership) -> Membership:
    """The person leaves, or an administrator or the secretariat ends the membership."""
    return _transition(actor=actor, membership=membership, action=MembershipAction.END)


def membership_role_set(*, actor: Actor, membership: Membership, role: str) -> Membership:
    """Make an active member an administrator, or an administrator a member (never the last one)."""
    if role not in MembershipRole.values:
        raise InvalidOrganisation(_("“%(value)s” is not a membership role.") % {"value": role}, field="role")
    _require("orgs.change_membership_role", actor=actor, obj=membership)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
        if membership.status != MembershipStatus.ACTIVE:
            raise InvalidTransition(MembershipStatus(membership.status).label, str(_("change role")), [])
        if membership.role == role:
            return membership
        if membership.role == MembershipRole.ADMIN:
            _refuse_last_admin(membership)
        before = history_snapshot(membership, ["role"])
        membership.role = role
        membership.version += 1
        membership.save()
        history_record(actor=actor,
                       action=OrgsAction.MEMBERSHIP_ROLE, target=membership,
                       changes=history_changes(before, history_snapshot(membership, ["role"])))
    return membership
