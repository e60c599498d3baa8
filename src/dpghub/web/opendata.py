"""The registry as open data: downloads (CSV and JSON, what ``dpghub export`` writes), the data
dictionary, the sitemap and robots.txt.

Downloads are streamed from ``catalog.services.exporting`` (one good at a time, never the whole
catalogue in memory) and never include personal data: the export's contacts are only written when a
caller asks for them, and these views never do.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from dpghub.catalog.enums import Category
from dpghub.catalog.selectors import goods_sitemap
from dpghub.catalog.services.exporting import CSV_COLUMNS, FORMAT_NAME, goods_export_chunks

#: What each column of the CSV download holds (the JSON has the same fields, lists kept as lists).
COLUMNS = {
    "uid": gettext_noop("The good’s permanent identifier (a UUID); it never changes, even after a rename."),
    "slug": gettext_noop("The short name in the good’s web address (/goods/<slug>/)."),
    "name": gettext_noop("The good’s name."),
    "stage": gettext_noop("Where the good stands: nominee, dpg (a recognised digital public good), expired, "
                          "archived or excluded."),
    "categories": gettext_noop("What kind of good it is, as codes of the DPG Standard's categories: %(codes)s."),
    "aliases": gettext_noop("Other names the good is known by."),
    "description": gettext_noop("What the good does, as its owners describe it."),
    "website": gettext_noop("The good’s website."),
    "sectors": gettext_noop("The sectors the good serves, as its owners name them."),
    "licences": gettext_noop("The good’s licences as SPDX expressions (for example Apache-2.0)."),
    "sdgs": gettext_noop("The numbers (1 to 17) of the Sustainable Development Goals the good declares it "
                         "contributes to."),
    "development_countries": gettext_noop("Where the good is developed: ISO 3166-1 alpha-2 country codes."),
    "deployment_countries": gettext_noop("Where the good is deployed: ISO 3166-1 alpha-2 country codes."),
    "organisations": gettext_noop("The organisations behind the good, each with its role (owner, maintainer, "
                                  "funder, implementer)."),
    "repositories": gettext_noop("The addresses of the good’s source code repositories."),
    "dpga_application_ids": gettext_noop("The good’s application ids in the DPGA registry."),
    "dpgids": gettext_noop("The good’s DPGA dpgids."),
    "legacy_slugs": gettext_noop("The good’s file names in the DPGA’s former candidates repository."),
    "assessments": gettext_noop("Each assessment against the DPG Standard: its source, the Standard’s version, "
                                "its date and how many indicators have each result."),
}

#: Where the registry's data comes from, and under which licence each source is published.
SOURCES = (
    {"name": gettext_noop("DPGA registry (July 2026 records of its API)"),
     "url": "https://github.com/DPGAlliance/publicgoods-website",
     "licence": "The Unlicense", "licence_url": "https://unlicense.org/"},
    {"name": gettext_noop("DPGA publicgoods-candidates (nominees, screenings, reviews; January 2023)"),
     "url": "https://github.com/DPGAlliance/publicgoods-candidates",
     "licence": "The Unlicense", "licence_url": "https://unlicense.org/"},
)

_DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", "dpghub-goods.csv"),
    "json": ("application/json", "dpghub-goods.json"),
}


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    context = {
        "columns": [(name, _(COLUMNS[name]) % {"codes": ", ".join(Category.values)} if name == "categories"
                     else _(COLUMNS[name])) for name in CSV_COLUMNS],
        "sources": [{**source, "name": _(source["name"])} for source in SOURCES],
        "format_name": FORMAT_NAME,
        "nav": "data",
    }
    return render(request, "web/open_data.html", context)


@require_GET
def download(request: HttpRequest, format: str) -> StreamingHttpResponse:
    content_type, filename = _DOWNLOADS[format]  # the URL pattern admits only these two
    response = StreamingHttpResponse(goods_export_chunks(format=format, include_personal_data=False),
                                     content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every good's page, the list and the open data page (sitemaps.org 0.9)."""
    base = request.build_absolute_uri("/").rstrip("/")
    urls = [(base + reverse("web:goods-list"), None), (base + reverse("web:data"), None)]
    urls += [(base + reverse("web:good-detail", kwargs={"slug": slug}), updated)
             for slug, updated in goods_sitemap()]
    response = render(request, "web/sitemap.xml", {"urls": urls}, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public pages; the account pages and the write actions are not for them."""
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /account/",
        "Disallow: /activity/",
        "Disallow: /i18n/",
        "Disallow: /*/screen/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('web:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
