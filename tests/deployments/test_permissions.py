"""Every write service of deployments x every role: allowed or refused, and a refusal changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from dpghub.common.models import Activity, Job
from dpghub.deployments.errors import DeploymentsPermissionDenied
from dpghub.deployments.importing import deployments_import
from dpghub.deployments.models import Deployment, DeploymentImportRun, DeploymentPartner
from dpghub.deployments.services import (
    deployment_confirm,
    deployment_dispute,
    deployment_record,
    deployment_resolve,
    deployment_update,
)
from dpghub.notifications.models import Notification
from tests.deployments.helpers import DATA, make_deployment, make_good

ROLES = ["anonymous", "outsider", "member", "admin", "admin_of_another", "secretariat", "system",
         "admin_read_token", "admin_write_token"]

CALLS = {
    "record": lambda w, a, d: deployment_record(actor=a, good=d.good, country="UG", agency=w.org),
    # the claim was recorded by the requester (not yet a member of the agency)
    "edit": lambda w, a, d: deployment_update(actor=a, deployment=d, version=d.version, stage="national"),
    "confirm": lambda w, a, d: deployment_confirm(actor=a, deployment=d),
    "dispute": lambda w, a, d: deployment_dispute(actor=a, deployment=d, reason="No trace of it in the ministry."),
    "resolve": lambda w, a, d: deployment_resolve(actor=a, deployment=d),
    "import": lambda w, a, d: deployments_import(actor=a, format="digital-square",
                                                 path=DATA / "digital-square-excerpt.csv"),
}

ALLOWED = {
    # any signed-in person records a claim (a system job is no person: imports have their own path)
    "record": {"outsider", "member", "admin", "admin_of_another", "secretariat", "admin_write_token"},
    # the recorder, the agency's members and the secretariat
    "edit": {"member", "admin", "secretariat", "system", "admin_write_token", "requester"},
    # only a member of the deploying agency: not the secretariat, not another organisation's administrator
    "confirm": {"member", "admin", "system", "admin_write_token"},
    "dispute": {"secretariat", "system"},
    "resolve": {"secretariat", "system"},
    "import": {"secretariat", "system"},
}


def _state():
    return (
        list(Deployment.objects.order_by("pk").values()),
        list(DeploymentPartner.objects.order_by("pk").values()),
        DeploymentImportRun.objects.count(),
        Activity.objects.count(), Notification.objects.count(), Job.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES + ["requester"])
@pytest.mark.parametrize("service", sorted(CALLS))
def test_matrix(world, service, role):
    from dpghub.common.history import Actor

    actor = world.actors.get(role) or Actor.person(world.people[role])
    deployment = make_deployment(world, good=make_good("dhis2", "DHIS2"), source_person=world.people["requester"],
                                 verification="disputed" if service == "resolve" else "claimed",
                                 disputed_reason="x" if service == "resolve" else "")
    before = _state()
    allowed = ALLOWED[service] | ({"requester"} if service == "record" else set())
    if role in allowed:
        CALLS[service](world, actor, deployment)
        assert Activity.objects.count() == before[3] + 1, "an allowed write records one history row"
    else:
        with pytest.raises(DeploymentsPermissionDenied):
            CALLS[service](world, actor, deployment)
        assert _state() == before
        assert mail.outbox == []
