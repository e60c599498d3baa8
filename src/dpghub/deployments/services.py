"""Writes on deployments: ``entity_verb(*, actor, ...)``, one transaction, one history row, notices inside it.

Permission rules are in :mod:`dpghub.deployments.rules`; the verification workflow in
:mod:`dpghub.deployments.workflow`; importing files in :mod:`dpghub.deployments.importing`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.catalog.models import Good
from dpghub.common.authz import actor_may
from dpghub.common.history import Actor, history_changes, history_record, history_snapshot
from dpghub.deployments.countries import country_resolve
from dpghub.deployments.enums import (
    DeploymentsAction,
    DpiLayer,
    PartnerRole,
    ReachUnit,
    Sector,
    SourceKind,
    Stage,
    VerificationAction,
    VerificationState,
)
from dpghub.deployments.errors import (
    DeploymentsPermissionDenied,
    InvalidDeployment,
    InvalidTransition,
    StaleVersion,
)
from dpghub.deployments.models import Deployment, DeploymentPartner
from dpghub.deployments.rules import DEPLOYMENTS_RULES
from dpghub.deployments.workflow import verification_actions, verification_next
from dpghub.notifications.enums import NotificationKind
from dpghub.notifications.services import notify
from dpghub.notifications.watching import deployment_disputed, deployment_verified
from dpghub.orgs.enums import MembershipStatus
from dpghub.orgs.models import Membership, Organisation

#: The fields a person edits (the good is fixed: another good is another deployment).
EDITABLE = ("country", "agency", "agency_name", "layer", "sector", "stage", "scope", "started_on", "ended_on",
            "reach", "reach_unit", "reach_as_of", "evidence_urls", "notes")
_STATE_FIELDS = ("verification", "confirmed_at", "disputed_reason")
_CHOICES = {"layer": DpiLayer, "sector": Sector, "stage": Stage, "reach_unit": ReachUnit}
#: A partner: a registered organisation, or the name the source gave.
Partner = Organisation | str


def deployment_url(deployment: Deployment) -> str:
    """The deployment's page (web/deployments.py), where notices about it link to."""
    return f"/deployments/{deployment.pk}/"


def _require(rule: str, *, actor: Actor, obj: Any = None) -> None:
    if not actor_may(DEPLOYMENTS_RULES, rule, actor=actor, obj=obj):
        raise DeploymentsPermissionDenied()


def _url_list(values: Iterable[str]) -> list[str]:
    urls = []
    for value in values or ():
        value = str(value).strip()
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise InvalidDeployment(_("“%(value)s” is not a web address.") % {"value": value},
                                    field="evidence_urls") from None
        if value not in urls:
            urls.append(value)
    return urls


def deployment_clean(fields: dict[str, Any]) -> dict[str, Any]:
    """Check the meaning of a deployment's fields (shared with the importers); returns the cleaned copy."""
    cleaned = dict(fields)
    if "country" in cleaned:
        code = country_resolve(str(cleaned["country"] or ""))
        if code is None:
            raise InvalidDeployment(_("“%(value)s” is not an ISO 3166 country.") % {"value": cleaned["country"]},
                                    field="country")
        cleaned["country"] = code
    for name, vocabulary in _CHOICES.items():
        if name in cleaned:
            cleaned[name] = cleaned[name] or ""
            if cleaned[name] and cleaned[name] not in vocabulary.values:
                raise InvalidDeployment(_("“%(value)s” is not a %(field)s; use one of: %(values)s.")
                                        % {"value": cleaned[name], "field": name,
                                           "values": ", ".join(vocabulary.values)}, field=name)
    for name in ("agency_name", "scope", "notes"):
        if name in cleaned:
            cleaned[name] = " ".join(str(cleaned[name] or "").split()) if name != "notes" else str(cleaned[name] or "")
    if "agency" in cleaned and cleaned["agency"] is not None and not isinstance(cleaned["agency"], Organisation):
        raise InvalidDeployment(_("The deploying agency must be a registered organisation."), field="agency")
    for name in ("started_on", "ended_on", "reach_as_of"):
        if cleaned.get(name) is not None and not isinstance(cleaned[name], dt.date):
            raise InvalidDeployment(_("“%(value)s” is not a date.") % {"value": cleaned[name]}, field=name)
    if "reach" in cleaned and cleaned["reach"] is not None and (not isinstance(cleaned["reach"], int)
                                                              or cleaned["reach"] < 0):
        raise InvalidDeployment(_("The reach is a number of people or institutions, 0 or more."), field="reach")
    if "evidence_urls" in cleaned:
        cleaned["evidence_urls"] = _url_list(cleaned["evidence_urls"])
    return cleaned


def _check_whole(deployment: Deployment) -> None:
    if deployment.started_on and deployment.ended_on and deployment.ended_on < deployment.started_on:
        raise InvalidDeployment(_("A deployment cannot end before it starts."), field="ended_on")
    if deployment.reach is not None and not deployment.reach_unit:
        raise InvalidDeployment(_("Say what the reach counts (people, institutions, ...)."), field="reach_unit")
    if deployment.agency_id is None and not deployment.agency_name:
        raise InvalidDeployment(_("Name the deploying agency."), field="agency")


