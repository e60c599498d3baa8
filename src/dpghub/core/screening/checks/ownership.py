"""Indicator 3: clear ownership (copyright lines, NOTICE, governance, trademark, CODEOWNERS, MAINTAINERS)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from dpghub.core.screening.checks.base import Context, names, unique_hits
from dpghub.core.screening.report import Finding, Status
from dpghub.core.screening.scan import ALL_TEXT, Pattern

COPYRIGHT = Pattern(
    "ownership.copyright",
    re.compile(
        # "Copyright (c) ...", "Copyright © ...", "Copyright 2020 ...", "© ...", "(c) 2020 ..." at a line start:
        # a bare "copyright" word (as in licence prose) is not an ownership statement.
        r"^[ \t#*/;!<>%\"'(-]*(?:spdx-filecopyrighttext:[ \t]*(?:copyright[ \t]*)?(?:\(c\)|©)?|"
        r"copyright[ \t]*(?:\(c\)|©)|copyright[ \t]+(?=\d{4})|©|\(c\)[ \t]*(?=\d{4}))"
        r"[ \t:]*(?:\d{4}(?:[ \t]*[-–,][ \t]*(?:\d{4}|present))*[ \t,]*)?(?:by[ \t]+)?([^\n\r]{2,160})",
        re.IGNORECASE | re.MULTILINE,
    ),
    ("copyright", "©", "(c)"),
    kinds=ALL_TEXT,
    head=8192,
    max_per_file=2,
    max_total=3000,
)
PUBLICCODE_OWNER = Pattern(
    "ownership.publiccode_owner",
    re.compile(r"^\s*(?:mainCopyrightOwner|repoOwner)\s*:\s*['\"]?([^'\"\n]{2,160})", re.MULTILINE),
    ("copyrightowner", "repoowner"),
    kinds=frozenset({"config"}),
    path_filter=lambda p: p.rsplit("/", 1)[-1].startswith("publiccode.y"),
)
PATTERNS = [COPYRIGHT, PUBLICCODE_OWNER]

OWNER_FILES = names("NOTICE", "COPYRIGHT", "AUTHORS", "CONTRIBUTORS", "GOVERNANCE", "TRADEMARKS?",
                    "CODEOWNERS", "MAINTAINERS", "OWNERS", "CHARTER", "OWNERSHIP")
LEGAL_FILE = re.compile(r"^(?:LICEN[CS]E|COPYING|NOTICE|COPYRIGHT)", re.IGNORECASE)
# Template placeholders and phrases that are not a holder's name.
NOT_A_HOLDER = re.compile(
    r"[\[<{]|\byyyy\b|name of (?:copyright|author)|copyright (?:holder|owner|notice|law|and license)|"
    r"the above|this (?:copyright|license|software)|^notice|^statement|^license|^\W*$|owner\]|"
    r"^(?:and|or|of|is|holders?|owners?|info|information|laws?|year|date|none|noassertion)\b|"
    # "the" starts a phrase ("the copyright holders", "the original author"), or a name ("The Go Authors")
    r"^the\s+(?:above|following|same|original|respective|copyright|software|program|licen\w*|holders?|"
    r"owners?|authors?|contributors?|project|work)\b|^the\W*$|"
    # a line of code or of a pattern, not a name: quotes, escapes, "..." ("Copyright (c) ...", "\n")
    r"[\"`\\]|\.\.\.|…|\(\?",
    re.IGNORECASE,
)
# Holders named inside well-known licence texts themselves (their copyright line is part of the licence).
LICENCE_TEXT_HOLDERS = re.compile(r"free software foundation|internet systems consortium|internet software "
                                  r"consortium|sam hocevar|latex3 project|creative commons|open source initiative|"
                                  r"regents of the university of california|python software foundation|"
                                  r"perl foundation",  # the Artistic License 2.0's own line
                                  re.IGNORECASE)
_TRAIL = re.compile(r"[\s.,;:*/#>-]*(?:all rights reserved\.?)?[\s.,;:*/#>-]*$", re.IGNORECASE)
# What is left of "... located at <URL>" or "(see <URL>)" once the address is removed.
_DANGLING = re.compile(r"[\s(,;:-]+(?:located at|available at|at|see|from|in|on|by)?[\s(,;:-]*$", re.IGNORECASE)


@lru_cache(maxsize=4096)  # the same header line is often in thousands of files
def clean_holder(raw: str) -> str | None:
    holder = re.sub(r"<[^>]*@[^>]*>|\(?\bhttps?://\S+", "", raw)  # e-mails and URLs are not names
    holder = _DANGLING.sub("", _TRAIL.sub("", holder)).strip(" \t\"'.,;*")
    holder = re.sub(r"\s+", " ", holder)
    if len(holder) < 2 or NOT_A_HOLDER.search(holder) or LICENCE_TEXT_HOLDERS.search(holder):
        return None
    return holder[:120]


def holders_in(text: str) -> list[str]:
    """The copyright holders named in the first 8 KiB of a text (a licence file's "Copyright (c) ..." lines)."""
    found = (clean_holder(m.group(1)) for m in COPYRIGHT.regex.finditer(text[: COPYRIGHT.head]))
    return list(dict.fromkeys(h for h in found if h))


def check(ctx: Context) -> list[Finding]:
    holders: Counter[str] = Counter()
    named: Counter[str] = Counter()  # holders named by the root licence, notice or publiccode.yml
    strong, weak = [], []
    for hit in ctx.scan.get(COPYRIGHT.name):
        if hit.path.lower().startswith(("licenses/", "licences/")):  # REUSE folder of licence texts
            continue
        holder = clean_holder(hit.value)
        if holder is None:
            continue
        holders[holder] += 1
        name = hit.path.rsplit("/", 1)[-1]
        if hit.path.count("/") == 0 and LEGAL_FILE.match(name):
            strong.append(hit)
            named[holder] += 1
        else:
            weak.append(hit)
    for hit in ctx.scan.get(PUBLICCODE_OWNER.name):
        holder = clean_holder(hit.value)
        if holder:
            holders[holder] += 2
            named[holder] += 2
            strong.append(hit)
    files = ctx.files_named(OWNER_FILES)
    # the root's own holders first: a holder named in many source headers does not outrank them
    ranked = [name for name, _ in named.most_common()] + [name for name, _ in holders.most_common() if name not in named]
    data = {"holders": ranked[:5], "files": [e.path for e in files[:10]]}
    evidence = [ctx.hit_evidence(h) for h in unique_hits(strong + weak, 4)]
    evidence += [ctx.evidence(e.path) for e in files[:4]]
    if strong:
        # only the holders the root licence, notice or publiccode.yml names (a snippet copied into one
        # source file, with its author's copyright line, does not make that author an owner)
        owners = [name for name, _ in named.most_common(3)]
        return [Finding("3", Status.MET, "ownership.copyright_holder",
                        f"The licence or notice names the copyright {'holder' if len(owners) == 1 else 'holders'}: "
                        f"{', '.join(owners)}.", evidence, data)]
    if weak or files:
        what = []
        if weak:
            what.append(f"copyright lines name {', '.join(data['holders'][:3])}")
        if files:
            what.append("ownership files exist (" + ", ".join(e.path for e in files[:3]) + ")")
        return [Finding("3", Status.LIKELY_MET, "ownership.partial",
                        "Ownership is partly documented: " + "; ".join(what) + ".", evidence, data)]
    return [Finding("3", Status.NOT_FOUND, "ownership.not_found",
                    "No copyright line, NOTICE, governance, trademark or maintainers file names an owner.",
                    [], data)]
