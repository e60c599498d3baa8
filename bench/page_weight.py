"""Bytes a first visit transfers: the list page and the five largest good pages, gzipped as served
to an anonymous visitor, beside the uncompressed size (the baseline: what was sent before).

It renders every good's page once to find the five largest, then measures each page as a browser's
first view: the HTML plus the stylesheet and the icon it links (static files as `dpghub serve` serves
them, after collectstatic: hashed names, WhiteNoise's pre-compressed copies).

    DPGHUB_DATA_DIR=$(mktemp -d) .venv/bin/python bench/page_weight.py

The data directory is migrated and, when its catalogue is empty, loaded with the shipped DPGA records.
Targets (issue 17): list page at most 25 KB, largest good page at most 40 KB.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

LIST_LIMIT = 25_000
GOOD_LIMIT = 40_000


def _setup() -> None:
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from dpghub.catalog.models import Good

    if not Good.objects.exists():
        from dpghub.catalog.services.importing import SHIPPED_DATA_DIR, goods_import

        goods_import(paths=[SHIPPED_DATA_DIR])


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _get(client, url: str, gzip: bool) -> tuple[int, bytes]:
    headers = {"HTTP_ACCEPT_ENCODING": "gzip"} if gzip else {}
    response = client.get(url, **headers)
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")
    body = _body(response)  # read to its end, a streamed response closes itself
    return len(body), body


def _assets(html: str) -> list[str]:
    """The stylesheet and icon a page links (what a first view also downloads)."""
    return re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"', html)


def _first_view(client, url: str) -> tuple[int, int, int, int]:
    """(HTML bytes, HTML gzipped, first view bytes, first view gzipped)."""
    raw, body = _get(client, url, gzip=False)
    packed, _ = _get(client, url, gzip=True)
    assets_raw = assets_packed = 0
    for asset in _assets(body.decode()):
        assets_raw += _get(client, asset, gzip=False)[0]
        assets_packed += _get(client, asset, gzip=True)[0]
    return raw, packed, raw + assets_raw, packed + assets_packed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=5, help="how many of the largest good pages (default 5)")
    args = parser.parse_args()
    _setup()
    from django.test import Client

    from dpghub.catalog.models import Good

    client = Client(HTTP_HOST="127.0.0.1")
    sizes = []
    for slug in Good.objects.order_by("slug").values_list("slug", flat=True):
        sizes.append((_get(client, f"/goods/{slug}/", gzip=False)[0], slug))
    largest = [slug for _, slug in sorted(sizes, reverse=True)[: args.top]]
    print(f"{len(sizes)} good pages rendered; static files after collectstatic: {_assets(_get(client, '/', False)[1].decode())}")
    print(f"{'page':<44} {'HTML':>9} {'HTML gz':>9} {'first view':>11} {'first view gz':>14} {'limit':>7}")
    failures = 0
    for url, limit in [("/", LIST_LIMIT)] + [(f"/goods/{slug}/", GOOD_LIMIT) for slug in largest]:
        raw, packed, view_raw, view_packed = _first_view(client, url)
        ok = view_packed <= limit
        failures += not ok
        print(f"{url:<44} {raw:>9,} {packed:>9,} {view_raw:>11,} {view_packed:>14,} {limit:>7,} {'ok' if ok else 'OVER'}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
