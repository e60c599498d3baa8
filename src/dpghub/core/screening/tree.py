"""A read-only, capped view of the files of a repository.

Three backends produce the same :class:`Tree`: a git work tree (``git ls-files``, files read from disk
with ``O_NOFOLLOW`` after checking that no parent directory is a symlink), a plain directory (a walk that
never follows symlinks), and git objects (``git ls-tree`` + one ``git cat-file --batch`` process; used
for bare repositories and clones, so nothing is ever checked out). Each file is read at most once,
at most ``max_read_bytes`` of it; files above ``max_file_size`` and files of known binary or bulky
types are not read at all. Everything that truncates the view is recorded in ``limits_hit``.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Self

from dpghub.core.screening import gitread
from dpghub.core.screening.limits import LimitHit, Limits
from dpghub.core.screening.origin import VENDOR_DIRS, folder_origin, name_origin

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
                       ".pytest_cache", ".ruff_cache", ".idea", ".gradle"})
DOC_EXT = frozenset({".md", ".markdown", ".rst", ".txt", ".adoc", ".asciidoc", ".org", ".html", ".htm",
                     ".tex", ".ipynb"})
CODE_EXT = frozenset({
    ".py", ".pyi", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".vue", ".svelte", ".java", ".kt", ".kts",
    ".scala", ".groovy", ".go", ".rs", ".rb", ".php", ".cs", ".fs", ".vb", ".swift", ".m", ".mm", ".c", ".h",
    ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".r", ".R", ".jl", ".dart", ".ex", ".exs", ".erl", ".hs", ".clj",
    ".lua", ".pl", ".pm", ".sh", ".bash", ".zsh", ".ps1", ".sql", ".elm", ".ml", ".nim", ".zig", ".sol",
})
CONFIG_EXT = frozenset({".yml", ".yaml", ".json", ".toml", ".xml", ".ini", ".cfg", ".gradle", ".properties",
                        ".graphql", ".gql", ".graphqls", ".proto", ".conf", ".lock", ".mod", ".csproj",
                        ".tf", ".hcl", ".env", ".editorconfig"})
# Never worth reading: media, archives, fonts, office files, bulky data, generated bundles.
SKIP_EXT = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".icns", ".webp", ".svg", ".tif", ".tiff", ".psd",
    ".mp3", ".mp4", ".wav", ".ogg", ".webm", ".mov", ".avi", ".flac", ".pdf", ".doc", ".docx", ".xls",
    ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".csv", ".tsv", ".parquet", ".feather", ".h5", ".hdf5",
    ".npy", ".npz", ".pkl", ".pt", ".pth", ".onnx", ".safetensors", ".ckpt", ".sqlite", ".db", ".map",
    ".geojson", ".shp", ".tfrecord", ".mo", ".po", ".pot", ".css", ".scss", ".sass", ".less", ".snap",
})
# Compiled or packaged executables: never read, reported by the binary-artefacts health signal.
BINARY_EXT = frozenset({".exe", ".dll", ".so", ".dylib", ".class", ".jar", ".war", ".ear", ".pyc", ".pyo", ".o",
                        ".obj", ".a", ".lib", ".apk", ".aab", ".dex", ".elf", ".msi", ".deb", ".rpm", ".com", ".bin",
                        ".wasm", ".whl", ".egg", ".nupkg", ".crx", ".ko", ".sys"})
SKIP_NAMES = frozenset({"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "Cargo.lock",
                        "composer.lock", "Gemfile.lock", "go.sum", "Pipfile.lock", "uv.lock", "bun.lockb"})


def safe_display(path: str) -> str:
    """A path as valid UTF-8 text (undecodable bytes become U+FFFD) so reports always serialise."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_SPECIAL_CONFIG = frozenset({"Makefile", "Gemfile", "Pipfile", "DESCRIPTION", "CODEOWNERS", "Containerfile",
                             "Procfile", "Vagrantfile"})
