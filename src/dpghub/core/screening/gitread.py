"""Streaming reads from git with hard caps: file lists, blobs and history.

Long outputs (``ls-files``, ``ls-tree -r``) are streamed and the process group is killed as soon as a cap
is reached, so a git bomb (a tiny pack whose trees expand to millions of entries) costs at most
``max_tree_entries`` entries. A watchdog kills any command running longer than ``git_timeout``.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from dpghub.core.screening.errors import LimitExceeded, ScreeningError
from dpghub.core.screening.fetch import git_argv, git_env, kill_group, run_git
from dpghub.core.screening.limits import Limits


class _Stream:
    """A git process whose stdout is read as NUL-separated records, with a watchdog."""

    def __init__(self, args: list[str], git_dir: str, timeout: float, where: str, work_tree: str | None = None):
        env = git_env(allow_file=True)
        if work_tree is not None:
            env["GIT_WORK_TREE"] = work_tree
        self.args = args
        self.where = where
        self.timeout = timeout
        self.timed_out = False
        self.proc = subprocess.Popen(
            git_argv(args, git_dir=git_dir), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, cwd=work_tree or git_dir, start_new_session=True,
        )
        self._timer = threading.Timer(timeout, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self.timed_out = True
        kill_group(self.proc)

    def records(self) -> Iterator[bytes]:
        assert self.proc.stdout is not None
        pending = b""
        while True:
            chunk = self.proc.stdout.read1(1 << 16)
            if not chunk:
                break
            pending += chunk
            *complete, pending = pending.split(b"\0")
            yield from complete
        if pending:
            yield pending

    def finish(self) -> None:
        self._timer.cancel()
        if self.proc.poll() is None:
            kill_group(self.proc)
        err = self.proc.stderr.read(4096) if self.proc.stderr else b""
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe:
                pipe.close()
        if self.timed_out:
            raise LimitExceeded(f"git {self.args[0]} timed out after {self.timeout:g}s on {self.where}",
                                code="git.timeout", where=self.where)
        if self.proc.returncode not in (0, -9):
            text = err.decode("utf-8", "replace").strip().splitlines()
            detail = text[-1] if text else f"exit status {self.proc.returncode}"
            raise ScreeningError(f"git {self.args[0]} failed on {self.where}: {detail[:300]}", code="git.failed",
                                 where=self.where)

    def stop(self) -> None:
        self._timer.cancel()
        kill_group(self.proc)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe:
                pipe.close()


def _fs(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def ls_files(git_dir: str, work_tree: str, limits: Limits) -> Iterator[tuple[str, str]]:
    """(mode, path) of the tracked files of a work tree, from the index."""
    stream = _Stream(["ls-files", "-s", "-z"], git_dir, limits.git_timeout, work_tree, work_tree=work_tree)
    count = 0
    try:
        for record in stream.records():
            meta, _, path = record.partition(b"\t")
            count += 1
            if count > limits.max_tree_entries:
                raise LimitExceeded(f"{work_tree} tracks more than {limits.max_tree_entries} files; stopped",
                                    code="tree.too_many_entries", where=work_tree)
            yield meta.split(b" ", 1)[0].decode("ascii", "replace"), _fs(path)
    except BaseException:
        stream.stop()
        raise
    stream.finish()


def ls_tree(git_dir: str, limits: Limits, where: str) -> Iterator[tuple[str, str, int, str]]:
    """(mode, blob id, size, path) for every file of HEAD; a git bomb stops at the hard caps."""
    stream = _Stream(["ls-tree", "-r", "-z", "--long", "--full-tree", "HEAD"], git_dir, limits.git_timeout, where)
    count = 0
    total = 0
    try:
        for record in stream.records():
            meta, _, path = record.partition(b"\t")
            fields = meta.split()
            if len(fields) != 4:
                continue
            count += 1
            if count > limits.max_tree_entries:
                raise LimitExceeded(
                    f"the tree of {where} has more than {limits.max_tree_entries} entries (a git bomb?); stopped",
                    code="tree.too_many_entries", where=where)
            size = int(fields[3]) if fields[3].isdigit() else 0
            total += size
            if total > limits.max_checkout_bytes:
                raise LimitExceeded(
                    f"the files of {where} add up to more than {limits.max_checkout_bytes} bytes; stopped",
                    code="tree.too_large", where=where)
            yield fields[0].decode(), fields[2].decode(), size, _fs(path)
    except BaseException:
        stream.stop()
        raise
    stream.finish()


class CatFile:
    """One ``git cat-file --batch`` process serving every blob read of a screening."""

    def __init__(self, git_dir: str, limits: Limits, where: str) -> None:
        self.where = where
        self.proc = subprocess.Popen(
            git_argv(["cat-file", "--batch"], git_dir=git_dir), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=git_env(allow_file=True), cwd=git_dir, start_new_session=True,
        )
        self._timer = threading.Timer(limits.git_timeout * 4, lambda: kill_group(self.proc))
        self._timer.daemon = True
        self._timer.start()

    def read(self, blob: str, size: int, cap: int) -> bytes | None:
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(blob.encode("ascii") + b"\n")
            stdin.flush()
            header = stdout.readline()
        except (BrokenPipeError, ValueError, OSError):
            raise LimitExceeded(f"reading blobs of {self.where} timed out or failed", code="git.timeout",
                                where=self.where) from None
        parts = header.split()
        if len(parts) != 3 or parts[1] != b"blob":
            if not header:
                raise LimitExceeded(f"reading blobs of {self.where} timed out or failed", code="git.timeout",
                                    where=self.where)
            return None
        length = int(parts[2])
        head = stdout.read(min(length, cap))
        remaining = length - len(head)
        while remaining > 0:  # drain the rest of a blob larger than the read cap
            chunk = stdout.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
        stdout.read(1)  # the newline after each object
        return head

    def close(self) -> None:
        self._timer.cancel()
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            kill_group(self.proc)
        if self.proc.stdout:
            self.proc.stdout.close()


@dataclass(frozen=True, slots=True)
class History:
    commit: str | None
    commits: tuple[tuple[int, str], ...]  # (unix time, author e-mail), newest first
    shallow: bool


def history(git_dir: str, limits: Limits, where: str, work_tree: str | None = None) -> History:
    """HEAD and recent commits (time, author); an empty repository gives an empty history."""
    done = run_git(["log", f"-n{limits.history_max_commits}", "--no-show-signature", "--format=%H%x09%ct%x09%aE",
                    "HEAD", "--"], git_dir=git_dir, work_tree=work_tree, timeout=limits.git_timeout, where=where,
                   check=False)
    if done.returncode != 0:
        return History(None, (), False)
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    commits = []
    head = None
    for line in lines:
        parts = line.split("\t")
        if len(parts) != 3 or not parts[1].isdigit():
            continue
        head = head or parts[0]
        commits.append((int(parts[1]), parts[2].strip().lower()))
    shallow = os.path.exists(os.path.join(git_dir, "shallow"))
    return History(head, tuple(commits), shallow)
