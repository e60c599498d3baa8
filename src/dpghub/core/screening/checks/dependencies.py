"""Indicator 4: platform independence.

Direct dependencies come from manifests (see :mod:`.manifests`). Where the checkout carries vendored
packages (``node_modules/*/package.json``, ``vendor/*/*/composer.json``, licence files under vendored
folders) their declared licences are read too: closed ones and ones more restrictive than the project's
own licence are flagged, as are well-known proprietary SDKs and services. None of this can prove that a
dependency is mandatory or that open alternatives exist, so a flag means "needs a human".
"""

from __future__ import annotations

import json
import re
from typing import Any

from dpghub.core import licensing
from dpghub.core.screening.checks.base import Context
from dpghub.core.screening.checks.manifests import Dependency, is_manifest, parser_for
from dpghub.core.screening.report import Finding, Status
from dpghub.core.standard import OPEN_SOFTWARE

MAX_MANIFESTS = 200
PROPRIETARY: list[tuple[re.Pattern[str], str]] = [(re.compile(p), label) for p, label in [
    (r"^(?:firebase|@firebase/|firebase-admin|com\.google\.firebase)", "Firebase (Google)"),
    (r"google-?maps|@googlemaps/|react-google-maps|play-services-maps", "Google Maps Platform"),
    (r"^com\.google\.android\.gms", "Google Play services"),
    (r"^(?:@google-cloud/|google-cloud-|cloud\.google\.com/go|com\.google\.cloud)", "Google Cloud SDK"),
    (r"^(?:aws-sdk|@aws-sdk/|boto3$|botocore$|software\.amazon\.awssdk|com\.amazonaws|github\.com/aws/aws-sdk)",
     "Amazon Web Services SDK"),
    (r"^(?:@azure/|azure-|com\.microsoft\.azure|microsoft\.azure\.|github\.com/azure/)", "Microsoft Azure SDK"),
    (r"^(?:stripe$|stripe/|@stripe/|com\.stripe|github\.com/stripe/)", "Stripe"),
    (r"^(?:twilio|com\.twilio)", "Twilio"),
    (r"^(?:mapbox-gl$|@mapbox/mapbox-gl|com\.mapbox\.)", "Mapbox GL (proprietary licence since v2)"),
    (r"ojdbc|^com\.oracle|^oracledb$|^cx[-_]oracle$", "Oracle Database"),
    (r"^(?:@sendgrid/|sendgrid)", "SendGrid"),
    (r"^(?:auth0|@auth0/|com\.auth0)", "Auth0"),
    (r"^(?:@okta/|okta)", "Okta"),
    (r"^(?:mixpanel|amplitude|@amplitude/|analytics-node|@segment/)", "a proprietary analytics service"),
    (r"^(?:algoliasearch|@algolia/)", "Algolia"),
    (r"^(?:newrelic|@newrelic/|dd-trace|datadog)", "a proprietary monitoring service"),
    (r"crashlytics", "Firebase Crashlytics"),
    (r"^(?:onesignal|react-native-onesignal)", "OneSignal"),
    (r"^(?:openai$|@openai/|com\.openai)", "OpenAI API"),
    (r"^(?:highcharts|@highcharts/)", "Highcharts (commercial licence)"),
    (r"^(?:@arcgis/|arcgis|com\.esri)", "Esri ArcGIS"),
    (r"^com\.unity\.", "the Unity engine (proprietary)"),
    (r"^com\.(?:oculus|meta\.xr)\.", "the Meta / Oculus XR SDK (proprietary licence)"),
    (r"^(?:@paypal/|paypal)", "PayPal"),
]]
CLOSED_WORDS = re.compile(r"^(?:unlicensed|see licen[cs]e in|proprietary|commercial|all rights reserved)",
                          re.IGNORECASE)
# How much a licence restricts re-use: 0 permissive, 1 weak copyleft, 2 strong copyleft, 3 network copyleft.
_RANKS = [
    (re.compile(r"^(?:AGPL|SSPL|OSL|RPL|CPAL)", re.IGNORECASE), 3),
    (re.compile(r"^(?:GPL|EUPL|CC-BY-SA|ODbL|CECILL-2)", re.IGNORECASE), 2),
    (re.compile(r"^(?:LGPL|MPL|EPL|CDDL|CPL|MS-RL|CECILL-C|Artistic)", re.IGNORECASE), 1),
    (re.compile(r"^(?:MIT|BSD|Apache|ISC|0BSD|Unlicense|Zlib|PSF|Python|CC0|BSL-1|X11|BlueOak|CC-BY-\d|PDDL|"
                r"ODC-By|WTFPL|MIT-0|Ruby|PostgreSQL|NCSA|UPL)", re.IGNORECASE), 0),
]


# How the reasons of data["flags"] read in a sentence.
REASON_WORDS = {"proprietary_service": "proprietary services or SDKs", "closed_licence": "closed licences",
                "more_restrictive": "licences more restrictive than the project's"}


