"""Static reading of CI workflows and Dockerfiles, line by line (no YAML loading, so no alias bombs and
every finding has a line number). Ideas follow the OpenSSF Scorecard check documentation
(Pinned-Dependencies, Dangerous-Workflow, Token-Permissions); the code is our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*[\"']?([^\s\"'#]+)")
FULL_SHA = re.compile(r"^[0-9a-f]{40}$")
FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", re.IGNORECASE)
PRIVILEGED_TRIGGER = re.compile(r"\b(pull_request_target|workflow_run)\b")
UNTRUSTED_REF = re.compile(
    r"github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|refs/pull/|"
    r"github\.event\.workflow_run\.head_(?:sha|branch)|gh pr checkout|git fetch[^\n]*pull/")
UNTRUSTED_CONTEXT = re.compile(
    r"\$\{\{\s*(github\.event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.ref|head\.label|"
    r"head\.repo\.default_branch)|comment\.body|review\.body|review_comment\.body|pages\.[^}]*page_name|"
    r"commits\.[^}]*(?:message|author\.(?:email|name))|head_commit\.(?:message|author\.(?:email|name))|"
    r"workflow_run\.(?:head_branch|head_commit\.message|head_commit\.author\.(?:email|name))|"
    r"discussion\.(?:title|body))|github\.head_ref)\s*\}\}")
RUN_KEY = re.compile(r"^(\s*)(?:-\s+)?(run|script):\s*(.*)$")
TOP_PERMISSIONS = re.compile(r"^permissions:\s*(.*?)\s*(?:#.*)?$")
WRITE_SCOPE = re.compile(r"^\s+(contents|packages|actions|statuses|checks|deployments|security-events|"
                         r"id-token|pull-requests|issues)\s*:\s*write\b")
JOB_WRITE = re.compile(r"^\s+permissions:\s*write-all|^\s+(contents|packages|actions)\s*:\s*write\b")


@dataclass(slots=True)
class Issue:
    path: str
    line: int
    excerpt: str
    kind: str


@dataclass(slots=True)
class WorkflowFacts:
    pinned: int = 0
    unpinned: list[Issue] = field(default_factory=list)
    dangerous: list[Issue] = field(default_factory=list)
    permissions: list[Issue] = field(default_factory=list)  # kind: "missing" | "write" | "job-write"
    workflows: int = 0


def _strip_comment(line: str) -> str:
    return line.split(" #", 1)[0] if " #" in line else ("" if line.lstrip().startswith("#") else line)


def read_workflow(path: str, text: str, facts: WorkflowFacts) -> None:
    facts.workflows += 1
    lines = text.splitlines()
    privileged = any(PRIVILEGED_TRIGGER.search(_strip_comment(line)) for line in lines)
    run_indent: int | None = None
    top_permissions = False
    in_top_permissions = False
    for number, raw in enumerate(lines, 1):
        line = _strip_comment(raw)
        excerpt = raw.strip()[:200]
        indent = len(raw) - len(raw.lstrip())
        if run_indent is not None and raw.strip() and indent <= run_indent:
            run_indent = None
        uses = USES.match(line)
        if uses:
            ref = uses.group(1)
            if ref.startswith("./"):
                pass
            elif ref.startswith("docker://"):
                if "@sha256:" in ref:
                    facts.pinned += 1
                else:
                    facts.unpinned.append(Issue(path, number, excerpt, "action"))
            elif "@" in ref and FULL_SHA.match(ref.rsplit("@", 1)[1]):
                facts.pinned += 1
            else:
                facts.unpinned.append(Issue(path, number, excerpt, "action"))
        if privileged and UNTRUSTED_REF.search(line) and ("ref:" in line or "run:" in line or run_indent is not None
                                                          or "checkout" in line):
            facts.dangerous.append(Issue(path, number, excerpt, "untrusted_checkout"))
        run = RUN_KEY.match(raw)
        if run:
            rest = run.group(3)
            if rest.startswith(("|", ">")):
                run_indent = len(run.group(1))
            elif UNTRUSTED_CONTEXT.search(rest):
                facts.dangerous.append(Issue(path, number, excerpt, "script_injection"))
        elif run_indent is not None and UNTRUSTED_CONTEXT.search(raw):
            facts.dangerous.append(Issue(path, number, excerpt, "script_injection"))
        top = TOP_PERMISSIONS.match(raw)
        if top:
            top_permissions = True
            value = top.group(1)
            in_top_permissions = value == ""
            if value in ("write-all",) or "write" in value:
                facts.permissions.append(Issue(path, number, excerpt, "write"))
            continue
        if in_top_permissions:
            if raw.strip() and indent == 0:
                in_top_permissions = False
            elif WRITE_SCOPE.match(raw) and re.match(r"^\s+(contents|packages|actions)\b", raw):
                facts.permissions.append(Issue(path, number, excerpt, "write"))
        elif JOB_WRITE.match(raw):
            facts.permissions.append(Issue(path, number, excerpt, "job-write"))
    if not top_permissions:
        facts.permissions.append(Issue(path, 1, "no top-level permissions block", "missing"))


def read_dockerfile(path: str, text: str, facts: WorkflowFacts) -> None:
    stages: set[str] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        match = FROM.match(raw)
        if not match:
            continue
        image, alias = match.group(1), match.group(2)
        if alias:
            stages.add(alias.lower())
        if image.lower() == "scratch" or image.lower() in stages:
            continue
        if "@sha256:" in image:
            facts.pinned += 1
        else:
            facts.unpinned.append(Issue(path, number, raw.strip()[:200], "image"))