# extension -> kind, in the order of precedence (skip, then doc, code, config)
_EXT_KIND = {**{e: "config" for e in CONFIG_EXT}, **{e: "code" for e in CODE_EXT}, **{e: "doc" for e in DOC_EXT},
             **{e: "skip" for e in SKIP_EXT | BINARY_EXT}}


@lru_cache(maxsize=16384)
def _kind_of_name(name: str) -> str:
    if name in SKIP_NAMES or name.endswith((".min.js", ".min.css", ".bundle.js")):
        return "skip"
    if name.startswith("Dockerfile") or name in _SPECIAL_CONFIG:
        return "config"
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    kind = _EXT_KIND.get(ext)
    if kind is not None:
        return kind
    if not ext and name.isupper() or name.upper().startswith(("README", "LICENSE", "LICENCE", "COPYING", "NOTICE")):
        return "doc"
    return "other"


UNKNOWN_SIZE = -1  # a listed file's size is not asked for: the fstat of its open tells it


class _Refused:
    """What a reader returns for a file it will not read (a sentinel, unlike any bytes)."""

    def __init__(self, why: str) -> None:
        self.why = why

    def __repr__(self) -> str:
        return f"<refused: {self.why}>"


TOO_LARGE = _Refused("larger than max_file_size")
SYMLINK = _Refused("a symbolic link")


@dataclass(slots=True)
class FileEntry:
    path: str  # relative, "/"-separated, valid UTF-8
    size: int  # bytes, or UNKNOWN_SIZE
    vendored: bool
    kind: str
    key: object  # backend handle: absolute path or blob id
    depth: int = 0
    origin: str = ""  # "" for the project's own file, else why it is not (origin.py: "tests", "vendored" ...)


@dataclass(slots=True)
class Stats:
    files_seen: int = 0
    bytes_read: int = 0
    symlinks_skipped: int = 0
    large_files_skipped: int = 0
    binary_files: int = 0


