"""Indicator 9 (do no harm by design): 9a data privacy and security, 9b inappropriate and illegal content,
9c protection from harassment. Policies found are only "likely met": the project must attest them.

A policy is a file named for it (SECURITY.md, CODE_OF_CONDUCT.md ...) or text in a document or section
whose title is about the topic (``SECURITY_TOPIC``, ``CONTENT_TOPIC``, ``CONDUCT_TOPIC``); the same words
elsewhere (a table of the rules this screening applies, a bundled SDK's terms) are not a policy.
"""

from __future__ import annotations

import re

from dpghub.core.screening.checks.base import Context, names, unique_hits
from dpghub.core.screening.report import Evidence, Finding, Status
from dpghub.core.screening.scan import DOCS, Pattern

SECURITY_FILES = names("SECURITY", "SECURITY[_-]POLICY", "VULNERABILITY[_-]DISCLOSURE", "security\\.txt")
CONDUCT_FILES = names("CODE[_-]OF[_-]CONDUCT", "CONDUCT", "COC")
MODERATION_FILES = names("MODERATION(?:[_-]POLICY)?", "CONTENT[_-]POLICY", "ACCEPTABLE[_-]USE(?:[_-]POLICY)?",
                         "COMMUNITY[_-]GUIDELINES", "TRUST[_-]AND[_-]SAFETY", "SAFEGUARDING", "ABUSE")
DIRS = ("", ".github", "docs", ".well-known", "policies", "docs/policies", "governance")
# What a file name, document title or section heading must be about for the words under it to count.
SECURITY_TOPIC = re.compile(r"security|vulnerab|disclosure", re.IGNORECASE)
CONTENT_TOPIC = re.compile(r"moderat|content|abuse|acceptable use|community guidelines|terms|trust and safety|"
                           r"safeguard|child safety", re.IGNORECASE)
# terms of use that forbid harassing other users are an anti-harassment policy
CONDUCT_TOPIC = re.compile(r"conduct|harass|community|behaviou?r|participation|\bcoc\b|\bterms\b|acceptable use",
                           re.IGNORECASE)

DISCLOSURE = Pattern(
    "harm.disclosure",
    re.compile(r"(report(?:ing)? (?:a |security )?vulnerabilit\w+|responsible disclosure|coordinated disclosure|"
               r"security@[\w.-]+|security advisor(?:y|ies))", re.IGNORECASE),
    ("vulnerab", "disclosure", "security@", "security advisor"), kinds=DOCS, max_total=10, topic=SECURITY_TOPIC,
)
MODERATION = Pattern(
    "harm.moderation",
    re.compile(r"(content moderation|moderation (?:policy|guidelines|tools?|queue)|report(?:ing)? (?:abuse|"
               r"(?:inappropriate|illegal|harmful|offensive) content)|flag(?:ging)? (?:content|posts?)|"
               r"takedown (?:request|policy|notice)|acceptable use policy|child (?:sexual )?(?:abuse|safety))",
               re.IGNORECASE),
    # Needles every match contains (a bare "report" or "child" is on most pages of any documentation).
    ("moderation", "takedown", "acceptable use", "child abuse", "child sexual", "child safety")
    + tuple(f"{verb} {what}" for verb in ("report", "reporting")
            for what in ("abuse", "inappropriate content", "illegal content", "harmful content", "offensive content"))
    + tuple(f"{verb} {what}" for verb in ("flag", "flagging") for what in ("content", "post")),
    kinds=DOCS, max_total=10, topic=CONTENT_TOPIC,
)
HARASSMENT = Pattern(
    "harm.harassment",
    re.compile(r"(anti-?harassment|harass(?:ment|ing)?|block(?:ing)? (?:users?|accounts?)|report (?:a |the )?users?)",
               re.IGNORECASE),
    ("harass", "block user", "blocking user", "block account", "blocking account", "report a user", "report the user",
     "report user"),
    kinds=DOCS, max_total=10, topic=CONDUCT_TOPIC,
)
PATTERNS = [DISCLOSURE, MODERATION, HARASSMENT]


def _ev(ctx: Context, files, hits) -> list[Evidence]:
    return [ctx.evidence(e.path) for e in files[:3]] + [ctx.hit_evidence(h) for h in unique_hits(hits, 3)]


def check(ctx: Context) -> list[Finding]:
    findings = []
    security = ctx.files_named(SECURITY_FILES, dirs=DIRS)
    disclosure = ctx.scan.get(DISCLOSURE.name)
    if security:
        findings.append(Finding("9a", Status.LIKELY_MET, "harm.security_policy",
                                f"A security policy is published ({security[0].path}); the project must describe how "
                                "it protects personal data.", _ev(ctx, security, disclosure),
                                {"files": [e.path for e in security]}))
    elif disclosure:
        findings.append(Finding("9a", Status.LIKELY_MET, "harm.disclosure_process",
                                "A document on security explains how to report vulnerabilities, but there is no SECURITY.md.",
                                _ev(ctx, [], disclosure), {"files": []}))
    else:
        findings.append(Finding("9a", Status.NOT_FOUND, "harm.security_missing",
                                "No security policy or vulnerability reporting process was found.", [], {"files": []}))
    moderation_files = ctx.files_named(MODERATION_FILES, dirs=DIRS)
    moderation = ctx.scan.get(MODERATION.name)
    if moderation_files or moderation:
        findings.append(Finding("9b", Status.LIKELY_MET, "harm.moderation_policy",
                                "A moderation, acceptable-use or content-reporting policy is documented.",
                                _ev(ctx, moderation_files, moderation), {"files": [e.path for e in moderation_files]}))
    else:
        findings.append(Finding("9b", Status.NOT_FOUND, "harm.moderation_missing",
                                "No policy on inappropriate or illegal content was found (it may not apply if the "
                                "good hosts no user content).", [], {"files": []}))
    # a code of conduct is also found in a deeper docs folder (docs/developers/code_of_conduct.md)
    conduct = (ctx.files_named(CONDUCT_FILES, dirs=DIRS)
               or [e for e in ctx.files_named(CONDUCT_FILES, dirs=None) if e.kind == "doc"])
    harassment = ctx.scan.get(HARASSMENT.name)
    conduct_text = ctx.tree.text(conduct[0]) if conduct else None
    enforced = bool(conduct_text and re.search(r"enforce|report|contact|@", conduct_text, re.IGNORECASE))
    if conduct:
        findings.append(Finding("9c", Status.LIKELY_MET, "harm.code_of_conduct",
                                f"A code of conduct is published ({conduct[0].path})"
                                + (" with a way to report harassment." if enforced else
                                   " but it gives no way to report harassment."),
                                _ev(ctx, conduct, harassment), {"files": [e.path for e in conduct],
                                                                "reporting_contact": enforced}))
    elif harassment:
        findings.append(Finding("9c", Status.LIKELY_MET, "harm.harassment_process",
                                "A document on conduct or the community mentions protection from harassment, but there is no "
                                "code of conduct.",
                                _ev(ctx, [], harassment), {"files": []}))
    else:
        findings.append(Finding("9c", Status.NOT_FOUND, "harm.conduct_missing",
                                "No code of conduct or anti-harassment policy was found.", [], {"files": []}))
    return findings
