"""Human labels of stored codes for the pages, in the active language."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from dpghub.catalog.labels import choice_label, country, facet_label, sdg_name  # noqa: F401 - re-exported

# The Standard's indicator titles and the category labels are marked for translation where they are
# written, in dpghub.core.standard; pages translate them with gettext by their English text.

#: Statuses of an automated screening finding (dpghub.core.screening.report.Status).
SCREENING_STATUS = {
    "met": gettext_noop("Met"),
    "likely_met": gettext_noop("Likely met"),
    "not_found": gettext_noop("Not found"),
    "failed": gettext_noop("Failed"),
    "needs_human": gettext_noop("Needs a human"),
}

#: Statuses of a health signal (dpghub.core.screening.report.SignalStatus).
SIGNAL_STATUS = {
    "ok": gettext_noop("OK"),
    "warning": gettext_noop("Warning"),
    "risk": gettext_noop("Risk"),
    "unknown": gettext_noop("Unknown"),
}

#: Health signals computed by the screening engine (dpghub.core.screening.health).
SIGNAL_NAMES = {
    "binary_artifacts": gettext_noop("Binary artefacts"),
    "pinned_dependencies": gettext_noop("Pinned dependencies"),
    "dangerous_workflow": gettext_noop("Dangerous CI workflows"),
    "token_permissions": gettext_noop("CI token permissions"),
    "dependency_update_tool": gettext_noop("Dependency update tool"),
    "security_policy": gettext_noop("Security policy"),
    "last_commit": gettext_noop("Last commit"),
    "active_contributors_90d": gettext_noop("Active contributors (90 days)"),
    "bus_factor": gettext_noop("Bus factor"),
}

#: Approval verdicts of the root licence for the good's category (report "licenses.approval").
LICENSE_APPROVAL = {
    "approved": gettext_noop("Approved open licence for this category"),
    "not-approved": gettext_noop("Not an approved open licence for this category"),
    "unknown": gettext_noop("Approval unknown"),
}


def from_table(table: dict[str, str], code: str | None, fallback: str = "") -> str:
    """The translated label of ``code``; unknown codes show as themselves, readable."""
    if code in table:
        return gettext(table[code])
    return fallback or (code or "").replace("_", " ")
