"""``/healthz`` (liveness) and ``/readyz`` (readiness) for a load balancer or an orchestrator.

Both answer JSON to anyone, without a session, a database write, rate limiting or personal data, and are
exempt from the HTTPS redirect (a probe speaks plain HTTP to the web process behind the TLS proxy).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dpghub.common.health import readiness


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers: no database, no broker (a restart would not cure those)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database answers (and the broker, with Celery); 503 otherwise. The workers' and
    the scheduler's heartbeats are reported with their age."""
    ready, body = readiness()
    return JsonResponse(body, status=200 if ready else 503)
