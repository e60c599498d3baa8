"""Sample Charter data for demonstrations and benchmarks: created and removed in one command each.

Everything it makes is marked: ``is_sample`` on endorsements, pledges and reports, ``source = "sample"``,
organisation names and pledge titles that start with "[Sample]", organisation slugs and pledge refs that
start with ``sample-`` / ``SAMPLE-``. Exports leave it out unless asked; the spreadsheet import refuses to
overwrite it. It links to real goods of the registry. One history row per run (``charter.sample.create``,
``charter.sample.remove``) with the counts.
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.catalog.models import Good
from dpghub.charter.enums import CharterAction, Outcome, PledgeStatus, PledgeType, TargetStatus, Verification
from dpghub.charter.exchange.apply import ExchangeError, import_require
from dpghub.charter.models import Endorsement, Pledge, PledgeCell, PledgeCountry, ProgressReport, Target
from dpghub.charter.state import charter_changed, targets_refresh
from dpghub.common.errors import Conflict
from dpghub.common.history import Actor, history_record
from dpghub.orgs.enums import OrganisationType
from dpghub.orgs.models import Organisation

SOURCE = "sample"
MARK = "[Sample]"
REF_PREFIX = "SAMPLE-"
SLUG_PREFIX = "sample-"

_ENDORSERS = (
    ("Ministry of Digital Economy", OrganisationType.GOVERNMENT, ("KE", "NG", "GH", "RW", "SN", "ET")),
    ("Ministry of Health", OrganisationType.GOVERNMENT, ("IN", "BD", "NP", "LK", "PH", "ID")),
    ("National Identity Agency", OrganisationType.GOVERNMENT, ("BR", "CO", "PE", "MX", "CL")),
    ("Open Technology Foundation", OrganisationType.FOUNDATION, ("US", "GB", "NL", "CH")),
    ("Digital Inclusion Trust", OrganisationType.FOUNDATION, ("NO", "DE", "FR")),
    ("Cloud Services Company", OrganisationType.PRIVATE_SECTOR, ("US", "IN", "ZA")),
    ("Systems Integrator", OrganisationType.PRIVATE_SECTOR, ("KE", "BR", "VN")),
    ("Civic Tech Network", OrganisationType.CIVIL_SOCIETY, ("UG", "TZ", "MW", "ZM")),
    ("Open Source Society", OrganisationType.CIVIL_SOCIETY, ("AR", "UY", "EC")),
    ("Development Bank", OrganisationType.INTERNATIONAL, ("",)),
    ("UN Digital Office", OrganisationType.INTERNATIONAL, ("",)),
    ("University School of Computing", OrganisationType.ACADEMIA, ("ZA", "EG", "MA", "IN")),
)
_TITLES = {
    PledgeType.FINANCE: ("Fund the maintenance of %(good)s", "Finance a national roll-out of %(good)s",
                         "A joint fund for %(good)s and its community"),
    PledgeType.DESIGN_SHARE_DEPLOY: ("Contribute upstream to %(good)s", "Deploy %(good)s in public services",
                                     "Translate %(good)s into national languages"),
    PledgeType.LEARN_ADVOCATE: ("Publish evidence on %(good)s deployments", "Train civil servants on %(good)s",
                                "Peer learning on %(good)s between ministries"),
}
_COUNT_TARGETS = (("Developers trained", "people"), ("Deployments live", "deployments"),
                  ("Languages added", "languages"), ("Agencies onboarded", "agencies"),
                  ("Upstream contributions merged", "pull requests"))
#: The currency a sample endorser funds in: its country's, else US dollars (international bodies, others).
_CURRENCIES = {"KE": "KES", "IN": "INR", "BR": "BRL", "GB": "GBP", "NL": "EUR", "DE": "EUR", "FR": "EUR",
               "NO": "NOK", "CH": "CHF", "ZA": "ZAR", "NG": "NGN", "MX": "MXN"}


class SampleExists(ExchangeError, Conflict):
    code = "sample_exists"


def _decimal(value: float) -> decimal.Decimal:
    return decimal.Decimal(str(round(value, 2)))


@transaction.atomic
def sample_create(*, actor: Actor, pledges: int = 60, seed: int = 1, today: dt.date | None = None) -> Counter:
    """Create ``pledges`` sample pledges (every cell of the grid gets some) with endorsers, targets, reports."""
    import_require(actor)
    if Pledge.objects.filter(is_sample=True).exists() or Endorsement.objects.filter(is_sample=True).exists():
        raise SampleExists(_("Sample data is already there: remove it first (dpghub charter sample --remove)."))
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not a secret
    today = today or timezone.localdate()
    goods = list(Good.objects.filter(stage="dpg").order_by("slug").values_list("pk", "name")) or list(
        Good.objects.order_by("slug").values_list("pk", "name"))
    counts: Counter = Counter()
    endorsements = []
    for index, (name, kind, countries) in enumerate(_ENDORSERS, start=1):
        country = rng.choice(countries)
        organisation = Organisation.objects.create(
            name=f"{MARK} {name}", slug=f"{SLUG_PREFIX}{index:02d}-{kind}", type=kind, country=country)
        endorsements.append(Endorsement.objects.create(
            organisation=organisation, endorsed_on=today - dt.timedelta(days=rng.randint(200, 900)),
            statement=_("Sample endorsement for demonstrations."), source=SOURCE, is_sample=True))
    counts["organisations"] = counts["endorsements"] = len(endorsements)
    cells = [(kind, outcome) for kind in PledgeType.values for outcome in Outcome.values]
    for number in range(1, pledges + 1):
        kind, outcome = cells[(number - 1) % len(cells)]  # every cell, then round again
        outcomes = sorted({outcome, rng.choice(Outcome.values)} if rng.random() < 0.3 else {outcome})
        endorsement = rng.choice(endorsements)
        good_pk, good_name = rng.choice(goods) if goods else (None, _("digital public goods"))
        country = endorsement.organisation.country
        countries = [country] if country else sorted(rng.sample(["KE", "IN", "BR", "NG", "BD", "PE"], 2))
        pledged_on = max(endorsement.endorsed_on, today - dt.timedelta(days=rng.randint(30, 700)))
        pledge = Pledge.objects.create(
            ref=f"{REF_PREFIX}{number:04d}", endorsement=endorsement,
            title=f"{MARK} " + rng.choice(_TITLES[kind]) % {"good": good_name},
            description=_("Sample pledge for demonstrations and benchmarks; not a real commitment."),
            types=[kind], outcomes=outcomes, countries=countries, status=PledgeStatus.PUBLISHED,
            pledged_on=pledged_on, published_at=timezone.now(), source=SOURCE, is_sample=True)
        if good_pk:
            pledge.goods.add(good_pk)
        PledgeCell.objects.bulk_create([PledgeCell(pledge=pledge, type=kind, outcome=o) for o in outcomes])
        PledgeCountry.objects.bulk_create([PledgeCountry(pledge=pledge, country=c) for c in countries])
        counts["pledges"] += 1
        deadline = pledged_on + dt.timedelta(days=rng.choice((365, 540, 730)))
        if kind == PledgeType.FINANCE:
            target = Target.objects.create(pledge=pledge, metric=_("Funding disbursed"),
                                           currency=_CURRENCIES.get(country, "USD"), baseline=decimal.Decimal(0),
                                           target_value=_decimal(rng.choice((1, 2, 5, 10)) * 100_000),
                                           deadline=deadline)
        else:
            metric, unit = rng.choice(_COUNT_TARGETS)
            target = Target.objects.create(pledge=pledge, metric=metric, unit=unit, baseline=decimal.Decimal(0),
                                           target_value=decimal.Decimal(rng.choice((5, 10, 20, 50, 200))),
                                           deadline=deadline)
        counts["targets"] += 1
        counts["reports"] += _reports(rng, target, pledged_on, deadline, today)
    targets_refresh(Target.objects.filter(pledge__is_sample=True).values_list("pk", flat=True))
    history_record(actor=actor, action=CharterAction.SAMPLE_CREATE, data={"seed": seed, "counts": dict(counts)})
    return counts


def _reports(rng: random.Random, target: Target, pledged_on: dt.date, deadline: dt.date, today: dt.date) -> int:
    """Cumulative reports every ~quarter since the pledge, some late or at risk, a few verified."""
    reports, value = [], decimal.Decimal(0)
    day = pledged_on + dt.timedelta(days=90)
    while day <= today and len(reports) < 8:
        step = target.target_value * _decimal(rng.uniform(0.05, 0.35))
        value = min(target.target_value, value + step).quantize(decimal.Decimal("0.01"))
        elapsed = (day - pledged_on).days / max(1, (deadline - pledged_on).days)
        share = value / target.target_value
        status = (TargetStatus.COMPLETED if share >= 1 else TargetStatus.ON_TRACK if share >= decimal.Decimal(
            str(elapsed * 0.8)) else TargetStatus.DELAYED if day > deadline else TargetStatus.AT_RISK)
        reports.append(ProgressReport(
            target=target, reported_on=day, value=value, status=status, narrative=_("Sample progress report."),
            verification=Verification.VERIFIED if rng.random() < 0.3 else Verification.SELF_REPORTED,
            verified_at=None, source=SOURCE, is_sample=True))
        if status == TargetStatus.COMPLETED:
            break
        day += dt.timedelta(days=rng.randint(75, 110))
    for report in reports:
        if report.verification == Verification.VERIFIED:
            report.verified_at = timezone.now()
    ProgressReport.objects.bulk_create(reports)
    return len(reports)


@transaction.atomic
def sample_remove(*, actor: Actor) -> Counter:
    """Remove every sample pledge, report, endorsement and the organisations made for them; nothing else."""
    import_require(actor)
    counts: Counter = Counter()
    counts["reports"] = ProgressReport.objects.filter(is_sample=True).delete()[1].get("charter.ProgressReport", 0)
    pledges = Pledge.objects.filter(is_sample=True)
    counts["pledges"] = pledges.count()
    pledges.delete()
    endorsements = Endorsement.objects.filter(is_sample=True)
    organisation_ids = list(endorsements.values_list("organisation_id", flat=True))
    counts["endorsements"] = endorsements.count()
    endorsements.delete()
    made = Organisation.objects.filter(pk__in=organisation_ids, slug__startswith=SLUG_PREFIX)
    counts["organisations"] = made.count()
    made.delete()
    charter_changed()
    history_record(actor=actor, action=CharterAction.SAMPLE_REMOVE, data={"counts": dict(counts)})
    return counts
