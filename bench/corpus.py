"""Prepare the local corpus of the screening benchmark under ``bench/.work/corpus/``.

Two kinds of tree:

* ``dpg/OWNER+NAME``: shallow checkouts of the GitHub repositories of registered DPGs. Their URLs come
  from the DPGA data in ``/work/shared/data/dpga/`` (``repositories[].url`` of the live-registry sample
  first, then of the 2023 nominee records with ``stage == "DPG"``, then of the other nominees; the order
  is the order of the records, so the selection is deterministic). Each is cloned with ``git clone
  --depth 1 file://...`` (hooks disabled) from a bare snapshot that the ``fetch`` tool brought to
  ``/work/.mirror/OWNER+NAME/repo``. The script uses whatever snapshots exist and lists the missing ones.
* ``pypi/NAME-VERSION`` and ``npm/NAME-VERSION``: unpacked source distributions of pinned versions of
  popular packages (``pip download --no-deps --no-binary NAME`` and ``npm pack``). Their declared licence
  (PKG-INFO ``License-Expression``/``License``/classifiers; package.json ``license``) is read from the
  unpacked tree and recorded.

The manifest ``bench/corpus.json`` (committed) lists every tree: name, version or commit, where it came
from and its declared licence. No third-party code or data is ever committed: the trees stay under
``bench/.work/`` (gitignored).

    python bench/corpus.py prepare               # everything (idempotent: existing trees are kept)
    python bench/corpus.py prepare --kind dpg    # only the DPG checkouts
    python bench/corpus.py missing               # DPG repositories without a snapshot in /work/.mirror
"""

from __future__ import annotations

import argparse
import email.parser
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
CORPUS = WORK / "corpus"
MANIFEST = HERE / "corpus.json"
DPGA = Path(os.environ.get("DPGA_DATA", "/work/shared/data/dpga"))
MIRRORS = Path(os.environ.get("MIRRORS", "/work/.mirror"))
MAX_DPG = 100  # how many DPG repositories the corpus aims at (first N of the ordered list that have a snapshot)

# Pinned so that the corpus is reproducible. Chosen across licence families; the licence noted here is
# what we expect, the manifest records what the package itself declares.
PYPI = [
    ("requests", "2.32.3"),  # Apache-2.0
    ("urllib3", "2.2.3"),  # MIT
    ("attrs", "24.2.0"),  # MIT
    ("six", "1.16.0"),  # MIT
    ("PyYAML", "6.0.2"),  # MIT
    ("click", "8.1.7"),  # BSD-3-Clause
    ("flask", "3.0.3"),  # BSD-3-Clause
    ("jinja2", "3.1.4"),  # BSD-3-Clause
    ("werkzeug", "3.0.4"),  # BSD-3-Clause
    ("Django", "5.1.2"),  # BSD-3-Clause
    ("idna", "3.10"),  # BSD-3-Clause
    ("packaging", "24.1"),  # Apache-2.0 OR BSD-2-Clause
    ("python-dateutil", "2.9.0.post0"),  # Apache-2.0 AND BSD-3-Clause
    ("pytz", "2024.2"),  # MIT
    ("certifi", "2024.8.30"),  # MPL-2.0
    ("tqdm", "4.66.5"),  # MPL-2.0 AND MIT
    ("pathspec", "0.12.1"),  # MPL-2.0
    ("paramiko", "3.5.0"),  # LGPL-2.1
    ("chardet", "5.2.0"),  # LGPL-2.1-or-later
    ("astroid", "3.3.5"),  # LGPL-2.1-or-later
    ("pylint", "3.3.1"),  # GPL-2.0-or-later
    ("yamllint", "1.35.1"),  # GPL-3.0-or-later
    ("mutagen", "1.47.0"),  # GPL-2.0-or-later
    ("typing_extensions", "4.12.2"),  # PSF-2.0
    ("defusedxml", "0.7.1"),  # PSF-2.0
    ("docutils", "0.21.2"),  # public domain, BSD-2-Clause, GPL-3.0 parts
    ("setuptools", "75.1.0"),  # MIT
    ("pluggy", "1.5.0"),  # MIT
    ("pytest", "8.3.3"),  # MIT
    ("SQLAlchemy", "2.0.35"),  # MIT
    ("babel", "2.16.0"),  # BSD-3-Clause
    ("lxml", "5.3.0"),  # BSD-3-Clause
    ("redis", "5.1.1"),  # MIT
    ("rsa", "4.9"),  # Apache-2.0
    ("pyasn1", "0.6.1"),  # BSD-2-Clause
    ("psutil", "6.0.0"),  # BSD-3-Clause
    ("decorator", "5.1.1"),  # BSD-2-Clause
    ("jsonschema", "4.23.0"),  # MIT
    ("simplejson", "3.19.3"),  # MIT OR AFL-2.1
    ("bleach", "6.1.0"),  # Apache-2.0
    ("GitPython", "3.1.43"),  # BSD-3-Clause
    ("pycparser", "2.22"),  # BSD-3-Clause
]