class Tree:
    """The files of one repository and a capped, cached reader for their text."""

    def __init__(self, entries: list[FileEntry], reader: Callable[[FileEntry, int], bytes | _Refused | None],
                 limits: Limits, limits_hit: list[LimitHit], stats: Stats,
                 keep: Callable[[FileEntry], bool] = lambda e: False, closer: Callable[[], None] | None = None):
        self.entries = entries
        self.by_path = {e.path: e for e in entries}
        self.limits = limits
        self.limits_hit = limits_hit
        self.stats = stats
        self._reader = reader
        self._keep = keep
        self._cache: dict[str, str | None] = {}
        self._unvendored: list[FileEntry] | None = None
        self._own_only: list[FileEntry] | None = None
        self.marked: dict[str, str] = {}  # folder prefix -> reason, for folders marked after the listing
        self._folders: dict[str, list[FileEntry]] | None = None
        self._closer = closer
        self._budget_reported = False
        self.binary_heads: dict[str, bytes] = {}  # path -> first bytes of files found to be binary

    def close(self) -> None:
        if self._closer is not None:
            self._closer()
            self._closer = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def files(self, *, vendored: bool = False) -> Iterable[FileEntry]:
        """The files not under a vendored folder (what the licence reader reads), or only those under one.
        The checks of indicators 3-9 use :meth:`own_files`, which leaves out tests, fixtures and the rest."""
        if not vendored:  # asked by every check: computed once
            if self._unvendored is None:
                self._unvendored = [e for e in self.entries if not e.vendored]
            return iter(self._unvendored)
        return (e for e in self.entries if e.vendored)

    def own_files(self) -> list[FileEntry]:
        """The project's own files: not vendored, third-party, tests, benchmarks or generated (origin.py)."""
        if self._own_only is None:
            self._own_only = [e for e in self.entries if not e.origin]
        return self._own_only

    def mark(self, prefixes: Iterable[str], reason: str) -> None:
        """Take every file under the folders ``prefixes`` (each ending in "/") out of the project's own files."""
        prefixes = tuple(prefixes)
        if not prefixes:
            return
        self.marked.update(dict.fromkeys(prefixes, reason))
        for e in self.entries:  # one pass, however many folders
            if not e.origin and e.path.startswith(prefixes):
                e.origin = reason
        self._own_only = self._folders = None

    def mark_files(self, paths: Iterable[str], reason: str) -> None:
        """Take these files (found to be generated while scanning) out of the project's own files."""
        for path in paths:
            entry = self.by_path.get(path)
            if entry is not None and not entry.origin:
                entry.origin = reason
                self._own_only = self._folders = None

    def in_folder(self, folder: str) -> list[FileEntry]:
        """The project's own files directly in ``folder`` ("" for the root; compared in lower case)."""
        if self._folders is None:
            self._folders = {}
            for e in self.own_files():
                self._folders.setdefault(e.path.rpartition("/")[0].lower(), []).append(e)
        return self._folders.get(folder.lower(), [])

    def get(self, path: str) -> FileEntry | None:
        return self.by_path.get(path)

    def text(self, entry: FileEntry | str, limit: int | None = None) -> str | None:
        """The decoded start of a file, or None (binary, too large, unreadable, over budget).

        ``limit`` reads at most that many bytes (the scan pass reads only what its patterns look at);
        files the checks read again (``keep``) are always read up to ``max_read_bytes`` and cached.
        """
        if isinstance(entry, str):
            found = self.by_path.get(entry)
            if found is None:
                return None
            entry = found
        if entry.path in self._cache:
            return self._cache[entry.path]
        keep = self._keep(entry)
        text = self._read_text(entry, None if keep else limit)
        if keep:
            self._cache[entry.path] = text
        return text

    def keeps(self, entry: FileEntry) -> bool:
        """Whether the checks will ask for this file's text again (it is cached after its one read)."""
        return self._keep(entry)

    def data(self, entry: FileEntry, limit: int | None = None) -> bytes | None:
        """The undecoded start of a file: what :meth:`text` decodes, counted against the same limits.
        None for a binary file (recorded as :meth:`text` records it) or one that is not read."""
        data = self._read_data(entry, limit)
        if data is None or data.startswith((b"\xff\xfe", b"\xfe\xff")) or not is_binary(data):
            return data
        self._binary(entry, data)
        return None

    def _read_text(self, entry: FileEntry, limit: int | None = None) -> str | None:
        data = self._read_data(entry, limit)
        if data is None:
            return None
        return decode(data, on_binary=lambda: self._binary(entry, data))

    def _read_data(self, entry: FileEntry, limit: int | None = None) -> bytes | None:
        limits = self.limits
        if entry.size > limits.max_file_size:
            self.stats.large_files_skipped += 1
            return None
        if self.stats.bytes_read >= limits.max_total_read:
            if not self._budget_reported:
                self._budget_reported = True
                self.limits_hit.append(LimitHit("max_total_read", f"stopped reading after {self.stats.bytes_read}"
                                                f" bytes", entry.path))
            return None
        cap = min(limits.max_read_bytes, limits.max_total_read - self.stats.bytes_read)
        if limit is not None:
            cap = min(cap, max(limit, 1))
        data = self._reader(entry, cap)
        if data is None:
            return None
        if data is TOO_LARGE:
            self.stats.large_files_skipped += 1
            return None
        if data is SYMLINK:
            self.stats.symlinks_skipped += 1
            return None
        self.stats.bytes_read += len(data)
        return data

    def _binary(self, entry: FileEntry, data: bytes) -> None:
        self.stats.binary_files += 1
        self.binary_heads[entry.path] = data[:8]


