"""The site's layout in a real browser at a phone's width (390 px) and a desktop's (1280 px): axe-core
finds nothing, the filters fold under the search box on the phone and stand beside the results on
the desktop, without JavaScript; the print stylesheet hides the navigation."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import _axe, _console_errors, _describe
from tests.catalogue import add_crowd_review, make_catalogue, make_full_good

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)


@pytest.fixture
def site(live_server):
    good = make_full_good()
    add_crowd_review(good)
    make_catalogue(24)
    return live_server.url


@pytest.fixture
def sized(browser):
    """The browser at each width; put back to the session's 1280 x 1000 afterwards."""
    def resize(width: int):
        browser.set_window_size(width, 900)
        return browser
    yield resize
    browser.set_window_size(1280, 1000)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/", "/goods/dhis2/", "/data/", "/api/v1/docs"])
def test_no_axe_violations_at_phone_and_desktop_widths(sized, axe_source, site, width, path):
    browser = sized(width)
    url = site + path
    assert _axe(browser, axe_source, url) == [], _describe(_axe(browser, axe_source, url))
    assert _console_errors(browser, url) == []
    # nothing is wider than the screen
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width


def _visible(browser, selector: str) -> bool:
    return browser.execute_script(
        "const e = document.querySelector(arguments[0]); return !!e && e.checkVisibility({visibilityProperty: true})",
        selector)


def test_filters_fold_under_the_search_box_on_a_phone(sized, site):
    browser = sized(390)
    browser.get(site + "/")
    assert _visible(browser, ".filters-toggle > summary")
    assert not _visible(browser, "#facet-category")
    first_result = browser.execute_script("return document.querySelector('ol.goods h3').getBoundingClientRect().top")
    search = browser.execute_script("return document.querySelector('#id_q').getBoundingClientRect().top")
    assert search < first_result < 900  # the first result is on the first screen, below the search box
    browser.find_element("css selector", ".filters-toggle > summary").click()
    assert _visible(browser, "#facet-category")


def test_filters_stand_beside_the_results_on_a_desktop(sized, site):
    browser = sized(1280)
    browser.get(site + "/")
    assert not _visible(browser, ".filters-toggle > summary")
    assert _visible(browser, "#facet-category")
    facets = browser.execute_script("return document.querySelector('.facets').getBoundingClientRect()")
    results = browser.execute_script("return document.querySelector('.results').getBoundingClientRect()")
    assert facets["right"] <= results["left"] and abs(facets["top"] - results["top"]) < 40


def test_print_leaves_out_the_navigation_and_opens_what_is_folded(sized, site):
    browser = sized(1280)
    browser.get(site + "/goods/dhis2/")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not _visible(browser, ".site-nav")
        assert not _visible(browser, ".toc")
        assert _visible(browser, ".evidence-box .evidence")  # the folded evidence is printed
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
