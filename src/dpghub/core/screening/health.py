"""Health signals in the spirit of OpenSSF Scorecard, from the checkout and (when present) git history.

From files: binary artefacts, pinned dependencies (CI actions, Dockerfile base images), dangerous workflow
patterns, token permissions, a dependency-update tool, a security policy. From history: the last commit,
active contributors in the last 90 days and the bus factor (fewest authors behind half the commits of
the last year). A shallow clone has one commit, so the history signals are "unknown" there.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import UTC, datetime
from functools import lru_cache

from dpghub.core.screening.checks.base import Context
from dpghub.core.screening.gitread import History
from dpghub.core.screening.report import Evidence, Signal, SignalStatus
from dpghub.core.screening.tree import BINARY_EXT
from dpghub.core.screening.workflows import Issue, WorkflowFacts, read_dockerfile, read_workflow

EXEC_MAGIC = (b"\x7fELF", b"MZ", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"\x00asm")
ALLOWED_BINARIES = frozenset({"gradle/wrapper/gradle-wrapper.jar", ".mvn/wrapper/maven-wrapper.jar"})
UPDATE_TOOLS = re.compile(r"^(?:\.github/dependabot\.ya?ml|(?:\.github/|\.gitlab/)?renovate\.json5?|"
                          r"\.renovaterc(?:\.json5?)?|\.pyup\.ya?ml|\.github/renovate\.json5?|\.snyk)$")
SECURITY_FILE = re.compile(r"^(?:|\.github/|docs/)SECURITY(?:\.md|\.rst|\.txt|\.adoc)?$", re.IGNORECASE)
CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|https?://\S+")
DAY = 86_400
# How the kinds of dangerous workflow (workflows.py) read in a sentence.
DANGER_PHRASES = {"untrusted_checkout": "a privileged workflow checks out the code of a pull request",
                  "script_injection": "values an outsider controls are pasted into a run script"}


@lru_cache(maxsize=65536)
def _binary_name(name: str) -> bool:
    """A compiled or packaged executable by its extension (the names of a repository repeat)."""
    return "." in name and "." + name.rsplit(".", 1)[-1].lower() in BINARY_EXT


def _ev(ctx: Context, issues: list[Issue], limit: int = 5) -> list[Evidence]:
    return [ctx.evidence(i.path, i.line, i.excerpt) for i in issues[:limit]]


def file_signals(ctx: Context) -> list[Signal]:
    tree = ctx.tree
    signals = []
    heads = tree.binary_heads
    binaries = [e.path for e in tree.entries if (_binary_name(e.path.rpartition("/")[2]) or (
        e.path in heads and heads[e.path].startswith(EXEC_MAGIC))) and e.path not in ALLOWED_BINARIES]
    if binaries:
        signals.append(Signal("binary_artifacts", SignalStatus.RISK, "health.binaries_found",
                              f"{len(binaries)} binary artefacts are committed (they cannot be reviewed).",
                              len(binaries), [ctx.evidence(p) for p in binaries[:5]]))
    else:
        signals.append(Signal("binary_artifacts", SignalStatus.OK, "health.no_binaries",
                              "No executable binary artefacts are committed.", 0))
    facts = WorkflowFacts()
    dockerfiles = 0
    for entry in tree.files():
        path, name = entry.path, entry.path.rsplit("/", 1)[-1]
        if path.startswith(".github/workflows/") and name.endswith((".yml", ".yaml")):
            text = tree.text(entry)
            if text is not None:
                read_workflow(path, text, facts)
        elif name.startswith(("Dockerfile", "Containerfile")) or name.endswith(".Dockerfile"):
            text = tree.text(entry)
            if text is not None:
                dockerfiles += 1
                read_dockerfile(path, text, facts)
    total = facts.pinned + len(facts.unpinned)
    if total == 0:
        signals.append(Signal("pinned_dependencies", SignalStatus.UNKNOWN, "health.pinning_not_applicable",
                              "No CI actions or container base images to pin were found.", None))
    elif facts.unpinned:
        signals.append(Signal("pinned_dependencies", SignalStatus.WARNING, "health.unpinned",
                              f"{len(facts.unpinned)} of {total} CI actions or base images are not pinned by hash.",
                              f"{facts.pinned}/{total}", _ev(ctx, facts.unpinned)))
    else:
        signals.append(Signal("pinned_dependencies", SignalStatus.OK, "health.pinned",
                              f"All {total} CI actions and base images are pinned by hash.", f"{total}/{total}"))
    if facts.workflows == 0:
        signals.append(Signal("dangerous_workflow", SignalStatus.UNKNOWN, "health.no_workflows",
                              "No GitHub Actions workflows were found.", None))
        signals.append(Signal("token_permissions", SignalStatus.UNKNOWN, "health.no_workflows",
                              "No GitHub Actions workflows were found.", None))
    else:
        if facts.dangerous:
            kinds = [phrase for kind, phrase in DANGER_PHRASES.items() if any(i.kind == kind for i in facts.dangerous)]
            signals.append(Signal("dangerous_workflow", SignalStatus.RISK, "health.dangerous_workflow",
                                  f"Workflows run untrusted input with privileges: {' and '.join(kinds)}.",
                                  len(facts.dangerous), _ev(ctx, facts.dangerous)))
        else:
            signals.append(Signal("dangerous_workflow", SignalStatus.OK, "health.workflows_safe",
                                  f"None of the {facts.workflows} workflows shows a known dangerous pattern.", 0))
        writes = [i for i in facts.permissions if i.kind == "write"]
        missing = [i for i in facts.permissions if i.kind == "missing"]
        if writes:
            signals.append(Signal("token_permissions", SignalStatus.RISK, "health.token_write",
                                  "A workflow gives its token write access at the top level.", len(writes),
                                  _ev(ctx, writes)))
        elif missing:
            signals.append(Signal("token_permissions", SignalStatus.WARNING, "health.token_undeclared",
                                  f"{len(missing)} of {facts.workflows} workflows do not declare token permissions "
                                  "at the top level.", len(missing), _ev(ctx, missing)))
        else:
            signals.append(Signal("token_permissions", SignalStatus.OK, "health.token_read_only",
                                  "Every workflow declares read-only token permissions at the top level.", 0))
    tools = [e.path for e in tree.files() if UPDATE_TOOLS.match(e.path)]
    if tools:
        signals.append(Signal("dependency_update_tool", SignalStatus.OK, "health.update_tool",
                              f"A dependency-update tool is configured ({tools[0]}).", True, [ctx.evidence(tools[0])]))
    else:
        signals.append(Signal("dependency_update_tool", SignalStatus.WARNING, "health.no_update_tool",
                              "No Dependabot, Renovate or PyUp configuration was found.", False))
    policies = [e for e in tree.files() if SECURITY_FILE.match(e.path)]
    if policies:
        text = tree.text(policies[0]) or ""
        contact = CONTACT.search(text)
        status = SignalStatus.OK if contact else SignalStatus.WARNING
        signals.append(Signal("security_policy", status,
                              "health.security_policy" if contact else "health.security_policy_no_contact",
                              f"{policies[0].path} is published" + (" with a contact for reports." if contact else
                                                                     " but gives no e-mail or link for reports."),
                              True, [ctx.evidence(policies[0].path)]))
    else:
        signals.append(Signal("security_policy", SignalStatus.WARNING, "health.no_security_policy",
                              "No SECURITY.md tells reporters how to disclose a vulnerability.", False))
    return signals


def bus_factor(authors: list[str]) -> int:
    """The fewest authors who together made at least half of the given commits."""
    counts = sorted(Counter(authors).values(), reverse=True)
    covered, needed = 0, 0
    for count in counts:
        covered += count
        needed += 1
        if covered * 2 >= len(authors):
            break
    return needed


def history_signals(history: History | None, now: float | None = None) -> list[Signal]:
    if history is None or not history.commits:
        reason = "health.no_history"
        text = "No git history is available."
        return [Signal(sid, SignalStatus.UNKNOWN, reason, text, None)
                for sid in ("last_commit", "active_contributors_90d", "bus_factor")]
    now = time.time() if now is None else now
    last = max(t for t, _ in history.commits)  # not HEAD's date: commits can be made out of order
    age_days = int((now - last) // DAY)
    when = datetime.fromtimestamp(last, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    status = SignalStatus.OK if age_days <= 90 else SignalStatus.WARNING if age_days <= 365 else SignalStatus.RISK
    signals = [Signal("last_commit", status, "health.last_commit", f"The last commit is from {when} ({age_days} days"
                      " ago).", when)]
    if history.shallow:
        text = "The clone is shallow (one commit), so contributors cannot be counted."
        signals += [Signal(sid, SignalStatus.UNKNOWN, "health.shallow_history", text, None)
                    for sid in ("active_contributors_90d", "bus_factor")]
        return signals
    recent = {author for t, author in history.commits if now - t <= 90 * DAY}
    signals.append(Signal("active_contributors_90d", SignalStatus.OK if len(recent) >= 2 else SignalStatus.WARNING,
                          "health.active_contributors", f"{len(recent)} {'person' if len(recent) == 1 else 'people'} committed in the last 90 days.",
                          len(recent)))
    year = [author for t, author in history.commits if now - t <= 365 * DAY] or [a for _, a in history.commits]
    factor = bus_factor(year)
    signals.append(Signal("bus_factor", SignalStatus.OK if factor >= 2 else SignalStatus.WARNING, "health.bus_factor",
                          f"{factor} {'person makes' if factor == 1 else 'people make'} half of the commits of the "
                          "last year.", factor))
    return signals
