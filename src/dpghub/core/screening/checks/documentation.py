"""Indicator 5: documentation enough for a technical stranger to deploy and run the good.

Looks at the README's substance (words, install / usage / deploy / configuration sections), a docs
folder, install or deploy guides and deployment files, and for data and AI models a datasheet or
model card.
"""

from __future__ import annotations

import re

from dpghub.core.screening.checks.base import Context, names
from dpghub.core.screening.report import Evidence, Finding, Status
from dpghub.core.screening.scan import ascii_lower
from dpghub.core.standard import OPEN_AI_MODEL, OPEN_DATA

README = re.compile(r"^README(?:\.[\w.-]+)?$", re.IGNORECASE)
GUIDE_FILES = names("INSTALL(?:ING|ATION)?", "DEPLOY(?:MENT|ING)?", "SETUP", "GETTING[_-]STARTED",
                    "QUICKSTART", "RUNNING", "OPERATIONS")
DEPLOY_FILES = re.compile(r"^(?:Dockerfile|Containerfile|docker-compose\.ya?ml|compose\.ya?ml|Chart\.yaml|"
                          r"Procfile|app\.json|netlify\.toml|vercel\.json|fly\.toml|ansible\.cfg|Vagrantfile)$")
CARD_FILES = names("MODEL[_-]?CARD", "DATA[_-]?CARD", "DATASHEET", "DATA[_-]?SHEET", "DATASET[_-]?CARD",
                   "DATA[_-]?DICTIONARY", "CODEBOOK")
DOCS_DIRS = ("docs/", "doc/", "documentation/", "wiki/", "manual/", "guide/", "website/docs/")
SECTIONS = {
    "install": re.compile(r"install|setup|set up|getting started|quick ?start|requirements|prerequisites|build",
                          re.IGNORECASE),
    "usage": re.compile(r"usage|how to use|using|examples?|tutorial|run(?:ning)?\b", re.IGNORECASE),
    "deploy": re.compile(r"deploy|production|hosting|docker|kubernetes|operations", re.IGNORECASE),
    "configuration": re.compile(r"config|settings|environment variables", re.IGNORECASE),
}
# "## Install", "== Install", "**Install**" on a line of their own; "Install" over a line of = or -.
_HEADING = re.compile(r"^(?:#{1,6}[ \t]+(.+?)[ \t]*#*|=+[ \t]+(.+?)[ \t]*=*|\*\*(.+?)\*\*)[ \t]*$", re.MULTILINE)
_UNDERLINE = re.compile(r"\n(?:=+|-+)[ \t]*(?=\n|\Z)")
MIN_WORDS = 150
THIN_WORDS = 40


# Words that each kind of section heading must contain (in lower case, after folding the four non-ASCII
# letters that IGNORECASE matches to ASCII ones): the regular expression runs only where one occurs.
_SECTION_WORDS = {
    "install": ("install", "setup", "set up", "getting started", "start", "requirements", "prerequisites", "build"),
    "usage": ("usage", "how to use", "using", "example", "tutorial", "run"),
    "deploy": ("deploy", "production", "hosting", "docker", "kubernetes", "operations"),
    "configuration": ("config", "settings", "environment variables"),
}
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_HEADING_START = re.compile(r"\n[#=*]")  # a heading line starts with one of these


def _headings(text: str) -> list[tuple[int, str]]:
    """(line number, heading text) of the README's headings, in document order."""
    found = []
    for start in _HEADING_START.finditer("\n" + text):  # offsets in text: the match starts one earlier
        m = _HEADING.match(text, start.start())
        if m:
            found.append((m.start(), next(g for g in m.groups() if g)))
    for m in _UNDERLINE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        title = text[start : m.start()].strip()
        if title:
            found.append((start, title))
    out, line, at = [], 1, 0
    for pos, title in sorted(found):
        line += text.count("\n", at, pos)
        at = pos
        out.append((line, title))
    return out