NPM = [
    ("lodash", "4.17.21"),  # MIT
    ("express", "4.21.1"),  # MIT
    ("react", "18.3.1"),  # MIT
    ("chalk", "5.3.0"),  # MIT
    ("commander", "12.1.0"),  # MIT
    ("debug", "4.3.7"),  # MIT
    ("axios", "1.7.7"),  # MIT
    ("moment", "2.30.1"),  # MIT
    ("jquery", "3.7.1"),  # MIT
    ("uuid", "10.0.0"),  # MIT
    ("ws", "8.18.0"),  # MIT
    ("dayjs", "1.11.13"),  # MIT
    ("semver", "7.6.3"),  # ISC
    ("minimatch", "10.0.1"),  # ISC
    ("lru-cache", "11.0.1"),  # ISC
    ("graceful-fs", "4.2.11"),  # ISC
    ("inherits", "2.0.4"),  # ISC
    ("d3", "7.9.0"),  # ISC
    ("rxjs", "7.8.1"),  # Apache-2.0
    ("long", "5.2.3"),  # Apache-2.0
    ("@grpc/grpc-js", "1.12.2"),  # Apache-2.0
    ("qs", "6.13.0"),  # BSD-3-Clause
    ("protobufjs", "7.4.0"),  # BSD-3-Clause
    ("source-map", "0.7.4"),  # BSD-3-Clause
    ("esprima", "4.0.1"),  # BSD-2-Clause
    ("terser", "5.36.0"),  # BSD-2-Clause
    ("entities", "4.5.0"),  # BSD-2-Clause
    ("dompurify", "3.1.7"),  # MPL-2.0 OR Apache-2.0
    ("axe-core", "4.10.2"),  # MPL-2.0
    ("jszip", "3.10.1"),  # MIT OR GPL-3.0-or-later
    ("node-forge", "1.3.1"),  # BSD-3-Clause OR GPL-2.0
    ("tinymce", "7.4.1"),  # GPL-2.0-or-later
    ("openpgp", "5.11.2"),  # LGPL-3.0-or-later
    ("@nextcloud/files", "3.9.0"),  # AGPL-3.0-or-later
    ("caniuse-lite", "1.0.30001669"),  # CC-BY-4.0
    ("spdx-license-ids", "3.0.20"),  # CC0-1.0
    ("argparse", "2.0.1"),  # Python-2.0
    ("tslib", "2.8.0"),  # 0BSD
    ("tweetnacl", "1.0.3"),  # Unlicense
    ("pako", "2.1.0"),  # MIT AND Zlib
    ("path-scurry", "2.0.0"),  # BlueOak-1.0.0
    ("npm", "10.9.0"),  # Artistic-2.0
]

