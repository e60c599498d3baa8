"""Finance pledges and their reported disbursements as IATI 2.03 activity XML (docs/charter-spreadsheets.md).

One ``iati-activity`` per finance pledge with at least one money target: each money target is an outgoing
commitment (transaction type 2) dated the pledge date; each progress report of it is a disbursement (type
3) of the increase since the previous report (reports are cumulative). Each disbursement's description
says whether the secretariat verified it or it is self-reported.
"""

from __future__ import annotations

import datetime as dt
import decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.charter.enums import PledgeStatus, PledgeType, TargetStatus, Verification
from dpghub.charter.models import Pledge
from dpghub.common.errors import Conflict
from dpghub.core.formats import iati

from .apply import ExchangeError
from .spreadsheets import _pledges

#: IATI OrganisationType codes for the endorser types.
ORGANISATION_TYPE = {"government": "10", "civil-society": "21", "international-organisation": "40",
                     "foundation": "60", "private-sector": "70", "academia": "80"}
IDENTIFIER_PREFIX = "DPGHUB"


class NothingToExport(ExchangeError, Conflict):
    code = "nothing_to_export"


def _activity(pledge: Pledge) -> iati.Activity | None:
    organisation = pledge.endorsement.organisation
    transactions = []
    deadlines = []
    completed = True
    for target in pledge.targets.all():
        if not target.currency:
            continue
        transactions.append(iati.Transaction(iati.OUTGOING_COMMITMENT, pledge.pledged_on, target.target_value,
                                             target.currency, _("Committed: %(metric)s") % {"metric": target.metric}))
        previous = decimal.Decimal(0)
        reports = sorted(target.reports.all(), key=lambda r: r.reported_on)
        for report in reports:
            label = Verification(report.verification).label
            transactions.append(iati.Transaction(
                iati.DISBURSEMENT, report.reported_on, report.value - previous, target.currency,
                _("%(metric)s, cumulative %(value)s %(currency)s as of %(date)s (%(verification)s)")
                % {"metric": target.metric, "value": iati.amount_text(report.value), "currency": target.currency,
                   "date": report.reported_on.isoformat(), "verification": label}))
            previous = report.value
        completed = completed and bool(reports) and reports[-1].status == TargetStatus.COMPLETED
        if target.deadline:
            deadlines.append(target.deadline)
    if not transactions:
        return None
    status = (iati.STATUS_CANCELLED if pledge.status == PledgeStatus.WITHDRAWN
              else iati.STATUS_FINALISATION if completed else iati.STATUS_IMPLEMENTATION)
    org_ref = f"{IDENTIFIER_PREFIX}-ORG-{organisation.slug}"
    return iati.Activity(
        identifier=f"{IDENTIFIER_PREFIX}-{pledge.ref}", reporting_org_ref=org_ref,
        reporting_org_type=ORGANISATION_TYPE.get(organisation.type, "90"), reporting_org_name=organisation.name,
        title=pledge.title, description=pledge.description, status_code=status, start_date=pledge.pledged_on,
        end_date=max(deadlines) if deadlines else None, countries=tuple(pledge.countries),
        transactions=tuple(transactions), language=settings.LANGUAGE_CODE.split("-")[0],
        last_updated=pledge.updated_at)


def iati_write(stream, *, include_sample: bool = False, now: dt.datetime | None = None) -> int:
    """Write the IATI document of the published finance pledges to a binary ``stream``; the number of activities."""
    pledges = [p for p in _pledges(include_sample).filter(status__in=[PledgeStatus.PUBLISHED, PledgeStatus.WITHDRAWN])
               if PledgeType.FINANCE in p.types]
    activities = [activity for activity in map(_activity, pledges) if activity is not None]
    if not activities:
        raise NothingToExport(_("No published finance pledge has a money target: an IATI file needs at least "
                                "one activity."))
    stream.write(iati.activities_xml(activities, generated=now or timezone.now()))
    return len(activities)
