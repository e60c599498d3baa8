"""Rate limits shared by every process, kept in Django's cache (a DatabaseCache by default).

``ratelimit_hit(scope="login", key=client_address, rate=settings.DPGHUB_LOGIN_RATE)`` records one
attempt and says whether it is allowed. A rate is ``"<count>/<period>"``, the period being ``s``,
``m``, ``h`` or ``d``, optionally with a multiplier (``"10/m"``, ``"100/h"``, ``"5/10m"``).

How it counts: each allowed attempt claims one of ``count`` numbered slots of the current window
(``period`` long) with ``cache.add``, which only one process can win for a given key (an INSERT on the
cache table's primary key), and stores its time in it. An attempt is refused when ``count`` slots of
the current and the previous window hold times within the last ``period`` seconds (a sliding window),
or when every slot of the current window is taken. A refused attempt claims nothing. Keys are never
reused, so the count cannot be lost to a race on an expired row; concurrent attempts that read the
count at the same moment can at most fill the current window's slots, so the bound is never worse
than ``2 * count`` per sliding period, and exactly ``count`` when attempts do not race.

It costs one read (``get_many``) plus one ``add`` per allowed attempt. Callers decide what the key is
(a client address, a token id); it is hashed, so any string will do.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass

from django.core.cache import caches

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


def rate_parse(value: str) -> Rate:
    """``"10/m"`` -> Rate(10, 60); raises ValueError naming the value when it is not a rate."""
    match = _RATE.match(value or "")
    if not match:
        raise ValueError(f"not a rate: {value!r} (expected count/period, e.g. 10/m, 100/h, 5/10m)")
    count, multiplier, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
    if count < 1 or multiplier < 1:
        raise ValueError(f"not a rate: {value!r} (count and period must be at least 1)")
    return Rate(count, multiplier * _PERIODS[unit])


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int  # seconds until an attempt may be allowed again (0 when allowed)


def _slot_key(scope: str, digest: str, window: int, slot: int) -> str:
    return f"ratelimit:{scope}:{digest}:{window}:{slot}"


def ratelimit_hit(*, scope: str, key: str, rate: str | Rate, now: float | None = None,
                  cache_alias: str = "default") -> RateDecision:
    """Record one attempt by ``key`` in ``scope``; allowed unless ``rate`` is exceeded."""
    limit = rate if isinstance(rate, Rate) else rate_parse(rate)
    cache = caches[cache_alias]
    now = time.time() if now is None else now
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    window = int(now // limit.seconds)
    current = [_slot_key(scope, digest, window, slot) for slot in range(limit.count)]
    previous = [_slot_key(scope, digest, window - 1, slot) for slot in range(limit.count)]
    taken = cache.get_many(previous + current)
    recent = sorted(float(stamp) for stamp in taken.values() if float(stamp) > now - limit.seconds)
    if len(recent) < limit.count:
        # Slots are kept for two periods: long enough to be counted by the next window.
        for slot_key in current:
            if slot_key not in taken and cache.add(slot_key, now, timeout=2 * limit.seconds):
                return RateDecision(True, 0)
    if len(recent) >= limit.count:
        # Allowed again once enough of the recent attempts are older than one period.
        oldest_counted = recent[len(recent) - limit.count]
        wait = oldest_counted + limit.seconds - now
    else:
        wait = (window + 1) * limit.seconds - now  # the current window is full
    return RateDecision(False, max(1, math.ceil(wait)))


class RateLimited(Exception):
    """Too many attempts: interfaces answer 429 with ``Retry-After: retry_after``."""

    def __init__(self, retry_after: int, message: str = "") -> None:
        super().__init__(message or f"too many requests; retry after {retry_after} s")
        self.retry_after = retry_after


def ratelimit_enforce(*, scope: str, key: str, rate: str | Rate) -> None:
    """:func:`ratelimit_hit`, raising :class:`RateLimited` when the attempt is refused."""
    decision = ratelimit_hit(scope=scope, key=key, rate=rate)
    if not decision.allowed:
        raise RateLimited(decision.retry_after)


def client_address(meta: dict, trusted_proxies: int) -> str:
    """The client's address from a request's META: the connection's, or with ``trusted_proxies`` = n, the
    address the nearest of n trusted proxies saw (n-th entry of X-Forwarded-For from the right; entries a
    client wrote itself, further left, are never trusted)."""
    if trusted_proxies > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    return meta.get("REMOTE_ADDR") or "unknown"
