"""Search, query, changes and the static site's search as a person uses them: real
headless Chromium (tests/test_browser.py's fixture) against a real server on
127.0.0.1, or a plain static file server for the published site. Each test keeps a
screenshot in tests/artefacts/ (ignored by git)."""
from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from mclinks.cli import main
from tests.integration.test_browser import browser  # noqa: F401  (the Chromium fixture)
from tests.servers import mclinks_server

pytestmark = pytest.mark.integration
ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts"
BASE = "https://w3id.org/mclinks"


def _keep(driver, name: str) -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 0
    return path


def _wait(driver, condition, seconds: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, seconds).until(condition)


@pytest.fixture(scope="module")
def server(built_root):
    with mclinks_server(built_root) as base:
        yield base


def test_search_from_the_nav_to_a_paragraph(browser, server: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{server}/")
    browser.find_element(By.LINK_TEXT, "search").click()
    box = _wait(browser, lambda d: d.find_element(By.ID, "q"))
    box.send_keys("EQUIPE speciale", Keys.ENTER)  # no accents, upper case
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
    assert "result" in browser.find_element(By.ID, "search-count").text
    marks = {m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, "#search-results mark")}
    assert "équipe" in marks and "spéciale" in marks
    first = browser.find_element(By.CSS_SELECTOR, "#search-results a.hit")
    snippet = browser.find_element(By.CSS_SELECTOR, "#search-results .snippet")
    assert snippet.get_attribute("lang") == "fr"
    _keep(browser, "search-results")
    first.click()
    _wait(browser, lambda d: "/doc/document/MC-COP-6-note-c94ab1fc/fr/" in d.current_url)
    assert browser.current_url.startswith(server)  # the link stayed on this site
    assert "pécial" in browser.find_element(By.TAG_NAME, "body").text


def test_query_page_lineage_edges_with_a_parameter(browser, server: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{server}/query")
    Select(browser.find_element(By.ID, "canned")).select_by_value("lineage-edges")
    field = browser.find_element(By.ID, "p-lineage-edges-act")
    assert field.is_displayed() and field.get_attribute("value") == f"{BASE}/id/decision/MC-1-21"  # its default
    field.clear()
    field.send_keys(f"{BASE}/id/draft/MC-COP-6-note-c94ab1fc")
    browser.find_element(By.ID, "run").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#results tbody tr"))
    assert "<https://w3id.org/mclinks/id/draft/MC-COP-6-note-c94ab1fc>" in browser.find_element(
        By.ID, "query").get_attribute("value")  # the query text, bound, is shown
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")]
    assert any("MC-5-19" in r for r in rows)
    _keep(browser, "query-lineage-edges")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "#results tbody a")
                if a.text == f"{BASE}/id/decision/MC-5-19")
    assert link.get_attribute("href") == f"{server}/doc/decision/MC-5-19"  # ours: on this site
    outside = [td for td in browser.find_elements(By.CSS_SELECTOR, "#results tbody td") if td.text.startswith("file:")
               or td.text.startswith("http") and not td.text.startswith(BASE)]
    assert all(not td.find_elements(By.TAG_NAME, "a") for td in outside)  # others: text only
    link.click()
    _wait(browser, lambda d: d.current_url.endswith("/doc/decision/MC-5-19"))
    assert "MC-5/19" in browser.find_element(By.TAG_NAME, "h1").text


def test_query_page_bad_parameter_is_shown(browser, server: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{server}/query")
    Select(browser.find_element(By.ID, "canned")).select_by_value("lineage-edges")
    field = browser.find_element(By.ID, "p-lineage-edges-act")
    field.clear()
    field.send_keys("not an iri>")
    browser.find_element(By.ID, "run").click()
    _wait(browser, lambda d: "error 400" in d.find_element(By.ID, "status").text)
    assert "parameter act" in browser.find_element(By.ID, "status").text
    assert not browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_query_page_downloads(browser, server: str, tmp_path: Path, suffix: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.get(f"{server}/query")
    Select(browser.find_element(By.ID, "canned")).select_by_value("unea-recalled")
    browser.find_element(By.ID, f"download-{suffix}").click()
    _wait(browser, lambda d: (tmp_path / f"unea-recalled.{suffix}").is_file())
    text = (tmp_path / f"unea-recalled.{suffix}").read_text(encoding="utf-8")
    assert "UNEA-1/5" in text
    if suffix == "csv":
        assert text.splitlines()[0].count(",") >= 1
    else:
        assert json.loads(text)["head"]["vars"]


def test_changes_page_in_the_browser(browser, server: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/changes")
    rows = browser.find_elements(By.CSS_SELECTOR, "#releases tbody tr")
    assert rows and "(current)" in rows[0].text
    _keep(browser, "changes")


@pytest.fixture(scope="module")
def static_site(built_root, tmp_path_factory):
    """``mclinks publish`` served by Python's plain static file server on 127.0.0.1."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(main, ["publish", "--root", str(built_root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a: None  # type: ignore[assignment]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", out
    httpd.shutdown()
    httpd.server_close()


def test_static_site_search(browser, static_site) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    site, out = static_site
    assert (out / "search.json").is_file()
    browser.get(f"{site}/search.html")
    browser.find_element(By.ID, "q").send_keys("secretariat bale", Keys.ENTER)
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
    marks = {m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, "#search-results mark")}
    assert "bâle" in marks and "secrétariat" in marks
    _keep(browser, "static-search")
    browser.find_element(By.CSS_SELECTOR, "#search-results a.hit").click()
    _wait(browser, lambda d: d.current_url.endswith(".html") and "/doc/" in d.current_url)
    assert browser.current_url.startswith(site)
    assert "404" not in browser.title


def test_query_page_edited_text_runs_as_written(browser, server: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{server}/query")
    Select(browser.find_element(By.ID, "canned")).select_by_value("lineage-edges")
    _wait(browser, lambda d: "<https://w3id.org/mclinks/id/decision/MC-1-21>" in d.find_element(
        By.ID, "query").get_attribute("value"))
    box = browser.find_element(By.ID, "query")
    box.clear()
    box.send_keys('SELECT ?answer WHERE { BIND ("edited" AS ?answer) }')
    assert Select(browser.find_element(By.ID, "canned")).first_selected_option.get_attribute("value") == ""
    assert not browser.find_element(By.ID, "params-lineage-edges").is_displayed()
    browser.find_element(By.ID, "run").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#results tbody tr"))
    assert browser.find_element(By.CSS_SELECTOR, "#results tbody").text == "edited"


def test_search_page_fits_a_390px_screen(browser, server: str) -> None:  # noqa: F811
    browser.set_window_size(390, 844)
    try:
        browser.get(f"{server}/search?q=secretariat")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        inner = browser.execute_script("return window.innerWidth")
        _keep(browser, "search-390px")
        assert width <= inner
    finally:
        browser.set_window_size(1280, 1600)