def is_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB (a UTF-16 text, which has them, is recognised by its BOM first)."""
    return data.find(b"\x00", 0, 8192) >= 0


def decode(data: bytes, on_binary: Callable[[], None] | None = None) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if is_binary(data):
        if on_binary is not None:
            on_binary()
        return None
    return data.decode("utf-8", "replace")


# --- backends -------------------------------------------------------------------------------------------

def _select(paths: list[tuple[str, int, object]], limits: Limits, hits: list[LimitHit]) -> list[FileEntry]:
    """Turn (raw path, size, key) rows into entries, applying depth and file-count caps."""
    entries: list[FileEntry] = []
    deep_reported = False
    # folder -> (depth, vendored, origin): files share their folder's
    folders: dict[str, tuple[int, bool, str]] = {}
    for raw, size, key in paths:
        folder, _, name = raw.rpartition("/")
        known = folders.get(folder)
        if known is None:
            parts = folder.split("/") if folder else []
            known = folders[folder] = (len(parts), any(part in VENDOR_DIRS for part in parts),
                                       folder_origin(folder if folder.isascii() else safe_display(folder))[0])
        depth, vendored, origin = known
        if depth > limits.max_depth:
            if not deep_reported:
                deep_reported = True
                hits.append(LimitHit("max_depth", f"files nested deeper than {limits.max_depth} directories were"
                                     " ignored", safe_display("/".join(raw.split("/")[: limits.max_depth]))))
            continue
        display = raw if raw.isascii() else safe_display(raw)
        kind = _kind_of_name(name if display is raw else display.rpartition("/")[2])
        entries.append(FileEntry(display, size, vendored, kind, key, depth, origin or name_origin(name)))
    if len(entries) > limits.max_files:
        entries.sort(key=lambda e: (e.vendored, e.depth, e.path))
        hits.append(LimitHit("max_files", f"{len(entries)} files; only the {limits.max_files} shallowest were"
                             " screened"))
        entries = entries[: limits.max_files]
        entries.sort(key=lambda e: e.path)
    return entries


def _open_regular(abspath: str, cap: int, max_size: int | None = None) -> bytes | _Refused | None:
    """The first ``cap`` bytes of a regular file; None if it cannot be read; TOO_LARGE if it is larger
    than ``max_size``; SYMLINK if it is a symbolic link (never followed)."""
    try:
        fd = os.open(abspath, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        return SYMLINK if exc.errno == errno.ELOOP else None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        if max_size is not None and st.st_size > max_size:
            return TOO_LARGE
        # one read of the size fstat gives (a file that grew meanwhile is read up to that size)
        want = min(cap, st.st_size)
        data = os.read(fd, want) if want > 0 else b""
        if len(data) < want:  # a short read: go on until the end or the cap
            chunks = [data]
            remaining = want - len(data)
            while remaining > 0:
                chunk = os.read(fd, min(remaining, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
            data = b"".join(chunks)
        return data
    except OSError:
        return None
    finally:
        os.close(fd)


def worktree_tree(root: str, limits: Limits, keep: Callable[[FileEntry], bool]) -> Tree:
    """Tracked files of a git work tree; files are read from disk, never through a symlink."""
    hits: list[LimitHit] = []
    stats = Stats()
    git_dir = os.path.join(root, ".git")
    rows: list[tuple[str, int, object]] = []
    safe_dirs: dict[str, bool] = {"": True}

    def dir_is_safe(d: str) -> bool:
        if d in safe_dirs:
            return safe_dirs[d]
        parent = d.rsplit("/", 1)[0] if "/" in d else ""
        ok = dir_is_safe(parent)
        if ok:
            try:
                ok = stat.S_ISDIR(os.lstat(os.path.join(root, d)).st_mode)  # a symlink is not a dir here
            except OSError:
                ok = False
        safe_dirs[d] = ok
        return ok

    seen: set[str] = set()
    prefix = os.path.join(root, "")
    for mode, raw in gitread.ls_files(git_dir, root, limits):
        if raw in seen:
            continue
        seen.add(raw)
        if mode == "120000":
            stats.symlinks_skipped += 1
            continue
        if mode == "160000" or raw.startswith("/") or (".." in raw and ".." in raw.split("/")):
            continue
        if len(rows) > limits.max_tree_entries:
            break
        if raw.count("/") > limits.max_depth:
            rows.append((raw, 0, None))  # depth cap reported by _select
            continue
        if not dir_is_safe(raw.rpartition("/")[0]):
            stats.symlinks_skipped += 1
            continue
        # No lstat per file (a system call costs as much as a small read here): the index says it is a
        # regular file, and the one open of a file that is read refuses a symlink (O_NOFOLLOW, counted
        # as a skipped symlink) or anything but a regular file (fstat), and checks its size.
        rows.append((raw, UNKNOWN_SIZE, prefix + raw))
    entries = _select(rows, limits, hits)
    stats.files_seen = len(entries)

    # No parent directory of an entry is a symlink (dir_is_safe) and the file itself is opened with
    # O_NOFOLLOW, so every path read resolves inside the root without a realpath() per file.
    max_size = limits.max_file_size
    return Tree(entries, lambda e, cap: _open_regular(e.key, cap, max_size), limits, hits, stats, keep)


_name = attrgetter("name")


def plain_tree(root: str, limits: Limits, keep: Callable[[FileEntry], bool]) -> Tree:
    """A directory that is not a git work tree: breadth-first walk, symlinks never followed."""
    hits: list[LimitHit] = []
    stats = Stats()
    rows: list[tuple[str, int, object]] = []
    queue: list[tuple[str, str, int, bool]] = [(root, "", 0, False)]
    depth_reported = False
    over = False
    while queue and not over:
        next_queue: list[tuple[str, str, int, bool]] = []
        for abspath, rel, depth, vendored in queue:
            try:
                with os.scandir(abspath) as it:
                    items = sorted(it, key=_name)
            except OSError:
                continue
            for item in items:
                relpath = f"{rel}/{item.name}" if rel else item.name
                try:
                    if item.is_symlink():
                        stats.symlinks_skipped += 1
                        continue
                    if item.is_dir(follow_symlinks=False):
                        if item.name in SKIP_DIRS:
                            continue
                        if depth + 1 > limits.max_depth:
                            if not depth_reported:
                                depth_reported = True
                                hits.append(LimitHit("max_depth", f"directories nested deeper than "
                                                     f"{limits.max_depth} were not walked", safe_display(relpath)))
                            continue
                        in_vendor = vendored or item.name in VENDOR_DIRS
                        if in_vendor and depth >= 6:  # vendored trees: only their top manifests matter
                            continue
                        next_queue.append((item.path, relpath, depth + 1, in_vendor))
                    elif item.is_file(follow_symlinks=False):
                        if vendored and not _vendored_interesting(item.name):
                            continue
                        rows.append((relpath, UNKNOWN_SIZE, item.path))
                        if len(rows) > limits.max_tree_entries:
                            over = True
                            break
                except OSError:
                    continue
            if over:
                break
        queue = next_queue
    if over:
        hits.append(LimitHit("max_files", f"the walk stopped after {limits.max_tree_entries} entries"))
    entries = _select(rows, limits, hits)
    stats.files_seen = len(entries)
    # The walk never entered a symlinked directory and files are opened with O_NOFOLLOW; sizes are
    # checked against max_file_size when a file is opened (a stat per walked file cost more than a read).
    max_size = limits.max_file_size
    return Tree(entries, lambda e, cap: _open_regular(e.key, cap, max_size), limits, hits, stats, keep)


def _vendored_interesting(name: str) -> bool:
    upper = name.upper()
    return name in ("package.json", "composer.json", "modules.txt", "Cargo.toml", "go.mod") or upper.startswith(
        ("LICENSE", "LICENCE", "COPYING"))


def objects_tree(git_dir: str, limits: Limits, keep: Callable[[FileEntry], bool], where: str) -> Tree:
    """Files of HEAD read straight from git objects (bare repositories and clones)."""
    hits: list[LimitHit] = []
    stats = Stats()
    rows: list[tuple[str, int, object]] = []
    for mode, blob, size, raw in gitread.ls_tree(git_dir, limits, where):
        if mode == "120000":
            stats.symlinks_skipped += 1
            continue
        if mode == "160000" or ".." in raw.split("/"):
            continue
        rows.append((raw, size, blob))
    entries = _select(rows, limits, hits)
    stats.files_seen = len(entries)
    batch = gitread.CatFile(git_dir, limits, where)
    return Tree(entries, lambda e, cap: batch.read(str(e.key), e.size, cap), limits, hits, stats, keep,
                closer=batch.close)