# Trove classifiers -> SPDX (only the unambiguous ones).
CLASSIFIERS = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: BSD License": None,  # which BSD is not said
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "License :: OSI Approved :: GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)": None,
}
# Free-text ``License:`` fields of PKG-INFO seen in the pinned packages -> SPDX. Anything else that is not
# already a valid SPDX expression is left undecided (null) rather than guessed.
FREE_TEXT = {
    "mit": "MIT", "mit license": "MIT", "the mit license": "MIT",
    "apache 2.0": "Apache-2.0", "apache-2.0": "Apache-2.0", "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0", "apache software license": "Apache-2.0",
    "asl 2": "Apache-2.0",
    "bsd-3-clause": "BSD-3-Clause", "bsd 3-clause license": "BSD-3-Clause",
    "bsd-2-clause": "BSD-2-Clause", "bsd 2-clause": "BSD-2-Clause",
    "new bsd license": None, "modified bsd license": None,  # which clauses is not said
    "mpl-2.0": "MPL-2.0", "mpl 2.0": "MPL-2.0", "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "lgpl": None, "gpl": None, "bsd": None,
    "lgpl-2.1": "LGPL-2.1-only", "lgpl 2.1": "LGPL-2.1-only", "lgplv2.1+": "LGPL-2.1-or-later",
    "gpl-2.0-or-later": "GPL-2.0-or-later", "gplv2+": "GPL-2.0-or-later", "gpl v3": "GPL-3.0-only",
    "gplv3": "GPL-3.0-only",
    "psf": "PSF-2.0", "python software foundation license": "PSF-2.0",
    "mpl-2.0 and mit": "MPL-2.0 AND MIT", "mpl-2.0 and mit license": "MPL-2.0 AND MIT",
    "dual license": None,
}


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------- DPG repos

GITHUB = re.compile(r"https?://(?:www\.)?github\.com/([A-Za-z0-9][\w.-]*)/([\w.-]+?)(?:\.git)?/?(?:[#?].*)?$")


def _licences_of(record: dict) -> list[str]:
    out: list[str] = []
    for item in record.get("openlicenses") or []:  # registry API shape
        if isinstance(item, dict) and item.get("openLicense"):
            out.append(str(item["openLicense"]).strip())
    for item in record.get("license") or []:  # 2023 nominee shape
        if isinstance(item, dict) and item.get("spdx"):
            out.append(str(item["spdx"]).strip())
    return out


def dpg_candidates() -> list[dict]:
    """Every GitHub repository of the DPGA data, ordered: registry sample, DPG nominees, other nominees."""
    seen: set[str] = set()
    out: list[dict] = []

    def add(record: dict, origin: str) -> None:
        for repo in record.get("repositories") or []:
            url = repo.get("url") if isinstance(repo, dict) else repo
            m = GITHUB.match(url.strip()) if isinstance(url, str) else None
            if not m:
                continue
            full = f"{m.group(1)}/{m.group(2)}"
            if full.lower() in seen:
                continue
            seen.add(full.lower())
            out.append({"name": full, "url": f"https://github.com/{full}", "origin": origin,
                        "dpg_name": record.get("name"), "dpga_declared": _licences_of(record)})

    for record in json.loads((DPGA / "registry-2026-07-sample.json").read_text("utf-8")):
        add(record, "registry-2026-07-sample.json")
    nominees = []
    for path in sorted(glob.glob(str(DPGA / "candidates-2023/nominees/*.json"))):
        try:
            nominees.append(json.loads(Path(path).read_text("utf-8")))
        except ValueError:
            log(f"skipped unreadable nominee record {path}")
    for record in nominees:
        if record.get("stage") == "DPG":
            add(record, "candidates-2023/nominees (stage DPG)")
    for record in nominees:
        add(record, "candidates-2023/nominees")
    return out


def mirror_of(full: str) -> Path | None:
    """The git directory of the fetched snapshot (bare ``repo/`` or ``repo/.git``), if any."""
    base = MIRRORS / full.replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def git(*args: str, cwd: Path | None = None, timeout: float = 600) -> str:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return subprocess.run(["git", "-c", "core.hooksPath=/dev/null", "-c", "protocol.file.allow=always",
                           "-c", "core.symlinks=true", *args], cwd=cwd, env=env, check=True,
                          capture_output=True, text=True, timeout=timeout).stdout


