"""The pages in a real browser: axe-core finds no violations, and the CSP blocks nothing we use."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.catalogue import add_crowd_review, make_catalogue, make_full_good
from tests.screening.reports import add_screening

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]})
  .then(result => done({violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary)}))}))
  .catch(error => done({error: String(error)}));
"""


OPEN_DETAILS = "document.querySelectorAll('details').forEach(d => d.open = true);"


def _axe(browser, axe_source, url, *, open_details=False):
    browser.get(url)
    assert browser.execute_script("return document.readyState") == "complete"
    if open_details:  # check what is collapsed too
        browser.execute_script(OPEN_DETAILS)
    browser.execute_script(axe_source)
    result = browser.execute_async_script(RUN_AXE)
    assert "error" not in result, result
    return result["violations"]


def _console_errors(browser, url):
    """Severe console messages (CSP violations, failed loads), except the page's own error status."""
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
            and not entry["message"].startswith(f"{url} - Failed to load resource")]


@pytest.fixture
def site(live_server):
    good = make_full_good()
    add_crowd_review(good)  # two assessments of one Standard version on one page
    # a screening report whose root licence changed since the previous one (the flag is shown)
    add_screening(good, root="MIT", previous="", finished_at=timezone.make_aware(dt.datetime(2026, 10, 1)))
    add_screening(good, root="GPL-3.0-only", previous="MIT")
    make_catalogue(24)
    return live_server.url


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=platform&sdg=3&stage=dpg&page=2",
        "/?expand=deployment_country",
        "/?sdg=18",
        "/?q=platfrom&stage=all",
        "/?q=platfxrxm&sdg=3",
        "/goods/dhis2/",
        "/goods/good-001/",
        "/goods/no-such-good/",
        "/finder/",
        "/finder/?sdg=3&licence=permissive&languages=French&region=Eastern+Africa",
        "/finder/shortlist/?sdg=3&category=open-software",
        "/compare/?goods=dhis2,good-001",
        "/api/v1/docs",
        "/accounts/login/",
        "/accounts/logout/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ],
)
def test_pages_have_no_axe_violations(browser, axe_source, site, path):
    url = site + path
    violations = _axe(browser, axe_source, url, open_details=True)
    assert violations == [], _describe(violations)
    assert _console_errors(browser, url) == []


def _describe(violations) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations)


def test_screening_report_and_staff_controls_have_no_axe_violations(browser, axe_source, site, django_user_model):
    from django.contrib.auth.models import Permission
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from dpghub.screening.models import ScreeningRun, ScreeningStatus
    from tests.people import make_person

    user = make_person("screener@example.org", password="a-long-password")
    user.user_permissions.add(Permission.objects.get(codename="add_screeningrun"))
    url = site + "/goods/dhis2/"
    browser.get(url)
    assert "Licence changed:" in browser.find_element(By.CSS_SELECTOR, ".detail-head .flag").text
    assert browser.find_elements(By.CSS_SELECTOR, "form.screen-now") == []
    browser.find_element(By.LINK_TEXT, "Sign in").click()
    browser.find_element(By.ID, "id_login").send_keys("screener@example.org")
    browser.find_element(By.ID, "id_password").send_keys("a-long-password")
    browser.find_element(By.CSS_SELECTOR, "main form.stacked button").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url == url)
    violations = _axe(browser, axe_source, url, open_details=True)
    assert violations == [], _describe(violations)
    browser.find_element(By.CSS_SELECTOR, "form.screen-now button").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".message-success"))
    assert browser.find_element(By.CSS_SELECTOR, "p.queued").text.startswith("Queued:")
    assert ScreeningRun.objects.filter(status=ScreeningStatus.QUEUED).count() == 1
    violations = _axe(browser, axe_source, browser.current_url, open_details=True)
    assert violations == [], _describe(violations)
    assert _console_errors(browser, browser.current_url) == []


def test_axe_does_report_a_violation(browser, axe_source, site):
    """Guard against a check that cannot fail: an image without alt text must be reported."""
    browser.get(site + "/")
    browser.execute_script("const img = document.createElement('img'); img.src = '/static/none.png';"
                           "document.querySelector('main').appendChild(img);")
    browser.execute_script(axe_source)
    result = browser.execute_async_script(RUN_AXE)
    assert "image-alt" in [v["id"] for v in result["violations"]]


def test_filters_and_language_switch_work_without_javascript_help(browser, site):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    def text_of(by, value, expected):
        """Wait until the element shows ``expected`` (the page may still be loading after a submit)."""
        wait = WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,
                                                              NoSuchElementException))
        try:
            wait.until(lambda driver: driver.find_element(by, value).text == expected)
        except Exception:  # noqa: BLE001, S110 - the assertion reports what was shown instead
            pass
        return browser.find_element(by, value).text

    from selenium.webdriver.common.action_chains import ActionChains

    browser.get(site + "/")
    assert text_of(By.ID, "results-title", "9 goods") == "9 goods"  # the recognised DPGs by default
    # The filters are inside a <details> that is closed but shown on wide screens (::details-content);
    # Selenium's "displayed" check calls anything in a closed <details> hidden, so click as a mouse does.
    ActionChains(browser).click(browser.find_element(By.CSS_SELECTOR, 'input[name="stage"][value="nominee"]')).perform()
    ActionChains(browser).click(browser.find_element(By.CSS_SELECTOR, ".apply button")).perform()
    WebDriverWait(browser, 10).until(lambda driver: "stage=nominee" in driver.current_url)
    assert text_of(By.ID, "results-title", "17 goods") == "17 goods"
    Select(browser.find_element(By.ID, "language")).select_by_value("fr")
    browser.find_element(By.CSS_SELECTOR, "form.lang button").click()
    assert text_of(By.TAG_NAME, "h1", "Biens publics numériques") == "Biens publics numériques"
    assert text_of(By.ID, "results-title", "17 biens") == "17 biens"
    assert "stage=dpg" in browser.current_url and "stage=nominee" in browser.current_url