def readme_facts(text: str) -> tuple[int, dict[str, tuple[int, str]]]:
    """(word count, section kind -> (line, heading)) for a README."""
    words = len(text.split())  # whitespace-separated words (a regex word count cost milliseconds)
    sections: dict[str, tuple[int, str]] = {}
    for line, heading in _headings(text):
        folded = heading.translate(_FOLD).lower()
        for kind, pattern in SECTIONS.items():
            if (kind not in sections and any(word in folded for word in _SECTION_WORDS[kind])
                    and pattern.search(heading)):
                sections[kind] = (line, heading.strip()[:120])
    return words, sections


def check(ctx: Context) -> list[Finding]:
    tree = ctx.tree
    own = tree.own_files()  # not vendored, third-party, tests, benchmarks or generated files (origin.py)
    readmes = [e for e in tree.in_folder("") if README.match(e.path)]
    readme = min(readmes, key=lambda e: (not e.path.lower().endswith((".md", ".rst")), e.path), default=None)
    text = tree.text(readme) if readme else None
    words, sections = readme_facts(text) if text else (0, {})
    docs_files = [e for e in own if e.kind == "doc" and e.path.lower().startswith(DOCS_DIRS)]
    guides = ctx.files_named(GUIDE_FILES)
    deploy = [e for e in own if e.depth <= 2 and DEPLOY_FILES.match(e.path.rsplit("/", 1)[-1])]
    cards = ctx.files_named(CARD_FILES, dirs=None)
    needs_card = ctx.category in (OPEN_DATA.name, OPEN_AI_MODEL.name)
    low = ascii_lower(text) if text else ""  # the phrases are ASCII
    card_in_readme = any(phrase in low for phrase in ("model card", "datasheet", "data dictionary", "dataset card"))
    data = {"readme": readme.path if readme else None, "readme_words": words, "sections": sorted(sections),
            "docs_files": len(docs_files), "guides": [e.path for e in guides[:5]],
            "deploy_files": [e.path for e in deploy[:5]], "cards": [e.path for e in cards[:5]]}
    evidence: list[Evidence] = []
    if readme:
        evidence.append(ctx.evidence(readme.path))
        evidence += [ctx.evidence(readme.path, line, heading) for line, heading in sections.values()][:4]
    if docs_files:
        evidence.append(ctx.evidence(docs_files[0].path.split("/", 1)[0] + "/"))
    evidence += [ctx.evidence(e.path) for e in (guides + cards)[:3]]
    has_install = "install" in sections or bool(guides)
    has_run = bool({"usage", "deploy", "configuration"} & set(sections)) or bool(guides) or len(docs_files) >= 3
    substantial = words >= MIN_WORDS or (words >= THIN_WORDS and len(docs_files) >= 3)
    if not readme and not docs_files and not guides:
        return [Finding("5", Status.NOT_FOUND, "docs.readme_missing",
                        "There is no README, docs folder or install guide.", evidence, data)]
    if needs_card and not cards and not card_in_readme:
        kind = "datasheet" if ctx.category == OPEN_DATA.name else "model card"
        return [Finding("5", Status.LIKELY_MET if substantial else Status.NOT_FOUND, "docs.card_missing",
                        f"Documentation exists but no {kind} was found, which {ctx.category} needs.", evidence, data)]
    if substantial and has_install and has_run:
        return [Finding("5", Status.MET, "docs.complete",
                        f"The README ({words} words) explains installation and use"
                        + (f", with {len(docs_files)} more documents" if docs_files else "") + ".", evidence, data)]
    if substantial or docs_files or guides:
        missing = [label for label, ok in (("install instructions", has_install), ("usage or deployment", has_run))
                   if not ok]
        return [Finding("5", Status.LIKELY_MET, "docs.partial",
                        "Documentation exists" + (f" but lacks {' and '.join(missing)}" if missing else "") + ".",
                        evidence, data)]
    return [Finding("5", Status.NOT_FOUND, "docs.readme_thin",
                    f"The README has only {words} words and there is no other documentation.", evidence, data)]