def prepare_dpg(max_repos: int) -> tuple[list[dict], list[str]]:
    items: list[dict] = []
    missing: list[str] = []
    (CORPUS / "dpg").mkdir(parents=True, exist_ok=True)
    for cand in dpg_candidates():
        if len(items) >= max_repos:
            break
        mirror = mirror_of(cand["name"])
        if mirror is None:
            missing.append(cand["name"])
            continue
        dest = CORPUS / "dpg" / cand["name"].replace("/", "+")
        if not (dest / ".git").is_dir():
            shutil.rmtree(dest, ignore_errors=True)
            log(f"clone {cand['name']}")
            try:
                # --no-local forces the pack protocol so that --depth is honoured for a local source.
                git("clone", "--quiet", "--depth", "1", "--no-local", "--template=", f"file://{mirror}", str(dest))
                (dest / ".git" / "bench-checkout").write_text("git clone --depth 1\n")
            except subprocess.CalledProcessError as exc:
                shutil.rmtree(dest, ignore_errors=True)
                if "unable to read" not in exc.stderr and "corruption" not in exc.stderr:
                    log(f"  clone failed: {exc.stderr.strip()[:300]}")
                    missing.append(cand["name"] + " (clone failed)")
                    continue
                # A partial snapshot (promisor pack: some large blobs were never stored): upload-pack
                # refuses it, so copy the present objects of HEAD by hand and check out what exists.
                log("  partial snapshot: checking out the blobs that exist")
                try:
                    absent = checkout_partial(mirror, dest)
                except (subprocess.CalledProcessError, OSError) as exc2:
                    log(f"  checkout failed: {getattr(exc2, 'stderr', exc2)!s:.300}")
                    shutil.rmtree(dest, ignore_errors=True)
                    missing.append(cand["name"] + " (checkout failed)")
                    continue
                (dest / ".git" / "bench-checkout").write_text(f"partial snapshot: {absent} tracked files absent\n")
        commit = git("rev-parse", "HEAD", cwd=dest).strip()
        files = git("ls-files", "-z", cwd=dest).count("\0")
        how = (dest / ".git" / "bench-checkout").read_text().strip() if (dest / ".git" / "bench-checkout").is_file() \
            else "git clone --depth 1"
        items.append({"kind": "dpg", "name": cand["name"], "version": commit, "path": f"dpg/{dest.name}",
                      "source": cand["url"], "registry": "github (DPGA data, snapshot via fetch)",
                      "origin": cand["origin"], "dpg_name": cand["dpg_name"],
                      "declared": None, "dpga_declared": cand["dpga_declared"], "files": files, "checkout": how})
    return items, missing


def checkout_partial(mirror: Path, dest: Path) -> int:
    """Shallow checkout of HEAD from a snapshot whose pack lacks some blobs; returns how many are absent.

    The objects of the HEAD commit that exist are packed into a fresh repository marked shallow at HEAD;
    the files whose blob is absent are dropped from the index, so ``git ls-files`` lists exactly the tracked
    files present in the work tree.
    """
    head = git("--git-dir", str(mirror), "rev-parse", "HEAD").strip()
    branch = git("--git-dir", str(mirror), "symbolic-ref", "-q", "HEAD").strip() or "refs/heads/main"
    git("init", "--quiet", "--template=", str(dest))
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    objects = subprocess.run(["git", "--git-dir", str(mirror), "rev-list", "--objects", "--no-object-names",
                              "--missing=allow-any", "-n", "1", "HEAD"], env=env, check=True,
                             capture_output=True).stdout
    pack = subprocess.run(["git", "--git-dir", str(mirror), "pack-objects", "--quiet", "--stdout",
                           "--missing=allow-any"], input=objects, env=env, check=True, capture_output=True).stdout
    subprocess.run(["git", "-C", str(dest), "index-pack", "--stdin"], input=pack, env=env, check=True,
                   capture_output=True)
    (dest / ".git" / "shallow").write_text(head + "\n")
    git("update-ref", branch, head, cwd=dest)
    git("symbolic-ref", "HEAD", branch, cwd=dest)
    git("read-tree", "HEAD", cwd=dest)
    # check=False: it reports errors for the absent blobs, and only for those
    subprocess.run(["git", "-c", "core.hooksPath=/dev/null", "-c", "core.symlinks=true", "checkout-index", "-a",
                    "-f"], cwd=dest, env=env, capture_output=True, check=False)
    gone = [p for p in git("ls-files", "-z", "--deleted", cwd=dest).split("\0") if p]
    for i in range(0, len(gone), 500):
        subprocess.run(["git", "update-index", "--force-remove", "-z", "--stdin"], cwd=dest, env=env,
                       input="\0".join(gone[i:i + 500]).encode("utf-8", "surrogateescape"), check=True,
                       capture_output=True)
    return len(gone)


