"""Getting a repository to screen, without ever running anything from it.

A source is either a local directory (a git work tree, a bare repository, or a plain folder) or a git
URL (https, http, git, file). URLs are cloned ``--bare --depth 1`` into a temporary directory with
hooks, fsmonitor, LFS smudging and submodules disabled, under a time limit (the whole process group
is killed) and a size limit (the clone directory is measured while it grows). Every git command runs
through :func:`run_git`, which applies the same hardening to repositories found on disk: a hostile
``.git/config`` cannot make us execute a program (command-line ``-c`` settings win over it).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit, urlunsplit

from dpghub.core.screening.errors import InvalidSource, LimitExceeded, ScreeningError
from dpghub.core.screening.limits import Limits

# Settings given on the command line override the repository's own config, so a hostile repository
# cannot point any of them at a program of its choosing.
HARDENING = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "core.pager=cat",
    "core.askPass=",
    "core.sshCommand=/bin/false",
    "log.showSignature=false",
    "gpg.program=/bin/false",
    "submodule.recurse=false",
    "filter.lfs.smudge=",
    "filter.lfs.process=",
    "filter.lfs.required=false",
    "protocol.ext.allow=never",
    "safe.directory=*",
)

_URL_SCHEMES = ("https", "http", "git", "file")
_NETWORK_PROTOCOLS = "https:http:git"


@dataclass(frozen=True, slots=True)
class Source:
    """What the user asked to screen, classified. ``display`` is safe to store (no credentials)."""

    kind: str  # "worktree" | "bare" | "plain" | "url"
    location: str  # absolute path, or the URL as given
    display: str


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def resolve_source(source: str) -> Source:
    """Classify ``source``; raise :class:`InvalidSource` for anything we refuse to touch."""
    text = (source or "").strip()
    if not text:
        raise InvalidSource("empty source: give a directory or a git URL")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidSource("the source contains control characters", where=repr(text))
    if text.startswith("-"):
        raise InvalidSource(f"refused source {text!r}: it looks like a command-line option", where=text)
    scheme_match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", text)
    if scheme_match:
        scheme = scheme_match.group(1).lower()
        if scheme not in _URL_SCHEMES:
            raise InvalidSource(
                f"refused URL scheme {scheme!r} in {_redact(text)}: use one of {', '.join(_URL_SCHEMES)}",
                where=_redact(text),
            )
        if scheme == "file":
            path = urlsplit(text).path
            if not path or not Path(path).is_dir():
                raise InvalidSource(f"no repository at {text}", where=text)
        return Source("url", text, _redact(text))
    if "::" in text.split("/", 1)[0] or re.match(r"^[\w.-]+@[\w.-]+:", text):
        raise InvalidSource(
            f"refused source {text!r}: only https, http, git and file URLs or local directories are screened",
            where=text,
        )
    path = Path(text).expanduser()
    if not path.exists():
        raise InvalidSource(f"no such directory: {text}", where=text)
    if not path.is_dir():
        raise InvalidSource(f"not a directory: {text}", where=text)
    root = path.resolve()
    dot_git = root / ".git"
    if dot_git.is_dir() and not dot_git.is_symlink():
        return Source("worktree", str(root), text)
    if (root / "HEAD").is_file() and (root / "objects").is_dir() and (root / "refs").is_dir():
        return Source("bare", str(root), text)
    return Source("plain", str(root), text)


def git_executable() -> str:
    found = shutil.which("git")
    if not found:
        raise ScreeningError("git is not installed (it is needed to read repositories)", code="git.missing")
    return found


def git_env(*, allow_file: bool) -> dict[str, str]:
    """A minimal environment: no user or system git config, no prompts, no LFS, no ext:: transport."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/nonexistent"),
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "/bin/false",
        "SSH_ASKPASS": "/bin/false",
        "GIT_LFS_SKIP_SMUDGE": "1",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_ATTR_NOSYSTEM": "1",
        "GIT_ALLOW_PROTOCOL": _NETWORK_PROTOCOLS + (":file" if allow_file else ""),
    }
    for proxy in ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        if proxy in os.environ:
            env[proxy] = os.environ[proxy]
    return env