def rank(expression: str | None) -> int | None:
    """Restrictiveness of an SPDX expression (OR takes the easiest choice, AND the hardest)."""
    if not expression:
        return None
    alternatives = []
    for option in re.split(r"\s+OR\s+", expression.strip("() ")):
        ranks = []
        for token in re.split(r"\s+(?:AND|WITH)\s+", option.strip("() ")):
            token = token.strip("() ")
            value = next((r for pattern, r in _RANKS if pattern.match(token)), None)
            if value is None and "exception" not in token.lower():
                return None
            if value is not None:
                ranks.append(value)
        alternatives.append(max(ranks) if ranks else None)
    known = [a for a in alternatives if a is not None]
    return min(known) if known else None


def proprietary(name: str) -> str | None:
    low = name.lower()
    return next((label for pattern, label in PROPRIETARY if pattern.search(low)), None)


def _json_licence(data: dict[str, Any]) -> str | None:
    value = data.get("license", data.get("licenses"))
    if isinstance(value, dict):
        value = value.get("type")
    if isinstance(value, list):
        parts = [v.get("type") if isinstance(v, dict) else v for v in value]
        value = " OR ".join(str(p) for p in parts if p)
    return str(value).strip() if value else None


def vendored_licences(ctx: Context) -> dict[str, tuple[str, str]]:
    """Package name -> (declared licence, path) for vendored packages found in the checkout."""
    found: dict[str, tuple[str, str]] = {}
    for entry in ctx.tree.files(vendored=True):
        name = entry.path.rsplit("/", 1)[-1]
        if name not in ("package.json", "composer.json") or len(found) >= 2000:
            continue
        text = ctx.tree.text(entry)
        try:
            data = json.loads(text) if text else None
        except (ValueError, RecursionError):
            continue
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            continue
        licence = _json_licence(data)
        if licence:
            found.setdefault(data["name"], (licence, entry.path))
    return found


def _normalize(raw: str) -> str:
    """The SPDX expression of a declared licence, or the string as given when it is closed or unknown."""
    if CLOSED_WORDS.match(raw):
        return raw
    return licensing.normalize(raw) or raw


def check(ctx: Context) -> list[Finding]:
    deps: list[Dependency] = []
    manifests, unreadable = [], []
    for entry in ctx.tree.own_files():  # a test fixture's or a bundled SDK's manifest is not the project's
        if not is_manifest(entry.path) or len(manifests) >= MAX_MANIFESTS:
            continue
        parser = parser_for(entry.path)
        text = ctx.tree.text(entry)
        if parser is None or text is None:
            continue
        manifests.append(entry.path)
        try:
            deps.extend(parser(text, entry.path))
        except (ValueError, TypeError, AttributeError, RecursionError):  # TOML errors are ValueErrors
            unreadable.append(entry.path)
    runtime = [d for d in deps if d.scope == "runtime"]
    project_rank = rank(ctx.licenses.root_expression if ctx.licenses else None)
    vendored = vendored_licences(ctx)
    flags, evidence = [], []
    for dep in runtime:
        label = proprietary(dep.name)
        if label:
            flags.append({"dependency": dep.name, "reason": "proprietary_service", "detail": label})
            evidence.append(ctx.evidence(dep.manifest, dep.line, f"{dep.name}: {label}"))
    for name, (raw, path) in sorted(vendored.items()):
        expression = _normalize(raw)
        closed = (bool(CLOSED_WORDS.match(raw))
                  or licensing.approval(expression, OPEN_SOFTWARE.name).verdict == "not-approved")
        dep_rank = rank(expression)
        if closed:
            flags.append({"dependency": name, "reason": "closed_licence", "detail": raw})
            evidence.append(ctx.evidence(path, None, f"{name}: {raw}"))
        elif project_rank is not None and dep_rank is not None and dep_rank > project_rank:
            flags.append({"dependency": name, "reason": "more_restrictive", "detail": expression})
            evidence.append(ctx.evidence(path, None, f"{name}: {expression} is more restrictive than "
                                         f"{ctx.licenses.root_expression if ctx.licenses else ''}"))
    data = {"manifests": manifests[:50], "unreadable_manifests": unreadable[:20],
            "direct_dependencies": len({(d.ecosystem, d.name) for d in runtime}),
            "dev_dependencies": len({(d.ecosystem, d.name) for d in deps if d.scope == "dev"}),
            "ecosystems": sorted({d.ecosystem for d in deps}), "vendored_with_licence": len(vendored),
            "flags": flags[:100]}
    if flags:
        kinds = [REASON_WORDS[k] for k in REASON_WORDS if any(f["reason"] == k for f in flags)]
        names = ", ".join(sorted({f["dependency"] for f in flags})[:5])
        return [Finding("4", Status.NEEDS_HUMAN, "deps.review_needed",
                        f"{len(flags)} {'dependency needs' if len(flags) == 1 else 'dependencies need'} a look "
                        f"({' and '.join(kinds)}): {names}; check they are optional or have open alternatives.",
                        evidence[:10], data)]
    if manifests:
        return [Finding("4", Status.LIKELY_MET, "deps.no_closed_found",
                        f"{data['direct_dependencies']} direct dependencies in {len(manifests)} "
                        f"{'manifest' if len(manifests) == 1 else 'manifests'}; none is a known proprietary service "
                        "or under a closed licence.",
                        [ctx.evidence(m) for m in manifests[:5]], data)]
    return [Finding("4", Status.NOT_FOUND, "deps.no_manifest",
                    "No dependency manifest was found, so mandatory dependencies could not be listed.", [], data)]
