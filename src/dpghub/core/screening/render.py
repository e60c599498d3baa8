"""The report as Markdown (for issues, pull requests and review notes)."""

from __future__ import annotations

from dpghub.core.screening.origin import REASON_PHRASES
from dpghub.core.screening.report import INDICATOR_NAMES, Evidence, Report


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def evidence_text(item: Evidence) -> str:
    where = f"`{item.path}`" if item.path else ""
    if item.line:
        where += f" line {item.line}"
    if item.url:
        where = f"[{where or item.url}]({item.url})"
    if item.excerpt:
        where += f": {item.excerpt}"
    return where


def skipped_sentence(report: Report, shown: int = 5) -> str | None:
    """One sentence saying which files were not counted as the project's own evidence, or None."""
    if not report.skipped:
        return None
    parts = []
    for group in report.skipped[:shown]:
        count = f"{group.files} files, " if group.files > 1 else ""
        parts.append(f"{group.path} ({count}{REASON_PHRASES.get(group.reason, group.reason)})")
    rest = len(report.skipped) - shown
    if rest > 0:
        parts.append(f"{rest} more {'place' if rest == 1 else 'places'} listed in the report")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return ("Files that are not the project's own were not counted as evidence for indicators 3 to 9 "
            f"(they are still read for the licence): {listed}.")


def to_markdown(report: Report) -> str:
    lines = [f"# DPG screening of {report.source}", ""]
    commit = f"commit `{report.commit[:12]}`" if report.commit else "no commit"
    summary = (f"{commit} · category {report.category} · {report.files_seen} files, {report.bytes_read} bytes read · "
               f"{report.duration_ms} ms · dpghub {report.tool_version} · {report.screened_at}")
    lines += [summary, ""]
    lines += ["| Indicator | Status | Explanation |", "|---|---|---|"]
    for finding in report.findings:
        lines.append(f"| {finding.indicator}. {_cell(INDICATOR_NAMES[finding.indicator])} | "
                     f"**{finding.status.label}** | {_cell(finding.explanation)} |")
    lines += ["", "Automated screening can only say *likely met* for indicators 7-9: the project must attest them."]
    skipped = skipped_sentence(report)
    if skipped:
        lines += ["", skipped]
    lines += ["", "## Evidence", ""]
    for finding in report.findings:
        if not finding.evidence:
            continue
        lines.append(f"### {finding.indicator}. {INDICATOR_NAMES[finding.indicator]}")
        lines += [f"- {evidence_text(e)}" for e in finding.evidence]
        lines.append("")
    lic = report.licenses
    lines += ["## Licences", ""]
    if not lic.available:
        lines.append("The licence engine was not available.")
    else:
        lines.append(f"- Root expression: `{lic.root_expression or 'none found'}`"
                     + (f" ({lic.approval} for {report.category})" if lic.approval else ""))
        if lic.expressions:
            lines.append("- Expressions found: " + ", ".join(f"`{x}`" for x in lic.expressions))
        if lic.declared:
            lines.append("- Declared: " + ", ".join(f"`{x}`" for x in lic.declared))
        lines += [f"- Conflict: {c}" for c in lic.conflicts]
        lines += [f"- Note: {n}" for n in lic.notes]
    lines += ["", "## Health signals", "", "| Signal | Status | Detail |", "|---|---|---|"]
    for signal in report.health:
        lines.append(f"| {signal.id.replace('_', ' ')} | {signal.status.value} | {_cell(signal.explanation)} |")
    if report.limits_hit:
        lines += ["", "## Limits hit", ""]
        lines += [f"- {n.limit}: {n.detail}" + (f" (`{n.where}`)" if n.where else "") for n in report.limits_hit]
    return "\n".join(lines) + "\n"
