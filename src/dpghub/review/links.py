"""Evidence links of applications, checked by a background job (issue 15).

Each answer of an application lists evidence links. After the applicant submits or changes answers,
the job ``review.links_check`` fetches every link once (HEAD, then a small GET where HEAD is not
allowed), without following redirects blindly, and stores per link: reachable, redirected (with
where to), unreachable (with why), or not checked. The applicant and the reviewers see every link
that is not simply reachable as a warning, with the date it was checked.

- **No network is never an error.** When every link of a run fails to resolve or connect, the
  machine is taken to be offline: the links are stored as *not checked* and nothing is said
  against them. (One dead domain among working ones is unreachable.)
- **Nothing inside the server's own network is fetched.** An address that resolves to a private,
  loopback, link-local or reserved address is *not checked* with that reason (a link checker must not
  become a way to probe the host's network), unless ``DPGHUB_LINK_CHECK_ALLOW_PRIVATE`` is on (tests
  use a local server).
- Only ``http`` and ``https``; the response body is never read beyond a few bytes, and never run.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.common.history import Actor, history_record
from dpghub.common.jobs import job_enqueue, job_kind
from dpghub.common.models import Job
from dpghub.review.enums import LinkStatus, ReviewAction
from dpghub.review.models import Application, EvidenceLink

JOB_KIND = "review.links_check"
_TIMEOUT = 10
_MAX_REDIRECTS = 5
_USER_AGENT = "DPG Hub evidence link check (+https://github.com/dpghub)"


@dataclass(frozen=True)
class LinkResult:
    status: LinkStatus
    http_status: int | None = None
    final_url: str = ""
    detail: str = ""
    network_failure: bool = False  # could not resolve or connect: maybe this machine is offline


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect is answered as an HTTPError with its Location; we follow it ourselves


_OPENER = urllib.request.build_opener(_NoRedirect)


def _host_refused(host: str) -> str:
    """Why ``host`` may not be fetched ("" when it may), from the addresses it resolves to."""
    if settings.DPGHUB_LINK_CHECK_ALLOW_PRIVATE:
        return ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return ""  # not resolvable: the fetch reports it as a network failure
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
                or address.is_multicast or address.is_unspecified):
            return _("the address is inside a private network; not fetched")
    return ""


def _request(url: str, method: str) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers={  # noqa: S310 (link_check allows http(s) only)
        "User-Agent": _USER_AGENT, "Range": "bytes=0-1023"})
    try:
        with _OPENER.open(request, timeout=_TIMEOUT) as response:
            response.read(1024)
            return response.status, ""
    except urllib.error.HTTPError as error:
        with error:  # close the connection it holds
            return error.code, error.headers.get("Location", "") or ""


def link_check(url: str) -> LinkResult:
    """Check one link: reachable, redirected (and where), unreachable (and why), or not checked."""
    current, redirected_from = url, False
    for _hop in range(_MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return LinkResult(LinkStatus.UNREACHABLE, detail=_("not a web address (http or https)"))
        refused = _host_refused(parts.hostname)
        if refused:
            return LinkResult(LinkStatus.NOT_CHECKED, detail=refused)
        try:
            status, location = _request(current, "HEAD")
            if status in (405, 501, 403):  # some servers refuse HEAD: ask for the first bytes instead
                status, location = _request(current, "GET")
        except (TimeoutError, urllib.error.URLError, ConnectionError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            offline = isinstance(reason, (socket.gaierror, ConnectionRefusedError, OSError)) and not isinstance(
                reason, (socket.timeout, TimeoutError))
            return LinkResult(LinkStatus.UNREACHABLE, detail=str(reason)[:300], network_failure=offline)
        if 300 <= status < 400 and location:
            current, redirected_from = urllib.parse.urljoin(current, location), True
            continue
        if status >= 400:
            return LinkResult(LinkStatus.UNREACHABLE, http_status=status,
                              final_url=current if redirected_from else "",
                              detail=_("the server answered %(status)s") % {"status": status})
        if redirected_from:
            return LinkResult(LinkStatus.REDIRECTED, http_status=status, final_url=current,
                              detail=_("moved to %(url)s") % {"url": current})
        return LinkResult(LinkStatus.REACHABLE, http_status=status)
    return LinkResult(LinkStatus.UNREACHABLE, final_url=current, detail=_("too many redirects"))


def application_links(application: Application) -> list[tuple[str, str]]:
    """(indicator code, url) of every evidence link of the application's answers, in answer order."""
    found: list[tuple[str, str]] = []
    for code, answer in (application.answers or {}).items():
        for url in answer.get("links", []) if isinstance(answer, dict) else []:
            if (code, url) not in found:
                found.append((code, url))
    return found


def links_check_dispatch(application: Application) -> None:
    """Queue a check of the application's links (inside the caller's transaction: sent on commit)."""
    if application_links(application):
        job_enqueue(kind=JOB_KIND, params={"application": application.pk}, max_attempts=2)


def application_links_check(*, application_id: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Check every link of an application and store the results; one history row per run."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return {"checked": 0}
    links = application_links(application)
    results = {url: link_check(url) for url in dict.fromkeys(url for _, url in links)}
    offline = bool(results) and all(r.network_failure for r in results.values())
    now = now or timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        EvidenceLink.objects.filter(application=application).exclude(
            url__in=[url for _, url in links]).delete()
        for code, url in links:
            result = results[url]
            if offline:
                result = LinkResult(LinkStatus.NOT_CHECKED, detail=_("no network when checked"))
            EvidenceLink.objects.update_or_create(
                application=application, indicator=code, url=url,
                defaults={"status": result.status, "http_status": result.http_status,
                          "final_url": result.final_url, "detail": result.detail, "checked_at": now})
            counts[result.status] = counts.get(result.status, 0) + 1
        history_record(actor=Actor.system_job("review.links"), action=ReviewAction.APPLICATION_LINKS_CHECK,
                       target=application, data={"links": len(links), **counts, "offline": offline})
    return {"checked": len(links), **counts}


@job_kind(JOB_KIND)
def links_check_job(job: Job) -> dict[str, Any]:
    return application_links_check(application_id=int(job.params["application"]))


def links_view(application: Application) -> list[dict[str, Any]]:
    """Every checked link of the application with its state, as plain data (application_view shows it to
    the applicant and the reviewers only): ``warning`` is true for a link that is not simply reachable."""
    return [{"indicator": link.indicator, "url": link.url, "status": link.status,
             "status_label": str(LinkStatus(link.status).label), "warning": link.status != LinkStatus.REACHABLE,
             "http_status": link.http_status, "final_url": link.final_url, "detail": link.detail,
             "checked_at": link.checked_at}
            for link in EvidenceLink.objects.filter(application=application).order_by("indicator", "url")]
