"""The query page in headless Chromium: a named query, ad-hoc SPARQL and an error, as a user sees them.

Debian's chromium and chromium-driver (scripts/install-system-packages). Without them this test
FAILS with a message saying what to install: the page is part of the issue, never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

import trialgraph as tg
from trialgraph.serve import ServeConfig, SparqlServer

ADHOC = (
    "PREFIX tg: <https://w3id.org/trialgraph/ontology#>\n"
    "SELECT ?phase (COUNT(?t) AS ?trials)\n"
    "WHERE { ?t a tg:Trial ; tg:phase ?p . ?p tg:ctgovCode ?phase }\n"
    "GROUP BY ?phase ORDER BY ?phase"
)
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT = 30


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(
            f"headless Chromium is needed for the page test and {', '.join(missing)} is missing: "
            "run `make system-packages` (scripts/install-system-packages: Debian chromium and "
            "chromium-driver)",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",  # the tests run as root
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def page_server(seed_dir: Path) -> Iterator[SparqlServer]:
    with SparqlServer(seed_dir, ServeConfig(port=0, workers=1)) as server:
        yield server


def _table(driver: WebDriver) -> list[list[str]]:
    table = WebDriverWait(driver, WAIT).until(
        expected_conditions.presence_of_element_located((By.ID, "results-table"))
    )
    return [
        [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
        for row in table.find_elements(By.TAG_NAME, "tr")
    ]


def _wait_for_status(driver: WebDriver, words: str) -> None:
    try:
        WebDriverWait(driver, WAIT).until(lambda d: words in d.find_element(By.ID, "status").text)
    except TimeoutException:
        error = driver.find_element(By.ID, "error").text
        raise AssertionError(f"status never said {words!r}; error shown: {error!r}") from None


def test_named_query_adhoc_query_and_error_in_the_page(
    browser: WebDriver, page_server: SparqlServer, seed_graph: tg.TrialGraph
) -> None:
    browser.get(page_server.url)
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready")
    )

    # the PD-1/PFS named query: the table is the embedded store's answer
    Select(browser.find_element(By.ID, "named-select")).select_by_value("pd1_combinations_measuring_pfs")
    browser.find_element(By.ID, "named-run").click()
    expected = seed_graph.query("pd1_combinations_measuring_pfs").fillna("")
    _wait_for_status(browser, f"{len(expected)} rows")
    rows = _table(browser)
    assert rows[0] == list(expected.columns)
    assert rows[1:] == [[str(v) for v in row] for row in expected.itertuples(index=False)]

    # a named query with a parameter typed into its input
    Select(browser.find_element(By.ID, "named-select")).select_by_value("combination_partners")
    browser.find_element(By.ID, "param-drug").send_keys("SHR-1210")
    browser.find_element(By.ID, "named-run").click()
    _wait_for_status(browser, "1 row")
    assert _table(browser)[1][:2] == ["nab-paclitaxel", "taxane"]

    # ad-hoc SPARQL written in the textarea
    textarea = browser.find_element(By.ID, "sparql-text")
    textarea.clear()
    textarea.send_keys(ADHOC)
    browser.find_element(By.ID, "sparql-run").click()
    _wait_for_status(browser, "row")
    local = seed_graph.sparql(ADHOC)
    assert len(local) > 0
    table = _table(browser)
    assert table[0] == ["phase", "trials"]
    assert table[1:] == [[str(row.phase), str(row.trials)] for row in local.itertuples()]

    # an invalid query: the engine's message is shown, and no stale table
    textarea.clear()
    textarea.send_keys("SELECT * WHERE { ?s ?p")
    browser.find_element(By.ID, "sparql-run").click()
    error = WebDriverWait(browser, WAIT).until(
        expected_conditions.visibility_of_element_located((By.ID, "error"))
    )
    assert "SyntaxError" in error.text
    assert not browser.find_elements(By.ID, "results-table")

    # an update is refused with the server's reason
    textarea.clear()
    textarea.send_keys("DROP ALL")
    browser.find_element(By.ID, "sparql-run").click()
    WebDriverWait(browser, WAIT).until(lambda d: "read-only" in d.find_element(By.ID, "error").text)


def test_the_page_loads_nothing_from_elsewhere(browser: WebDriver, page_server: SparqlServer) -> None:
    browser.get(page_server.url)
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready")
    )
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources and all(str(r).startswith(page_server.url) for r in resources)