def git_argv(args: list[str], *, git_dir: str | None = None, allow_file: bool = True) -> list[str]:
    argv = [git_executable(), "--no-pager"]
    for setting in HARDENING:
        argv += ["-c", setting]
    argv += ["-c", f"protocol.file.allow={'always' if allow_file else 'never'}"]
    if git_dir is not None:
        argv += ["--git-dir", git_dir]
    return argv + args


def kill_group(proc: subprocess.Popen) -> None:
    """Kill the process and everything it started (it runs in its own session)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not fail
        pass


def run_git(
    args: list[str],
    *,
    git_dir: str | None,
    timeout: float,
    where: str,
    work_tree: str | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    """Run one short git command with the hardening above; kill its process group on timeout."""
    env = git_env(allow_file=True)
    if work_tree is not None:
        env["GIT_WORK_TREE"] = work_tree
    if git_dir is not None:
        env["GIT_CEILING_DIRECTORIES"] = str(Path(git_dir).parent)
    argv = git_argv(args, git_dir=git_dir)
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=work_tree or git_dir or None,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise LimitExceeded(
            f"git {args[0]} timed out after {timeout:g}s on {where}", code="git.timeout", where=where
        ) from None
    if check and proc.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit status {proc.returncode}"
        raise ScreeningError(f"git {args[0]} failed on {where}: {detail[:300]}", code="git.failed", where=where)
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def _dir_size(path: str) -> int:
    total = 0
    for dirpath, _dirnames, filenames in os.walk(path):
        for name in filenames:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


class Clone:
    """A temporary bare clone; use as a context manager so it is always removed."""

    def __init__(self, url: str, display: str, limits: Limits) -> None:
        self.url = url
        self.display = display
        self.limits = limits
        self.tmp = tempfile.mkdtemp(prefix="dpghub-screen-")
        self.git_dir = os.path.join(self.tmp, "repo.git")

    def __enter__(self) -> Self:
        try:
            self._clone()
        except BaseException:
            self.cleanup()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _clone(self) -> None:
        allow_file = self.url.lower().startswith("file://")
        argv = git_argv(
            ["clone", "--bare", "--depth", "1", "--no-tags", "--single-branch", "--quiet", "--", self.url,
             self.git_dir],
            allow_file=allow_file,
        )
        limits = self.limits
        with open(os.path.join(self.tmp, "clone.err"), "w+b") as errfile:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errfile,
                env=git_env(allow_file=allow_file),
                cwd=self.tmp,
                start_new_session=True,
            )
            started = time.monotonic()
            next_measure = started
            while proc.poll() is None:
                now = time.monotonic()
                if now - started > limits.clone_timeout:
                    kill_group(proc)
                    raise LimitExceeded(
                        f"cloning {self.display} took longer than {limits.clone_timeout:g}s; stopped",
                        code="clone.timeout",
                        where=self.display,
                    )
                if now >= next_measure:
                    next_measure = now + 0.5
                    if _dir_size(self.tmp) > limits.clone_max_bytes:
                        kill_group(proc)
                        raise self._too_big()
                time.sleep(0.02)
            errfile.seek(0)
            err = errfile.read(4096).decode("utf-8", "replace").strip()
        if proc.returncode != 0:
            last = err.splitlines()[-1] if err else f"exit status {proc.returncode}"
            raise ScreeningError(f"cloning {self.display} failed: {last[:300]}", code="clone.failed",
                                 where=self.display)
        if _dir_size(self.tmp) > limits.clone_max_bytes:
            raise self._too_big()

    def _too_big(self) -> LimitExceeded:
        return LimitExceeded(
            f"cloning {self.display} exceeded the size limit of {self.limits.clone_max_bytes} bytes; stopped",
            code="clone.too_large",
            where=self.display,
        )
