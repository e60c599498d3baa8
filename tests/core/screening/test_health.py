"""Workflow and Dockerfile reading, and the history signals."""

from __future__ import annotations

import time

from dpghub.core.screening import screen
from dpghub.core.screening.gitread import History
from dpghub.core.screening.health import bus_factor, history_signals
from dpghub.core.screening.workflows import WorkflowFacts, read_dockerfile, read_workflow
from tests.core.screening.helpers import git, make_repo

SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"
SAFE = f"""on:
  pull_request:
permissions:
  contents: read
jobs:
  test:
    permissions:
      pull-requests: write
    steps:
      - uses: actions/checkout@{SHA} # v4
      - uses: ./local-action
      - uses: docker://alpine@sha256:{'c' * 64}
      - name: title is only printed through an env var
        env:
          TITLE: ${{{{ github.event.pull_request.title }}}}
        run: echo "$TITLE"
"""


def facts(text: str) -> WorkflowFacts:
    result = WorkflowFacts()
    read_workflow(".github/workflows/x.yml", text, result)
    return result


def test_safe_workflow_has_no_issue():
    result = facts(SAFE)
    assert (result.pinned, result.unpinned, result.dangerous, result.permissions) == (2, [], [], [])


def test_script_injection_inline_and_in_blocks():
    text = SAFE.replace('run: echo "$TITLE"', 'run: echo "${{ github.event.pull_request.title }}"')
    text += "      - run: |\n          ls\n          echo ${{ github.head_ref }}\n      - run: echo ${{ github.sha }}\n"
    result = facts(text)
    assert [(i.line, i.kind) for i in result.dangerous] == [(16, "script_injection"), (19, "script_injection")]


def test_untrusted_checkout_needs_a_privileged_trigger():
    checkout = "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n"
    assert facts("on: pull_request\njobs:\n  a:\n    steps:\n" + checkout).dangerous == []
    result = facts("on:\n  workflow_run:\npermissions: read-all\njobs:\n  a:\n    steps:\n" + checkout)
    assert [(i.line, i.kind) for i in result.dangerous] == [(9, "untrusted_checkout")]


def test_token_permissions():
    assert [i.kind for i in facts("on: push\njobs: {}\n").permissions] == ["missing"]
    assert [i.kind for i in facts("on: push\npermissions: write-all\n").permissions] == ["write"]
    nested = facts("on: push\npermissions:\n  contents: write\n  issues: read\njobs: {}\n")
    assert [(i.line, i.kind) for i in nested.permissions] == [(3, "write")]


def test_dockerfile_pinning():
    result = WorkflowFacts()
    read_dockerfile("Dockerfile", f"FROM node:20 AS build\nFROM build\nFROM scratch\nFROM alpine@sha256:{'a' * 64}\n"
                    "FROM --platform=linux/amd64 python:3.12-slim\n", result)
    assert result.pinned == 1
    assert [(i.line, i.excerpt) for i in result.unpinned] == [
        (1, "FROM node:20 AS build"), (5, "FROM --platform=linux/amd64 python:3.12-slim")]


def test_bus_factor():
    assert bus_factor(["a"] * 6 + ["b"] * 3 + ["c"]) == 1
    assert bus_factor(["a"] * 4 + ["b"] * 4 + ["c"] * 4) == 2
    assert bus_factor(["a"]) == 1


def test_history_signals_from_a_real_history(tmp_path):
    now = time.time()
    repo = make_repo(tmp_path / "h", {"README.md": "# h\n"})
    for n, (who, days) in enumerate([("bea", 10), ("cy", 20), ("bea", 200), ("dan", 400)]):
        stamp = f"@{int(now - days * 86400)} +0000"
        (repo / f"f{n}.txt").write_text(str(n))
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"c{n}", env={"GIT_AUTHOR_EMAIL": f"{who}@example.org",
                                                      "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
    signals = {s.id: (s.status.value, s.value) for s in screen(str(repo), now=now).health}
    # HEAD is dan's commit dated 400 days ago; the newest commit (ada, now) still counts as the last one.
    assert signals["last_commit"][0] == "ok"
    assert signals["active_contributors_90d"] == ("ok", 3)  # ada, bea, cy
    assert signals["bus_factor"] == ("warning", 1)  # bea made 2 of the 4 commits of the last year


def test_shallow_and_missing_history():
    shallow = {s.id: s.status.value for s in history_signals(History("a" * 40, ((100, "x"),), True), now=100 + 400 * 86400)}
    assert shallow == {"last_commit": "risk", "active_contributors_90d": "unknown", "bus_factor": "unknown"}
    assert {s.code for s in history_signals(None)} == {"health.no_history"}