def _partners_snapshot(deployment: Deployment) -> dict[str, list[str]]:
    rows = list(deployment.partners.select_related("organisation").order_by("pk"))
    return {role: [f"org:{p.organisation.slug}" if p.organisation_id else f"name:{p.name}"
                   for p in rows if p.role == role] for role in PartnerRole.values}


def deployment_partners_set(deployment: Deployment, role: str, partners: Iterable[Partner]) -> None:
    """Replace the partners of one role (no history: the caller records it with the rest)."""
    rows, seen = [], set()
    for partner in partners:
        if isinstance(partner, Organisation):
            key = ("org", partner.pk)
            row = DeploymentPartner(deployment=deployment, role=role, organisation=partner)
        else:
            name = " ".join(str(partner or "").split())[:300]
            if not name:
                continue
            key = ("name", name.casefold())
            row = DeploymentPartner(deployment=deployment, role=role, name=name)
        if key not in seen:
            seen.add(key)
            rows.append(row)
    DeploymentPartner.objects.filter(deployment=deployment, role=role).delete()
    DeploymentPartner.objects.bulk_create(rows)


def agency_people(deployment: Deployment) -> list[Any]:
    """The active members (all roles) of the deploying agency: who can confirm the deployment."""
    if deployment.agency_id is None:
        return []
    return [m.person for m in Membership.objects.filter(organisation_id=deployment.agency_id,
                                                        status=MembershipStatus.ACTIVE).select_related("person")]


def _others(people: Iterable[Any], actor: Actor) -> list[Any]:
    me = actor.user.pk if actor.user is not None else None
    return [person for person in people if person is not None and person.pk != me]


def deployment_record(
    *, actor: Actor, good: Good, country: str, agency: Organisation | None = None, agency_name: str = "",
    layer: str = "", sector: str = "", stage: str = "", scope: str = "", started_on: dt.date | None = None,
    ended_on: dt.date | None = None, reach: int | None = None, reach_unit: str = "",
    reach_as_of: dt.date | None = None, evidence_urls: Iterable[str] = (), notes: str = "",
    implementers: Iterable[Partner] = (), funders: Iterable[Partner] = (),
) -> Deployment:
    """A signed-in person records a claim; the deploying agency's members are told so that they confirm it."""
    _require("deployments.record_deployment", actor=actor)
    if not actor.is_person:
        raise DeploymentsPermissionDenied(_("A claim is recorded by a person; imports use the importers."))
    fields = deployment_clean({
        "country": country, "agency": agency, "agency_name": agency_name, "layer": layer, "sector": sector,
        "stage": stage, "scope": scope, "started_on": started_on, "ended_on": ended_on, "reach": reach,
        "reach_unit": reach_unit, "reach_as_of": reach_as_of, "evidence_urls": list(evidence_urls), "notes": notes,
    })
    deployment = Deployment(good=good, source_kind=SourceKind.PERSON, source_person=actor.user, **fields)
    _check_whole(deployment)
    implementers, funders = list(implementers), list(funders)
    with transaction.atomic():
        deployment.save()
        deployment_partners_set(deployment, PartnerRole.IMPLEMENTER, implementers)
        deployment_partners_set(deployment, PartnerRole.FUNDER, funders)
        after = {**history_snapshot(deployment, ("good", *EDITABLE, "verification")),
                 **_partners_snapshot(deployment)}
        history_record(actor=actor, action=DeploymentsAction.DEPLOYMENT_RECORD, target=deployment,
                       changes=history_changes({}, after))
        if deployment.agency_id is not None:
            notify(people=_others(agency_people(deployment), actor), kind=NotificationKind.DEPLOYMENT_CLAIMED,
                   subject=_("A deployment of %(good)s names %(org)s") % {"good": good.name,
                                                                        "org": deployment.agency.name},
                   body=_("Someone recorded that %(org)s deploys %(good)s in %(country)s. As a member of %(org)s, "
                          "confirm it if it is true; until then it shows as a claim.")
                   % {"org": deployment.agency, "good": good.name, "country": deployment.country},
                   url=deployment_url(deployment))
    return deployment


