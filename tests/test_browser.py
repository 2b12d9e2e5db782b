"""Pages in a real headless Chromium (Debian's chromium and chromium-driver,
installed by tests/setup-system.sh)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .servers import mclinks_server

pytestmark = pytest.mark.integration
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        pytest.fail("chromium/chromedriver missing: `make test` installs them (tests/setup-system.sh)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync", "--window-size=1280,1600",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server(built_root):
    with mclinks_server(built_root) as base:
        yield base


def test_decision_page_shows_paragraphs_and_citation_links(browser, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/id/decision/MC-1-21")
    assert browser.current_url.endswith("/doc/decision/MC-1-21")
    paragraphs = browser.find_elements(By.CSS_SELECTOR, "#paragraphs .para")
    assert len(paragraphs) >= 7
    assert "Prie le secrétariat" in browser.find_element(By.ID, "paragraphs").text
    links = browser.find_elements(By.CSS_SELECTOR, "#paragraphs a.cite-resolution")
    assert [a.text for a in links] == ["résolution 1/5", "résolution 2/7"]
    assert browser.find_elements(By.CSS_SELECTOR, "#lineage svg")
    links[0].click()
    assert browser.current_url.endswith("/doc/resolution/UNEA-1-5")
    assert "UNEA-1/5" in browser.find_element(By.TAG_NAME, "h1").text


def test_query_page_runs_a_canned_query(browser, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(f"{server}/query")
    Select(browser.find_element(By.ID, "canned")).select_by_value("unea-recalled")
    assert "UNEA-" in browser.find_element(By.ID, "query").get_attribute("value")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results tbody tr"))
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")]
    assert any("UNEA-1/5" in r for r in rows) and any("UNEA-2/7" in r for r in rows)
    assert "rows in" in browser.find_element(By.ID, "status").text
