"""The pages in a real browser: axe-core finds no violations, and the CSP blocks nothing we use."""

import pytest

from tests.catalogue import add_crowd_review, make_catalogue, make_full_good

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]})
  .then(result => done({violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary)}))}))
  .catch(error => done({error: String(error)}));
"""


def _axe(browser, axe_source, url):
    browser.get(url)
    assert browser.execute_script("return document.readyState") == "complete"
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
    add_crowd_review(make_full_good())  # two assessments of one Standard version on one page
    make_catalogue(24)
    return live_server.url


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=platform&sdg=3&stage=dpg&page=2",
        "/?expand=deployment_country",
        "/?sdg=18",
        "/goods/dhis2/",
        "/goods/good-001/",
        "/goods/no-such-good/",
        "/api/v1/docs",
    ],
)
def test_pages_have_no_axe_violations(browser, axe_source, site, path):
    url = site + path
    violations = _axe(browser, axe_source, url)
    assert violations == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"])
                                      for v in violations)
    assert _console_errors(browser, url) == []


def test_axe_does_report_a_violation(browser, axe_source, site):
    """Guard against a check that cannot fail: an image without alt text must be reported."""
    browser.get(site + "/")
    browser.execute_script("const img = document.createElement('img'); img.src = '/static/none.png';"
                           "document.querySelector('main').appendChild(img);")
    browser.execute_script(axe_source)
    result = browser.execute_async_script(RUN_AXE)
    assert "image-alt" in [v["id"] for v in result["violations"]]


def test_filters_and_language_switch_work_without_javascript_help(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(site + "/")
    browser.find_element(By.CSS_SELECTOR, 'input[name="stage"][value="dpg"]').click()
    browser.find_element(By.CSS_SELECTOR, ".apply button").click()
    WebDriverWait(browser, 10).until(lambda driver: "stage=dpg" in driver.current_url)
    assert browser.find_element(By.ID, "results-title").text == "9 goods"
    Select(browser.find_element(By.ID, "language")).select_by_value("fr")
    browser.find_element(By.CSS_SELECTOR, "form.lang button").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Biens publics numériques"
    assert browser.find_element(By.ID, "results-title").text == "9 biens"
    assert "stage=dpg" in browser.current_url