# --------------------------------------------------------------------------------------- package trees

def _spdx_or_none(text: str | None) -> str | None:
    """``text`` if it parses as a valid SPDX expression (license-expression), else None."""
    if not text:
        return None
    try:
        from license_expression import get_spdx_licensing
    except ImportError:
        return None
    licensing = get_spdx_licensing()
    try:
        parsed = licensing.parse(text.strip(), validate=True, strict=False)
    except Exception:  # noqa: BLE001 - the library raises several error types; any of them means "not SPDX"
        return None
    return str(parsed) if parsed is not None else None


def pypi_declared(pkg_info: str) -> tuple[dict, str | None]:
    msg = email.parser.Parser().parsestr(pkg_info, headersonly=False)
    expression = msg.get("License-Expression")
    free = msg.get("License")
    classifiers = [c for c in msg.get_all("Classifier") or [] if c.startswith("License ::")]
    raw = {"License-Expression": expression, "License": (free or "")[:200] or None, "classifiers": classifiers}
    if expression:
        return raw, _spdx_or_none(expression)
    if free and "\n" not in free.strip() and len(free) < 80:
        key = free.strip().lower()
        if key in FREE_TEXT:
            if FREE_TEXT[key]:
                return raw, FREE_TEXT[key]
        else:
            spdx = _spdx_or_none(free)
            if spdx:
                return raw, spdx
    mapped = [CLASSIFIERS.get(c) for c in classifiers]
    if mapped and all(mapped):
        uniq = sorted(set(mapped))
        return raw, " OR ".join(uniq) if len(uniq) > 1 else uniq[0]  # several classifiers: a choice
    return raw, None


def _unpack(archive: Path, dest: Path) -> None:
    """Unpack stripping the single top directory; refuse absolute paths, '..' and links leaving the tree."""
    tmp = Path(tempfile.mkdtemp(dir=dest.parent))
    try:
        if archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as zf:
                for name in zf.namelist():
                    if name.startswith("/") or ".." in Path(name).parts:
                        raise ValueError(f"unsafe member {name}")
                zf.extractall(tmp)  # noqa: S202 - every member name was checked just above
        else:
            with tarfile.open(archive) as tf:
                tf.extractall(tmp, filter="data")
        tops = list(tmp.iterdir())
        root = tops[0] if len(tops) == 1 and tops[0].is_dir() else tmp
        shutil.rmtree(dest, ignore_errors=True)
        root.rename(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def prepare_pypi() -> list[dict]:
    items = []
    dl = WORK / "downloads" / "pypi"
    dl.mkdir(parents=True, exist_ok=True)
    (CORPUS / "pypi").mkdir(parents=True, exist_ok=True)
    for name, version in PYPI:
        dest = CORPUS / "pypi" / f"{name}-{version}"
        if not dest.is_dir():
            log(f"pip download {name}=={version}")
            before = set(dl.iterdir())
            # the sdist of this package only: its build requirements (pip prepares its metadata in an
            # isolated build environment) come as wheels, not compiled from source (Cython takes minutes)
            proc = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                                   "--no-binary", name, "--dest", str(dl), f"{name}=={version}"],
                                  capture_output=True, text=True, check=False)
            new = [p for p in set(dl.iterdir()) - before] or _find_archive(dl, name, version)
            if proc.returncode != 0 and not new:
                log(f"  failed: {proc.stderr.strip()[-300:]}")
                continue
            _unpack(new[0], dest)
        pkg_info = dest / "PKG-INFO"
        raw, spdx = pypi_declared(pkg_info.read_text("utf-8", "replace")) if pkg_info.is_file() else ({}, None)
        items.append({"kind": "pypi", "name": name, "version": version, "path": f"pypi/{dest.name}",
                      "source": f"https://pypi.org/project/{name}/{version}/", "registry": "pypi",
                      "declared": spdx, "declared_raw": raw, "files": _count_files(dest)})
    return items


