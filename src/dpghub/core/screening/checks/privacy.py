"""Indicator 7: adherence to privacy and applicable laws (privacy policy, terms, laws named).

Only someone authorised to speak for the project can attest compliance, so the best status here is
"likely met". A policy is a file or page whose role is the policy: a file named for it (PRIVACY.md,
TERMS.md ...), a link to a published one, or text about privacy and laws in a document or section
whose title is about them (``PRIVACY_TOPIC``). A page that only mentions the words (a list of the
rules this screening applies, a licence text's "terms of service") is not a policy.
"""

from __future__ import annotations

import re

from dpghub.core.screening.checks.base import Context, names, unique_hits
from dpghub.core.screening.report import Finding, Status
from dpghub.core.screening.scan import DOCS, Pattern

POLICY_FILES = names("PRIVACY", "PRIVACY[_-]POLICY", "PRIVACY[_-]NOTICE", "DATA[_-]PROTECTION", "GDPR",
                     "TERMS", "TERMS[_-]OF[_-](?:SERVICE|USE)", "TOS", "LEGAL", "DPA", "COOKIE[_-]POLICY")
# What a document or section must be about for its words to count (its file name, title or heading).
PRIVACY_TOPIC = re.compile(r"privacy|data protection|personal data|\bterms\b|legal|complian|regulat|\blaws?\b|"
                           r"cookie|consent|gdpr", re.IGNORECASE)
POLICY_LINK = Pattern(
    "privacy.policy_link",
    # a link to a published policy: its address, or the text of a Markdown link
    re.compile(r"(https?://[^\s)\"'>]*/(?:privacy|terms)[^\s)\"'>]*|"
               r"\[[^\]\n]{0,60}(?:privacy[ _-](?:policy|notice|statement)|terms[ _-](?:of[ _-])?(?:service|use))"
               r"[^\]\n]{0,60}\]\()", re.IGNORECASE),
    ("/privacy", "/terms", "privacy policy", "privacy notice", "privacy statement", "terms of service",
     "terms of use"), kinds=DOCS, max_total=20,
)
POLICY_TEXT = Pattern(
    "privacy.policy_text",
    re.compile(r"(privacy[ _-](?:policy|notice|statement)|terms[ _-](?:of[ _-])?(?:service|use))", re.IGNORECASE),
    ("privacy", "terms of", "terms-of", "terms_of"), kinds=DOCS, max_total=20, topic=PRIVACY_TOPIC,
)
LAWS = Pattern(
    "privacy.laws",
    re.compile(r"\b(GDPR|General Data Protection Regulation|HIPAA|CCPA|LGPD|POPIA|PIPEDA|Data Protection Act|"
               r"Kenya Data Protection|NDPR|PDPA|DPDP Act|COPPA|FERPA)\b"),
    ("gdpr", "general data protection", "hipaa", "ccpa", "lgpd", "popia", "pipeda", "data protection act",
     "ndpr", "pdpa", "dpdp", "coppa", "ferpa"),
    kinds=DOCS, max_per_file=3, max_total=30, topic=PRIVACY_TOPIC,
)
PATTERNS = [POLICY_LINK, POLICY_TEXT, LAWS]


def check(ctx: Context) -> list[Finding]:
    files = ctx.files_named(POLICY_FILES, dirs=("", ".github", "docs", "legal", "policies", "docs/legal"))
    links = ctx.scan.get(POLICY_LINK.name) + ctx.scan.get(POLICY_TEXT.name)
    laws = ctx.scan.get(LAWS.name)
    law_names = sorted({h.value.upper() if len(h.value) <= 6 else h.value for h in laws})
    data = {"policy_files": [e.path for e in files[:10]], "laws": law_names[:10]}
    evidence = [ctx.evidence(e.path) for e in files[:3]] + [ctx.hit_evidence(h) for h in unique_hits(links + laws, 4)]
    if files or links:
        return [Finding("7", Status.LIKELY_MET, "privacy.policy_found",
                        "A privacy policy or terms of use are published"
                        + (f", and the laws named include {', '.join(law_names[:3])}" if law_names else "")
                        + "; compliance must be confirmed by the project.", evidence, data)]
    if laws:
        return [Finding("7", Status.NEEDS_HUMAN, "privacy.laws_mentioned",
                        f"The documents on privacy name laws ({', '.join(law_names[:3])}), but no privacy policy "
                        "or terms of use were found.",
                        evidence, data)]
    return [Finding("7", Status.NOT_FOUND, "privacy.not_found",
                    "No privacy policy, terms of use or reference to privacy law was found.", [], data)]
