"""Small spreadsheets and a registry of three goods for the exchange tests (written for these tests)."""

from __future__ import annotations

from dpghub.catalog.models import Good

PLEDGE_HEADER = ("ref,endorser,endorser_type,endorser_country,endorsed_on,title,description,types,outcomes,goods,"
                 "countries,metric,unit,baseline,target,currency,deadline,pledged_on\n")
PLEDGES = PLEDGE_HEADER + (
    "P-1,Ministry of ICT,government,KEN,2025-01-10,Fund DHIS2,\"Core funding, two years\",finance,"
    "products;capacity,dhis2;Open Data Kit,KE;UGA,Funding,,0,1000000,USD,2026-12-31,2025-02-01\n"
    "P-1,Ministry of ICT,government,KEN,2025-01-10,Fund DHIS2,\"Core funding, two years\",finance,"
    "products;capacity,dhis2;Open Data Kit,KE;UGA,Developers trained,people,10,200,,2026-06-30,2025-02-01\n"
    "P-2,Open Foundation,foundation,,2024-11-05,Translate QGIS,,design-share-deploy;learn-advocate,"
    "safeguards-inclusion,qgis,,Languages added,languages,,5,,,2024-12-01\n"
)
REPORT_HEADER = "pledge_ref,metric,reported_on,value,status,narrative,evidence_url,verification\n"
REPORTS = REPORT_HEADER + (
    "P-1,Funding,2025-06-30,250000,on-track,First tranche,https://example.org/r1,verified\n"
    "P-1,Funding,2025-12-31,400000.50,at-risk,Second tranche late,,\n"
    "P-2,Languages added,2025-03-01,2,on-track,,,self-reported\n"
)


def goods_make() -> dict[str, Good]:
    return {slug: Good.objects.create(slug=slug, name=name, aliases=aliases)
            for slug, name, aliases in (("dhis2", "DHIS2", []), ("odk", "ODK", ["Open Data Kit"]),
                                        ("qgis", "QGIS", []))}


def pledges_with(row: str) -> str:
    """The valid pledges file plus one more row."""
    return PLEDGES + row + "\n"