def deployment_update(*, actor: Actor, deployment: Deployment, version: int,
                      implementers: Iterable[Partner] | None = None, funders: Iterable[Partner] | None = None,
                      **fields: Any) -> Deployment:
    """Change a deployment (its recorder, the agency's members, the secretariat), at the version the editor saw.

    A verified deployment that changes is a claim again: what the agency confirmed is no longer what is shown.
    """
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidDeployment(_("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    _require("deployments.change_deployment", actor=actor, obj=deployment)
    cleaned = deployment_clean(fields)
    with transaction.atomic():
        deployment = Deployment.objects.select_for_update().get(pk=deployment.pk)
        if deployment.version != version:
            raise StaleVersion(deployment.version)
        before = {**history_snapshot(deployment, EDITABLE + _STATE_FIELDS), **_partners_snapshot(deployment)}
        for name, value in cleaned.items():
            setattr(deployment, name, value)
        _check_whole(deployment)
        if implementers is not None:
            deployment_partners_set(deployment, PartnerRole.IMPLEMENTER, list(implementers))
        if funders is not None:
            deployment_partners_set(deployment, PartnerRole.FUNDER, list(funders))
        changes = history_changes(before, {**history_snapshot(deployment, EDITABLE + _STATE_FIELDS),
                                           **_partners_snapshot(deployment)})
        if not changes:
            return deployment
        state = VerificationState(deployment.verification)
        deployment.verification = verification_next(state, VerificationAction.EDIT)
        if deployment.verification != state:
            changes["verification"] = {"before": state.value, "after": deployment.verification.value}
        deployment.version += 1
        deployment.save()
        history_record(actor=actor, action=DeploymentsAction.DEPLOYMENT_UPDATE, target=deployment, changes=changes)
    return deployment


def _transition(*, actor: Actor, deployment: Deployment, action: VerificationAction) -> tuple[Deployment, dict]:
    deployment = Deployment.objects.select_for_update(of=("self",)).select_related("good", "agency").get(pk=deployment.pk)
    state = VerificationState(deployment.verification)
    new_state = verification_next(state, action)
    if new_state is None:
        raise InvalidTransition(state.label, action.label, [str(a.label) for a in verification_actions(state)])
    before = history_snapshot(deployment, _STATE_FIELDS)
    deployment.verification = new_state
    return deployment, before


def deployment_confirm(*, actor: Actor, deployment: Deployment) -> Deployment:
    """A member of the deploying agency confirms the deployment (again: a confirmation is renewed)."""
    _require("deployments.confirm_deployment", actor=actor, obj=deployment)
    if deployment.agency_id is None:
        raise DeploymentsPermissionDenied(_("Only a member of the deploying agency confirms a deployment; this one "
                                            "names no registered agency yet."))
    with transaction.atomic():
        deployment, before = _transition(actor=actor, deployment=deployment, action=VerificationAction.CONFIRM)
        deployment.confirmed_at = timezone.now()
        deployment.confirmed_by = actor.user
        deployment.version += 1
        deployment.save()
        history_record(actor=actor, action=DeploymentsAction.DEPLOYMENT_CONFIRM, target=deployment,
                       changes=history_changes(before, history_snapshot(deployment, _STATE_FIELDS)))
        notify(people=_others([deployment.source_person], actor), kind=NotificationKind.DEPLOYMENT_CONFIRMED,
               subject=_("%(org)s confirmed the deployment of %(good)s") % {"org": deployment.agency.name,
                                                                           "good": deployment.good.name},
               body=_("%(org)s confirmed that it deploys %(good)s in %(country)s.")
               % {"org": deployment.agency, "good": deployment.good.name, "country": deployment.country},
               url=deployment_url(deployment))
        # the good's and the country's followers (but the recorder, told above, and whoever confirmed)
        deployment_verified(deployment=deployment, told=[deployment.source_person, actor.user])
    return deployment


def deployment_dispute(*, actor: Actor, deployment: Deployment, reason: str) -> Deployment:
    """The secretariat disputes a claim or a verified deployment, saying why."""
    _require("deployments.dispute_deployment", actor=actor, obj=deployment)
    reason = str(reason or "").strip()
    if not reason:
        raise InvalidDeployment(_("Say why the deployment is disputed."), field="reason")
    with transaction.atomic():
        deployment, before = _transition(actor=actor, deployment=deployment, action=VerificationAction.DISPUTE)
        deployment.disputed_reason = reason
        deployment.disputed_at = timezone.now()
        deployment.version += 1
        deployment.save()
        history_record(actor=actor, action=DeploymentsAction.DEPLOYMENT_DISPUTE, target=deployment,
                       changes=history_changes(before, history_snapshot(deployment, _STATE_FIELDS)))
        told = _others(agency_people(deployment) + [deployment.source_person], actor)
        notify(people=told,
               kind=NotificationKind.DEPLOYMENT_DISPUTED,
               subject=_("The deployment of %(good)s in %(country)s is disputed")
               % {"good": deployment.good.name, "country": deployment.country},
               body=_("The secretariat disputes that %(agency)s deploys %(good)s in %(country)s: %(reason)s")
               % {"agency": deployment.agency or deployment.agency_name, "good": deployment.good.name,
                  "country": deployment.country, "reason": reason},
               url=deployment_url(deployment))
        deployment_disputed(deployment=deployment, reason=reason, told=told)  # the good's and country's followers
    return deployment


def deployment_resolve(*, actor: Actor, deployment: Deployment) -> Deployment:
    """The secretariat withdraws its dispute: the deployment is a claim again, for the agency to confirm."""
    _require("deployments.dispute_deployment", actor=actor, obj=deployment)
    with transaction.atomic():
        deployment, before = _transition(actor=actor, deployment=deployment, action=VerificationAction.RESOLVE)
        deployment.disputed_reason = ""
        deployment.disputed_at = None
        deployment.version += 1
        deployment.save()
        history_record(actor=actor, action=DeploymentsAction.DEPLOYMENT_RESOLVE, target=deployment,
                       changes=history_changes(before, history_snapshot(deployment, _STATE_FIELDS)))
    return deployment
