"""Batch screening: one JSON line per source, failures recorded, resumable, worker processes."""

from __future__ import annotations

import json

from dpghub.core.screening.batch import completed, read_sources, run_batch
from tests.core.screening.helpers import MIT, make_plain, make_repo


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_read_sources_skips_comments_blanks_and_duplicates():
    assert read_sources(["# list\n", "\n", "/a\n", "  /b   # second\n", "/a\n"]) == ["/a", "/b"]


def test_batch_records_failures_and_resumes(tmp_path):
    good = make_repo(tmp_path / "good", {"LICENSE": MIT})
    plain = make_plain(tmp_path / "plain", {"README.md": "# p\n"})
    missing = str(tmp_path / "missing")
    out = tmp_path / "out.jsonl"
    sources = [str(good), missing, str(plain)]
    result = run_batch(sources, str(out), workers=1)
    assert (result.total, result.ok, result.failed, result.skipped) == (3, 2, 1, 0)
    rows = lines(out)
    assert [r["source"] for r in rows] == sources
    assert [r["ok"] for r in rows] == [True, False, True]
    assert rows[1]["error"] == {"code": "source.invalid", "message": f"no such directory: {missing}",
                                "where": missing}
    assert rows[0]["report"]["licenses"]["root_expression"] == "MIT"
    before = out.read_text()
    again = run_batch(sources, str(out), workers=1)
    assert (again.ok, again.failed, again.skipped) == (0, 0, 3)
    assert out.read_text() == before
    retried = run_batch(sources, str(out), workers=1, retry_failed=True)
    assert (retried.ok, retried.failed, retried.skipped) == (0, 1, 2)
    assert [r["source"] for r in lines(out)] == sources + [missing]


def test_interrupted_batch_cuts_the_half_written_line(tmp_path):
    repo = make_plain(tmp_path / "r", {"README.md": "# r\n"})
    other = make_plain(tmp_path / "o", {"README.md": "# o\n"})
    out = tmp_path / "out.jsonl"
    run_batch([str(repo)], str(out), workers=1)
    with open(out, "a") as handle:
        handle.write('{"source": "' + str(other) + '", "ok": tr')  # killed mid-write
    assert completed(str(out)) == {str(repo)}
    result = run_batch([str(repo), str(other)], str(out), workers=1)
    assert (result.ok, result.skipped) == (1, 1)
    assert [r["source"] for r in lines(out)] == [str(repo), str(other)]


def test_worker_processes(tmp_path):
    repos = [str(make_plain(tmp_path / f"r{n}", {"README.md": f"# {n}\n"})) for n in range(3)]
    out = tmp_path / "out.jsonl"
    seen = []
    result = run_batch(repos + [str(tmp_path / "gone")], str(out), workers=2, on_result=seen.append)
    assert (result.ok, result.failed) == (3, 1)
    assert sorted(r["source"] for r in lines(out)) == sorted(repos + [str(tmp_path / "gone")])
    assert len(seen) == 4
