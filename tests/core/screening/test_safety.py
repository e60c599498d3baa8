"""The repository is hostile: each attack is built in tmp_path and must end in a report or a clear
ScreeningError, never in a crash, a hang, code execution or a read outside the tree."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import jsonschema
import pytest

from dpghub.core.screening import InvalidSource, LimitExceeded, Limits, screen
from dpghub.core.screening.fetch import resolve_source
from dpghub.core.screening.report import load_schema
from tests.core.screening.helpers import GIT_ENV, MIT, git, make_plain, make_repo

PASSWD_MARK = "root:"


def dump(report) -> str:
    return json.dumps(report.to_json())


def assert_valid(report) -> None:
    jsonschema.Draft202012Validator(load_schema()).validate(json.loads(dump(report)))


@pytest.mark.skipif(not Path("/etc/passwd").exists(), reason="needs /etc/passwd as the outside target")
class TestSymlinks:
    def test_plain_directory_symlinks_are_never_followed(self, tmp_path):
        root = make_plain(tmp_path / "p", {"README.md": "# Real readme\n"})
        os.symlink("/etc/passwd", root / "LICENSE")
        os.symlink("/etc", root / "docs")
        os.symlink("/etc/passwd", root / "SECURITY.md")
        report = screen(str(root))
        assert report.files_seen == 1
        assert report.bytes_read == len("# Real readme\n")
        assert PASSWD_MARK not in dump(report)
        assert report.finding("2").code == "license.not_found"
        assert report.finding("9a").code == "harm.security_missing"
        assert [(n.limit, n.detail) for n in report.limits_hit] == [("symlinks", "3 symlinks were not followed")]

    def test_tracked_symlink_in_a_work_tree_is_skipped(self, tmp_path):
        root = tmp_path / "w"
        root.mkdir()
        os.symlink("/etc/passwd", root / "LICENSE")
        repo = make_repo(root, {"README.md": "# Readme\n"})
        assert "120000" in git(repo, "ls-files", "-s", "LICENSE")  # git tracks it as a symlink
        report = screen(str(repo))
        assert report.files_seen == 1 and PASSWD_MARK not in dump(report)

    def test_tracked_directory_replaced_by_a_symlink_is_not_entered(self, tmp_path):
        repo = make_repo(tmp_path / "d", {"README.md": "# Readme\n", "etc/passwd": "harmless\n",
                                          "etc/LICENSE": MIT})
        for name in ("passwd", "LICENSE"):
            (repo / "etc" / name).unlink()
        (repo / "etc").rmdir()
        os.symlink("/etc", repo / "etc")  # the index still lists etc/passwd and etc/LICENSE
        report = screen(str(repo))
        assert report.files_seen == 1
        assert report.bytes_read == len("# Readme\n")
        assert PASSWD_MARK not in dump(report)

    def test_tracked_file_replaced_by_a_symlink_is_not_followed(self, tmp_path):
        # the index says LICENSE and docs/guide.md are regular files; the work tree now has symlinks
        repo = make_repo(tmp_path / "f", {"README.md": "# Readme\n", "LICENSE": MIT, "docs/guide.md": "# Guide\n"})
        (repo / "LICENSE").unlink()
        os.symlink("/etc/passwd", repo / "LICENSE")
        (repo / "docs" / "guide.md").unlink()
        os.symlink("/etc/passwd", repo / "docs" / "guide.md")
        report = screen(str(repo))
        assert PASSWD_MARK not in dump(report)
        assert report.bytes_read == len("# Readme\n")
        assert report.finding("2").code == "license.not_found"
        assert [(n.limit, n.detail) for n in report.limits_hit] == [("symlinks", "2 symlinks were not followed")]

    def test_tracked_file_deleted_from_the_work_tree(self, tmp_path):
        repo = make_repo(tmp_path / "g", {"README.md": "# Readme\n", "LICENSE": MIT})
        (repo / "LICENSE").unlink()  # still in the index: committed, but there is nothing to read
        report = screen(str(repo))
        assert report.bytes_read == len("# Readme\n")
        assert report.finding("2").code == "license.not_found"


def test_huge_sparse_file_is_not_read(tmp_path):
    root = make_plain(tmp_path / "big", {"README.md": "# Big\n"})
    with open(root / "data.txt", "wb") as handle:
        handle.truncate(1 << 30)  # 1 GiB, sparse
    started = time.monotonic()
    report = screen(str(root))
    assert time.monotonic() - started < 5
    assert report.bytes_read == len("# Big\n")
    assert [n.limit for n in report.limits_hit] == ["max_file_size"]
    assert report.limits_hit[0].detail == f"1 files larger than {Limits().max_file_size} bytes were not read"


def _remove_deep(root: Path) -> None:
    """shutil.rmtree recurses once per level and would overflow; GNU rm walks deep trees iteratively."""
    subprocess.run(["rm", "-rf", "--", str(root)], check=True)


def test_ten_thousand_nested_directories(tmp_path):
    root = make_plain(tmp_path / "deep", {"README.md": "# Deep\n"})
    depth = 10_000
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        with open(os.open("deep.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as handle:
            handle.write("# bottom\n")
    finally:
        os.close(fd)
    try:
        started = time.monotonic()
        report = screen(str(root))
        assert time.monotonic() - started < 10
        assert report.files_seen == 1
        hit = next(n for n in report.limits_hit if n.limit == "max_depth")
        assert hit.where == "/".join(["d"] * (Limits().max_depth + 1))
        assert_valid(report)
    finally:
        _remove_deep(root)


def test_invalid_utf8_contents_and_names(tmp_path):
    root = make_plain(tmp_path / "enc", {"README.md": b"# Caf\xc3\x28 \xff\xfd install guide\n\n## Install\n"})
    # a page titled as the policy (the words alone on an untitled page are not a policy)
    (root / os.fsdecode(b"bad\xffname.md")).write_bytes(b"# Privacy policy \x80\x81\n")
    report = screen(str(root))
    assert_valid(report)
    assert report.finding("7").data["policy_files"] == [] and report.finding("7").status.value == "likely_met"
    assert report.finding("7").evidence[0].path == "bad\ufffdname.md"
    assert report.finding("5").data["readme"] == "README.md"
    assert report.finding("5").data["sections"] == ["install"]


def test_file_count_cap_keeps_the_shallowest_files(tmp_path):
    files = {f"src/m{n:03}.py": "x = 1\n" for n in range(300)}
    root = make_plain(tmp_path / "many", {**files, "README.md": "# Many\n"})
    report = screen(str(root), limits=Limits(max_files=100))
    assert report.files_seen == 100
    assert report.finding("5").data["readme"] == "README.md"
    assert [(n.limit, n.detail) for n in report.limits_hit] == [
        ("max_files", "301 files; only the 100 shallowest were screened")]


def test_fifo_is_never_opened(tmp_path):
    root = make_plain(tmp_path / "fifo", {"README.md": "# Fifo\n"})
    os.mkfifo(root / "LICENSE")
    report = screen(str(root))  # opening the FIFO for reading would block forever
    assert report.files_seen == 1


def _hooked_repo(root: Path, marker: Path) -> Path:
    repo = make_repo(root, {
        "README.md": "# Hooks\n",
        "package.json": json.dumps({"name": "x", "scripts": {"postinstall": f"touch {marker}"}}),
        "setup.py": f"open({str(marker)!r}, 'w').write('setup.py ran')\n",
        "Makefile": f"all:\n\ttouch {marker}\n",
    })
    hook = f"#!/bin/sh\ntouch {marker}\n"
    for name in ("post-checkout", "pre-commit", "post-merge", "pre-push", "post-index-change", "fsmonitor-watchman",
                 "reference-transaction", "pre-auto-gc"):
        path = repo / ".git" / "hooks" / name
        path.write_text(hook)
        path.chmod(0o755)
    monitor = repo / ".git" / "monitor.sh"
    monitor.write_text(hook)
    monitor.chmod(0o755)
    config = repo / ".git" / "config"
    config.write_text(config.read_text() + f"[core]\n\tfsmonitor = {monitor}\n\tpager = touch {marker}\n"
                      f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {monitor}\n")
    return repo


def test_nothing_from_the_repository_is_executed(tmp_path):
    marker = tmp_path / "PWNED"
    repo = _hooked_repo(tmp_path / "hooked", marker)
    # Control: with its own config, plain git does run the repository's fsmonitor program.
    subprocess.run(["git", "status"], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, check=False)
    assert marker.exists(), "the hostile config should be live, or this test proves nothing"
    marker.unlink()
    local = screen(str(repo))
    cloned = screen(f"file://{repo}")
    assert not marker.exists()
    assert local.commit == cloned.commit and len(local.commit) == 40
    assert cloned.source_kind == "url" and cloned.files_seen == local.files_seen == 4


def test_clone_time_limit_kills_the_process_group(tmp_path, fake_git):
    repo = make_repo(tmp_path / "slow", {"README.md": "# Slow\n"})
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as caught:
        screen(f"file://{repo}", limits=Limits(clone_timeout=1))
    assert time.monotonic() - started < 10
    assert caught.value.code == "clone.timeout"
    assert str(caught.value) == f"cloning file://{repo} took longer than 1s; stopped"
    assert not _alive(int(fake_git.read_text()))  # the grandchild died with its group


def _alive(pid: int) -> bool:
    """True if ``pid`` runs (a killed orphan may linger as a zombie until its new parent reaps it)."""
    for _ in range(50):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.02)
    return True


def test_clone_size_limit(tmp_path):
    repo = make_repo(tmp_path / "fat", {"README.md": "# Fat\n", "blob.dat": os.urandom(3 * 1024 * 1024)})
    with pytest.raises(LimitExceeded) as caught:
        screen(f"file://{repo}", limits=Limits(clone_max_bytes=1024 * 1024))
    assert caught.value.code == "clone.too_large"
    assert "exceeded the size limit of 1048576 bytes" in str(caught.value)


def _git_bomb(root: Path, width: int, levels: int) -> Path:
    """A repository whose HEAD tree has width**levels files but only a handful of objects."""
    root.mkdir()
    git(root, "init", "-q", "--bare")

    def run(args: list[str], data: bytes) -> str:
        done = subprocess.run(["git", *args], cwd=root, input=data, capture_output=True, check=True,
                              env={**os.environ, **GIT_ENV})
        return done.stdout.decode().strip()

    blob = run(["hash-object", "-w", "--stdin"], b"boom\n")
    tree = run(["mktree"], "".join(f"100644 blob {blob}\tf{n}\n" for n in range(width)).encode())
    for _ in range(levels - 1):
        tree = run(["mktree"], "".join(f"040000 tree {tree}\td{n}\n" for n in range(width)).encode())
    commit = run(["commit-tree", tree, "-m", "bomb"], b"")
    git(root, "update-ref", "refs/heads/main", commit)
    git(root, "symbolic-ref", "HEAD", "refs/heads/main")
    return root


def test_git_bomb_stops_at_the_entry_cap(tmp_path):
    bomb = _git_bomb(tmp_path / "bomb.git", width=10, levels=6)  # a million files, 7 objects
    limits = Limits(max_tree_entries=5_000)
    for source in (str(bomb), f"file://{bomb}"):
        started = time.monotonic()
        with pytest.raises(LimitExceeded) as caught:
            screen(source, limits=limits)
        assert time.monotonic() - started < 10
        assert caught.value.code == "tree.too_many_entries"
        assert "has more than 5000 entries (a git bomb?)" in str(caught.value)


def test_checkout_size_cap(tmp_path):
    repo = make_repo(tmp_path / "sz", {"README.md": "# x\n" * 1000})
    with pytest.raises(LimitExceeded, match="add up to more than 100 bytes"):
        screen(f"file://{repo}", limits=Limits(max_checkout_bytes=100))


@pytest.mark.parametrize("source", ["ext::sh -c touch% /tmp/x", "--upload-pack=touch /tmp/x", "ssh://host/repo",
                                    "git@github.com:a/b.git", "fd::17", "ftp://example.org/repo", "", "a\nb"])
def test_refused_sources(source):
    with pytest.raises(InvalidSource):
        resolve_source(source)


def test_missing_directory_says_where(tmp_path):
    with pytest.raises(InvalidSource) as caught:
        screen(str(tmp_path / "nope"))
    assert str(caught.value) == f"no such directory: {tmp_path / 'nope'}"


def test_credentials_are_not_kept():
    assert resolve_source("https://user:secret@github.com/org/repo.git").display == "https://github.com/org/repo.git"


def test_hostile_manifests_do_not_crash(tmp_path):
    root = make_plain(tmp_path / "m", {"package.json": "[" * 100_000, "pyproject.toml": "[[[not toml",
                                       "pom.xml": "<dependency>" * 1000})
    finding = screen(str(root)).finding("4")
    assert finding.code == "deps.no_closed_found"
    assert finding.data["unreadable_manifests"] == ["package.json", "pyproject.toml"]
