"""Every setting DPG Hub reads, declared once with its type, default and help text.

Values come from, in order of precedence: environment variables ``DPGHUB_<NAME>``, then the TOML
file named by ``DPGHUB_CONFIG`` (keys in lower case, without the prefix), then the default here.
``dpghub config`` prints them all; ``docs/configuration.md`` is generated from this table.
This module is Django-free so that the CLI can read it before Django is set up.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A setting has a value that cannot be used; the message names the setting and the source."""


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a boolean (true/false/1/0/yes/no), got {value!r}")


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return f"DPGHUB_{self.name}"


OPTIONS: tuple[Option, ...] = (
    Option("DATA_DIR", "./var", "Directory for the SQLite database, the generated secret key and collected static files."),
    Option("DATABASE_URL", "", "PostgreSQL URL (postgresql://user:pass@host:port/db). Empty: SQLite in DATA_DIR."),
    Option("SECRET_KEY", "", "Django secret key. Empty: a random key is generated once and kept in DATA_DIR."),
    Option("DEBUG", False, "Development mode: detailed error pages. Never in production.", _bool),
    Option("ALLOWED_HOSTS", ["127.0.0.1", "localhost"], "Host names the site answers to (comma-separated).", _list),
    Option("SECURE_COOKIES", False, "Send session and CSRF cookies over HTTPS only (set true behind TLS).", _bool),
    Option("HSTS_SECONDS", 0, "Behind TLS: tell browsers to use HTTPS only, for this many seconds "
           "(Strict-Transport-Security; 31536000 is a year). 0: no header. Start small: browsers remember it.", int),
    Option("HSTS_INCLUDE_SUBDOMAINS", False, "Add includeSubDomains to the Strict-Transport-Security header "
           "(only if every subdomain is served over HTTPS).", _bool),
    Option("HSTS_PRELOAD", False, "Add preload to the Strict-Transport-Security header (for browsers' preload "
           "lists; needs HSTS_INCLUDE_SUBDOMAINS and at least a year of HSTS_SECONDS).", _bool),
    Option("SSL_REDIRECT", False, "Redirect plain-HTTP requests to HTTPS (except /healthz and /readyz, which "
           "load balancers probe). Behind a TLS proxy, set PROXY_SSL_HEADER too, or every request loops.", _bool),
    Option("PROXY_SSL_HEADER", "", "The header by which the TLS proxy says a request came over HTTPS, with the "
           "value `https` (usually `X-Forwarded-Proto`). Only if the proxy sets it on every request and strips "
           "it from clients'. Empty: requests are taken as they reach DPG Hub."),
    Option("LOG_FORMAT", "text", "`text`: one readable line per event. `json`: one JSON object per line (time, "
           "level, logger, message, and the request's method, path and status when there is one)."),
    Option("HOST", "127.0.0.1", "Address `dpghub serve` binds to."),
    Option("PORT", 8000, "Port `dpghub serve` listens on.", int),
    Option("WEB_WORKERS", 2, "Worker processes of the production web server.", int),
    Option("JOB_BACKEND", "embedded", "`embedded`: jobs run in the `dpghub worker` process that `dpghub serve` starts, no broker. "
           "`celery`: jobs are sent to Celery workers through BROKER_URL.", str),
    Option("BROKER_URL", "redis://127.0.0.1:6379/0", "Celery broker URL (Redis or RabbitMQ) when JOB_BACKEND=celery."),
    Option("LOAD_SHIPPED_DATA", True, "Load the DPGA records shipped with DPG Hub on first start.", _bool),
    Option("PAGE_CACHE_SECONDS", 300, "How long a public page or API answer sent to visitors who are not signed in "
           "is kept in memory. Any write invalidates it at once; 0 turns the cache off.", int),
    Option("PAGE_SIZE", 20, "Goods per page on the list page and the API (the API accepts up to 100).", int),
    Option("LANGUAGE_CODE", "en", "Default interface language (ISO 639-1)."),
    Option("TRUSTED_PROXIES", 0, "Reverse proxies in front of DPG Hub that append to X-Forwarded-For; the client "
           "address (for rate limits) is taken that many entries from the right. 0: the connection's address.", int),
    Option("SITE_URL", "http://127.0.0.1:8000", "The address people use to reach DPG Hub; links in e-mails "
           "start with it."),
    Option("SOURCE_URL", "", "Where the source code this instance runs is published; the footer of every page "
           "links to it (the AGPL asks a network service to offer its source). Empty: the footer names the licence only."),
    Option("LOGIN_RATE", "10/m", "Login attempts allowed per client address (count/period: s, m, h)."),
    Option("WRITE_API_RATE", "60/m", "Write API calls allowed per token, and per client address "
           "(count/period: s, m, h)."),
    Option("API_AUTH_FAILURE_RATE", "20/m", "Requests with an unusable API token allowed per client address "
           "before the address must wait (count/period: s, m, h)."),
    Option("LINK_CHECK_ALLOW_PRIVATE", False, "Let the check of applications' evidence links fetch addresses "
           "inside private networks and this machine (tests, intranets). Off: such links are not checked.", _bool),
    Option("SCREENING_ALLOW_LOCAL", False, "Let registry screenings read local paths and file:// URLs "
           "(tests and air-gapped mirrors only; otherwise only https:// repositories are screened).", _bool),
    Option("CHARTER_REPORTING_PERIOD_DAYS", 182, "Days between the progress reports of a Charter pledge: its light is "
           "green within one period of its last report, amber (due) in the next, red (overdue) after that, and "
           "inactive after three periods without a report.", int),
    Option("CHARTER_REMINDER_DAYS", 14, "Days before a pledge's progress report falls due that `dpghub charter "
           "remind` tells the endorser's members (once per due date).", int),
    Option("DEPLOYMENTS_STALE_DAYS", 365, "Days after which a deployment not confirmed (or recorded) since shows "
           "as stale.", int),
    Option("WATCH_EXPIRY_DAYS", 60, "Days before a followed good's recognition expires that `dpghub watch tick` "
           "tells its followers (once per expiry date).", int),
    Option("FINDER_CACHE_SECONDS", 60, "How often the finder checks whether the catalogue, deployments or "
           "screenings changed (its per-process index of goods is built again only when they did).", int),
    Option("DEPLOYMENTS_MATCH_THRESHOLD", 90, "Lowest fuzzy score (0-100) at which an imported software name is "
           "matched to a registered good; below it the name is listed as unmatched.", int),
    Option("REVIEW_RECOGNITION_DAYS", 365, "How long a DPG recognition lasts, in days from the decision.", int),
    Option("REVIEW_RENEWAL_DAYS", 60, "Days before a recognition expires when `dpghub review tick` opens a renewal "
           "application pre-filled from the last one and tells the organisation.", int),
    Option("REVIEW_ARCHIVE_DAYS", 90, "A draft application with no response from its organisation for this many "
           "days is archived (after a notice, see REVIEW_ARCHIVE_NOTICE_DAYS).", int),
    Option("REVIEW_ARCHIVE_NOTICE_DAYS", 14, "Days before archiving when the organisation is told; an application "
           "is never archived sooner than this after the notice.", int),
    Option("REVIEW_REMINDER_DAYS", 7, "Days before a clarification's deadline when the organisation is reminded.",
           int),
    Option("EMAIL_BACKEND", "file", "How e-mail is sent. `file`: not sent, each message is written to DATA_DIR/mail "
           "(`dpghub mail` lists and shows them). `smtp`: through SMTP_HOST. `console`: printed on standard output."),
    Option("EMAIL_FROM", "DPG Hub <noreply@localhost>", "Sender address of the e-mail DPG Hub sends."),
    Option("SMTP_HOST", "localhost", "SMTP server when EMAIL_BACKEND=smtp."),
    Option("SMTP_PORT", 587, "SMTP server port.", int),
    Option("SMTP_USER", "", "SMTP user name (empty: no authentication)."),
    Option("SMTP_PASSWORD", "", "SMTP password."),
    Option("SMTP_STARTTLS", True, "Upgrade the SMTP connection with STARTTLS (port 587).", _bool),
    Option("SMTP_SSL", False, "Connect to the SMTP server over TLS from the start (port 465); "
           "excludes SMTP_STARTTLS.", _bool),
    Option("SIGNUP_OPEN", True, "Let anyone create an account (with a verified e-mail address). "
           "Off: accounts are created with `dpghub users create` only.", _bool),
)

