"""Pages in a real headless Chromium (Debian's chromium and chromium-driver,
installed by tests/setup-system.sh)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.servers import mclinks_server

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


def _shot(browser, name: str, tmp_path_factory) -> None:
    """Keep what the page looked like, as a test artefact (pytest's temporary folder)."""
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    browser.save_screenshot(str(folder / f"{name}.png"))


def test_lineage_flow_from_the_draft_to_a_brs_answer(browser, server: str, tmp_path_factory) -> None:
    """A researcher opens the COP-6 draft, reads its family, and follows a link to a BRS answer."""
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/")
    browser.find_element(By.LINK_TEXT, "Draft decision for MC-COP-6").click()
    assert "/doc/draft/" in browser.current_url
    timeline = browser.find_element(By.ID, "timeline").text
    for symbol in ("MC-3/11", "MC-4/9", "MC-5/19", "BC-17/22", "RC-12/9", "SC-12/23"):
        assert symbol in timeline, symbol
    assert timeline.index("MC-3/11") < timeline.index("MC-4/9") < timeline.index("MC-5/19")
    edges = browser.find_element(By.ID, "lineage-edges").text
    assert "responds-to" in edges and "recalls" in edges and "«MC-5/19»" in edges
    svg = browser.find_element(By.CSS_SELECTOR, "#lineage svg")
    assert svg.size["width"] <= browser.find_element(By.TAG_NAME, "body").size["width"]
    _shot(browser, "lineage-draft", tmp_path_factory)
    browser.find_element(By.CSS_SELECTOR, '#lineage-edges a[href="/id/decision/BC-17-22"]').click()
    assert browser.current_url.endswith("/doc/decision/BC-17-22")
    cited_by = browser.find_element(By.ID, "cited-by").text
    assert "«décisions BC-17/22»" in cited_by and "MC-COP-6" in cited_by


def test_lineage_picture_fits_a_phone_screen(browser, server: str, tmp_path_factory) -> None:
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 844)
    try:
        browser.get(f"{server}/doc/decision/MC-5-19")
        svg = browser.find_element(By.CSS_SELECTOR, "#lineage svg")
        page_width = browser.execute_script("return document.documentElement.clientWidth")
        assert 0 < svg.size["width"] <= page_width
        _shot(browser, "lineage-phone", tmp_path_factory)
    finally:
        browser.set_window_size(1280, 1600)


def test_browse_by_instrument_and_meeting(browser, server: str, tmp_path_factory) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/")
    tables = browser.find_elements(By.CSS_SELECTOR, "table.acts")
    symbols = [a.text for a in tables[-1].find_elements(By.CSS_SELECTOR, "tbody td:first-child a")] if tables else []
    minamata = next(t for t in tables if "MC-1/21" in t.text)
    rows = [r.text for r in minamata.find_elements(By.CSS_SELECTOR, "tbody tr")]
    mc1 = [r.split()[0] for r in rows if r.startswith("MC-1/")]
    assert mc1.index("MC-1/2") < mc1.index("MC-1/10"), mc1  # natural order
    assert any(r.startswith("MC-1/21") and r.endswith("text") for r in rows)
    assert int(browser.find_element(By.ID, "with-text").text) >= 2 and symbols
    meetings = browser.find_element(By.ID, "meetings").text
    assert meetings.index("MC-COP-5") < meetings.index("MC-COP-1")  # newest first
    _shot(browser, "index", tmp_path_factory)
    browser.find_element(By.CSS_SELECTOR, '#meetings a[href="/id/meeting/MC-COP-1"]').click()
    assert browser.current_url.endswith("/doc/meeting/MC-COP-1")


def test_pages_do_not_scroll_sideways_on_a_phone(browser, server: str) -> None:
    browser.set_window_size(390, 844)
    try:
        for path in ("/", "/doc/decision/MC-1-21", "/doc/draft/MC-COP-6-note-c94ab1fc", "/doc/decision/MC-5-19"):
            browser.get(f"{server}{path}")
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, (path, overflow)
    finally:
        browser.set_window_size(1280, 1600)


def test_language_switch(browser, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/doc/decision/MC-1-21")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.LINK_TEXT, "Français").click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert "Paragraphes" in browser.find_element(By.TAG_NAME, "body").text
    paragraph = browser.find_element(By.CSS_SELECTOR, "#paragraphs .para")
    assert paragraph.get_attribute("lang") == "fr"


@pytest.fixture(scope="module")
def static_site(built_root, tmp_path_factory):
    """The static site, served by a plain static file server on loopback."""
    import subprocess
    import sys

    from click.testing import CliRunner

    from mclinks.cli import main
    from mclinks.loopback import free_port, wait_for

    out = tmp_path_factory.mktemp("static") / "site"
    result = CliRunner().invoke(main, ["publish", "--root", str(built_root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/index.html")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def test_static_site_lineage_flow(browser, static_site: str, tmp_path_factory) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{static_site}/index.html")
    browser.find_element(By.LINK_TEXT, "Draft decision for MC-COP-6").click()
    assert browser.current_url.startswith(static_site) and browser.current_url.endswith(".html")
    assert "BC-17/22" in browser.find_element(By.ID, "timeline").text
    browser.find_element(By.CSS_SELECTOR, "#lineage-edges td a").click()
    assert browser.current_url.startswith(static_site) and "/doc/" in browser.current_url
    browser.find_element(By.LINK_TEXT, "mclinks").click()
    assert browser.current_url.rstrip("/").endswith(("index.html", static_site.rsplit(":", 1)[-1]))
    _shot(browser, "static-index", tmp_path_factory)


def test_every_page_type_reads_as_a_page(browser, server: str, tmp_path_factory) -> None:
    """Paragraph, article, meeting and body pages: a heading, their own content, links on the site."""
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/doc/decision/MC-1-21")
    browser.find_element(By.CSS_SELECTOR, "#paragraphs .para .kind a").click()
    assert "/doc/decision/MC-1-21/fr/" in browser.current_url
    assert browser.find_element(By.ID, "text").get_attribute("lang") == "fr"
    assert browser.find_elements(By.CSS_SELECTOR, "#citations tbody tr")
    for path, needle in (("/doc/article/minamata/14/2", "Decision MC-1/21"),
                         ("/doc/meeting/MC-COP-1", "MC-COP-1"),
                         ("/doc/body/minamata-secretariat", "Secretariat")):
        browser.get(f"{server}{path}")
        assert needle in browser.find_element(By.TAG_NAME, "body").text, path
        assert browser.find_element(By.TAG_NAME, "h1").text
        hrefs = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")]
        assert all(h.startswith(server) for h in hrefs if "w3id.org" in h or h.startswith("http://127.0.0.1")), path
        assert not any(h.startswith("https://w3id.org") for h in hrefs), path
    _shot(browser, "body-page", tmp_path_factory)
