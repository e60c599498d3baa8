"""Who sees which pledges: drafts only by the endorser's members and the secretariat, never "forbidden"."""

from __future__ import annotations

import datetime as dt

import pytest

from dpghub.catalog.models import Good
from dpghub.charter.errors import PledgeNotFound, ReportNotFound
from dpghub.charter.selectors import endorsements_list, pledge_get, pledges_list, report_get
from tests.charter.helpers import endorse, pledge, report, target

SEES_DRAFT = {"anonymous": False, "outsider": False, "admin_of_another": False, "member": True, "admin": True,
              "secretariat": True}


@pytest.fixture
def pledges(world):
    good = Good.objects.create(slug="mosip", name="MOSIP")
    draft = pledge(endorse(world.org), "draft", status="draft", types=("learn-advocate",), countries=("KE",))
    report(target(draft, "people", 10), dt.date(2024, 2, 1), 1)
    pledge(endorse(world.org), "public", countries=("KE", "UG"), goods=[good])
    pledge(endorse(world.other), "withdrawn", status="withdrawn", outcomes=("capacity",))
    return {"good": good, "draft": draft}


@pytest.mark.parametrize("role", sorted(SEES_DRAFT))
def test_drafts_are_visible_to_the_endorser_and_the_secretariat_only(world, pledges, role):
    viewer = world.people.get(role.replace("admin_of_another", "other_admin"))
    refs = sorted(p.ref for p in pledges_list(viewer=viewer))
    assert refs == (["draft", "public", "withdrawn"] if SEES_DRAFT[role] else ["public", "withdrawn"])
    if SEES_DRAFT[role]:
        assert pledge_get(viewer=viewer, ref="draft") == pledges["draft"]
        assert report_get(viewer=viewer, report_id=pledges["draft"].targets.get().reports.get().pk).value == 1
    else:
        with pytest.raises(PledgeNotFound):
            pledge_get(viewer=viewer, ref="draft")
        with pytest.raises(ReportNotFound):
            report_get(viewer=viewer, report_id=pledges["draft"].targets.get().reports.get().pk)


def test_filters(world, pledges):
    secretariat = world.people["secretariat"]

    def refs(**filters):
        return sorted(p.ref for p in pledges_list(viewer=secretariat, **filters))

    assert refs(country="ke") == ["draft", "public"]
    assert refs(good=pledges["good"]) == ["public"]
    assert refs(type="learn-advocate") == ["draft"]
    assert refs(outcome="capacity") == ["withdrawn"]
    assert refs(status="withdrawn") == ["withdrawn"]
    assert refs(endorsement=world.other.endorsement) == ["withdrawn"]
    assert [e.organisation.slug for e in endorsements_list(viewer=None)] == ["moh-ke", "open-foundation"]
    assert [e.organisation.slug for e in endorsements_list(viewer=None, endorser_type="government", country="ke")] == [
        "moh-ke"]