_BY_NAME = {option.name: option for option in OPTIONS}


def _file_values() -> tuple[dict[str, Any], str | None]:
    path = os.environ.get("DPGHUB_CONFIG")
    if not path:
        return {}, None
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"DPGHUB_CONFIG names {path}, which does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {name.lower() for name in _BY_NAME})
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}; see `dpghub config`")
    return {key.upper(): value for key, value in data.items()}, path


def load() -> dict[str, Any]:
    """Resolve every option; raise :class:`ConfigError` naming the culprit on a bad value."""
    from_file, path = _file_values()
    resolved: dict[str, Any] = {}
    for option in OPTIONS:
        raw = os.environ.get(option.env)
        source = option.env
        if raw is None and option.name in from_file:
            value = from_file[option.name]
            source = f"{path}: {option.name.lower()}"
            if isinstance(value, str):
                raw = value
            else:
                resolved[option.name] = value
                continue
        if raw is None:
            resolved[option.name] = option.default
            continue
        try:
            resolved[option.name] = option.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{source}: {exc}") from exc
    return resolved


def as_markdown() -> str:
    """The reference of every setting, as written to docs/configuration.md (a test keeps them equal)."""
    lines = [
        "# Configuration",
        "",
        "Every setting is an environment variable, or a key (lower case, without the `DPGHUB_` prefix)",
        "in the TOML file named by `DPGHUB_CONFIG`; the environment wins. `dpghub config` shows the",
        "values in force. This page is generated by `dpghub config --markdown`.",
        "",
        "| variable | default | what it does |",
        "|---|---|---|",
    ]
    for option in OPTIONS:
        default = ",".join(option.default) if isinstance(option.default, list) else option.default
        shown = "(empty)" if default == "" else f"`{str(default).lower() if isinstance(default, bool) else default}`"
        lines.append(f"| `{option.env}` | {shown} | {option.help} |")
    return "\n".join(lines) + "\n"


def data_dir(values: dict[str, Any] | None = None) -> Path:
    values = values or load()
    return Path(values["DATA_DIR"]).expanduser().resolve()