def _find_archive(dl: Path, name: str, version: str) -> list[Path]:
    norm = re.sub(r"[-_.]+", "[-_.]", re.escape(name.lower()).replace("\\-", "-"))
    pat = re.compile(rf"^{norm}-{re.escape(version)}\.(tar\.gz|zip|tar\.bz2)$", re.I)
    return [p for p in dl.iterdir() if pat.match(p.name)]


def prepare_npm() -> list[dict]:
    items = []
    dl = WORK / "downloads" / "npm"
    dl.mkdir(parents=True, exist_ok=True)
    (CORPUS / "npm").mkdir(parents=True, exist_ok=True)
    for name, version in NPM:
        safe = name.replace("@", "").replace("/", "+")
        dest = CORPUS / "npm" / f"{safe}-{version}"
        if not dest.is_dir():
            log(f"npm pack {name}@{version}")
            proc = subprocess.run(["npm", "pack", "--silent", "--ignore-scripts", "--json",
                                   "--pack-destination", str(dl), f"{name}@{version}"],
                                  capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                log(f"  failed: {proc.stderr.strip()[-300:]}")
                continue
            filename = json.loads(proc.stdout)[0]["filename"]
            _unpack(dl / filename.replace("@", "").replace("/", "-"), dest)
        try:
            declared_raw = json.loads((dest / "package.json").read_text("utf-8")).get("license")
        except (OSError, ValueError):
            declared_raw = None
        if isinstance(declared_raw, dict):  # old shape {"type": ...}
            declared_raw = declared_raw.get("type")
        items.append({"kind": "npm", "name": name, "version": version, "path": f"npm/{dest.name}",
                      "source": f"https://www.npmjs.com/package/{name}/v/{version}", "registry": "npm",
                      "declared": _spdx_or_none(declared_raw) if isinstance(declared_raw, str) else None,
                      "declared_raw": declared_raw, "files": _count_files(dest)})
    return items


def _count_files(root: Path) -> int:
    return sum(len(files) for _d, _s, files in os.walk(root))


# ----------------------------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    prep = sub.add_parser("prepare", help="make the local trees and write bench/corpus.json")
    prep.add_argument("--kind", choices=("dpg", "pypi", "npm"), action="append",
                      help="only these kinds (repeatable); the manifest keeps the other kinds' entries")
    prep.add_argument("--max-dpg", type=int, default=MAX_DPG)
    sub.add_parser("missing", help="DPG repositories of the DPGA data without a snapshot in the mirror")
    args = parser.parse_args(argv)

    if args.cmd == "missing":
        cands = dpg_candidates()
        missing = [c["name"] for c in cands if mirror_of(c["name"]) is None]
        print(f"{len(cands) - len(missing)} of {len(cands)} DPG repositories have a snapshot in {MIRRORS}")
        print("\n".join(missing))
        return 0

    kinds = args.kind or ["dpg", "pypi", "npm"]
    old = json.loads(MANIFEST.read_text("utf-8")) if MANIFEST.is_file() else {"items": []}
    items = [i for i in old.get("items", []) if i["kind"] not in kinds]
    missing: list[str] = old.get("dpg_missing", []) if "dpg" not in kinds else []
    if "dpg" in kinds:
        dpg, missing = prepare_dpg(args.max_dpg)
        items += dpg
    if "pypi" in kinds:
        items += prepare_pypi()
    if "npm" in kinds:
        items += prepare_npm()
    order = {"dpg": 0, "pypi": 1, "npm": 2}
    items.sort(key=lambda i: order[i["kind"]])
    manifest = {
        "about": "Corpus of bench/screening_bench.py, prepared by bench/corpus.py. Trees live under "
                 "bench/.work/corpus/<path> and are never committed. 'declared' is the SPDX expression the "
                 "package declares (null when its metadata does not say which licence unambiguously); "
                 "'dpga_declared' is what the DPGA record says for the whole product (informational).",
        "counts": {k: sum(1 for i in items if i["kind"] == k) for k in order},
        "dpg_missing": missing,
        "items": items,
    }
    MANIFEST.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", "utf-8")
    log(f"wrote {MANIFEST}: {manifest['counts']}; DPG repositories skipped for want of a snapshot: "
        f"{len(missing)}")
    for name in missing:
        log(f"  missing: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
