"""Vocabularies of the Charter's monitoring framework: the 3 x 5 grid, statuses, ratings, history actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.common.history import history_vocabulary


class PledgeType(models.TextChoices):
    """The grid's rows: what kind of commitment a pledge is."""

    FINANCE = "finance", _("Finance")
    DESIGN_SHARE_DEPLOY = "design-share-deploy", _("Design, share and deploy")
    LEARN_ADVOCATE = "learn-advocate", _("Learn and advocate")


class Outcome(models.TextChoices):
    """The grid's columns: what a pledge works towards."""

    PRODUCTS = "products", _("Products")
    CAPACITY = "capacity", _("Capacity")
    IMPLEMENTATION = "implementation", _("Implementation")
    SAFEGUARDS_INCLUSION = "safeguards-inclusion", _("Safeguards and inclusion")
    EXTENDED_ECOSYSTEM = "extended-ecosystem", _("Extended ecosystem")


class PledgeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TargetStatus(models.TextChoices):
    """The endorser's own status of a target, given with each progress report."""

    NOT_STARTED = "not-started", _("Not started")
    ON_TRACK = "on-track", _("On track")
    AT_RISK = "at-risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Verification(models.TextChoices):
    """Whether the secretariat checked a report: verified and self-reported values are always told apart."""

    SELF_REPORTED = "self-reported", _("Self-reported")
    VERIFIED = "verified", _("Verified by the secretariat")
    MORE_EVIDENCE = "more-evidence", _("More evidence requested")


class ReportingLight(models.TextChoices):
    """How recently a pledge was reported on (the UN partnership platform's practice)."""

    GREEN = "green", _("Reported within the reporting period")
    AMBER = "amber", _("Report due")
    RED = "red", _("Report overdue")
    INACTIVE = "inactive", _("Inactive: no report for two periods")


class Gap(models.TextChoices):
    """A grid cell's gap signal: where nobody pledged anything, or pledges have delivered nothing yet."""

    NONE = "none", _("Pledges with progress")
    NO_PLEDGE = "no-pledge", _("No pledge")
    NOTHING_DELIVERED = "nothing-delivered", _("Pledges, but nothing delivered yet")


class Ambition(models.TextChoices):
    """The secretariat's rating of a pledge's ambition (after the OGP's independent mechanism)."""

    UNCLEAR = "unclear", _("Unclear")
    MODEST = "modest", _("Modest")
    SUBSTANTIAL = "substantial", _("Substantial")


class Completion(models.TextChoices):
    NO_EVIDENCE = "no-evidence", _("No evidence")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")


@history_vocabulary
class CharterAction(models.TextChoices):
    """What the Charter framework records in the history."""

    ENDORSEMENT_CREATE = "charter.endorsement.create", _("Charter endorsed")
    ENDORSEMENT_UPDATE = "charter.endorsement.update", _("Endorsement changed")
    PLEDGE_CREATE = "charter.pledge.create", _("Pledge drafted")
    PLEDGE_UPDATE = "charter.pledge.update", _("Pledge changed")
    PLEDGE_PUBLISH = "charter.pledge.publish", _("Pledge published")
    PLEDGE_WITHDRAW = "charter.pledge.withdraw", _("Pledge withdrawn")
    PLEDGE_RATE = "charter.pledge.rate", _("Pledge rated by the secretariat")
    PLEDGE_REMIND = "charter.pledge.remind", _("Reminder sent: a progress report is due")
    TARGET_CREATE = "charter.target.create", _("Target added")
    TARGET_UPDATE = "charter.target.update", _("Target changed")
    TARGET_DELETE = "charter.target.delete", _("Target removed")
    REPORT_CREATE = "charter.report.create", _("Progress reported")
    REPORT_VERIFY = "charter.report.verify", _("Progress report verified")
    REPORT_REQUEST_EVIDENCE = "charter.report.request_evidence", _("More evidence requested for a report")
    IMPORT_RUN = "charter.import.run", _("Charter data imported")
    SAMPLE_CREATE = "charter.sample.create", _("Sample Charter data created")
    SAMPLE_REMOVE = "charter.sample.remove", _("Sample Charter data removed")
