"""Small builders for Charter tests: endorsements, pledges, targets and reports written straight to the
database (the services have their own tests), so that each test states exactly the facts it counts. Like
every writer, they keep the grid's maintained state (dpghub.charter.state): the Charter stamp, and each
target's state after a report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dpghub.charter.enums import PledgeStatus, Verification
from dpghub.charter.models import Endorsement, Pledge, PledgeCell, PledgeCountry, ProgressReport, Target
from dpghub.charter.state import charter_changed, targets_refresh
from dpghub.orgs.models import Organisation


def endorse(org: Organisation, day: dt.date = dt.date(2024, 1, 1)) -> Endorsement:
    return Endorsement.objects.get_or_create(organisation=org, defaults={"endorsed_on": day})[0]


def pledge(endorsement: Endorsement, ref: str, *, types=("finance",), outcomes=("products",), countries=(),
           pledged_on: dt.date = dt.date(2024, 1, 1), status: str = PledgeStatus.PUBLISHED, goods=(),
           withdrawn_at=None) -> Pledge:
    row = Pledge.objects.create(endorsement=endorsement, ref=ref, title=f"Pledge {ref}", types=list(types),
                                outcomes=list(outcomes), countries=list(countries), pledged_on=pledged_on,
                                status=status, withdrawn_at=withdrawn_at)
    PledgeCell.objects.bulk_create([PledgeCell(pledge=row, type=t, outcome=o) for t in types for o in outcomes])
    PledgeCountry.objects.bulk_create([PledgeCountry(pledge=row, country=c) for c in countries])
    row.goods.set(goods)
    charter_changed()
    return row


def target(pledge: Pledge, metric: str, value, *, currency: str = "", unit: str = "", baseline=None,
           deadline: dt.date | None = None) -> Target:
    row = Target.objects.create(pledge=pledge, metric=metric, target_value=Decimal(str(value)), currency=currency,
                                unit=unit if (unit or currency) else "people", deadline=deadline,
                                baseline=None if baseline is None else Decimal(str(baseline)))
    charter_changed()
    return row


def report(target: Target, day: dt.date, value, status: str = "on-track", *, verified: bool = False,
           verified_at=None) -> ProgressReport:
    row = ProgressReport.objects.create(
        target=target, reported_on=day, value=Decimal(str(value)), status=status,
        verification=Verification.VERIFIED if verified else Verification.SELF_REPORTED, verified_at=verified_at)
    targets_refresh([target.pk])
    return row
