"""`modgraph serve` in a real browser (headless Chromium, tests/browser.py), issue 18.

Open `/`, run a named query from the list and see its rows in YASGUI's table; open a module page
and follow a link to another module; search. Screenshots go to $MODGRAPH_SCREENSHOTS (else the
test's temporary folder) to be looked at. Expected texts come from the documents.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["servers", "browser"]

WAIT_SECONDS = 30


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("MODGRAPH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _wait(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_SECONDS).until(condition)


def test_run_a_named_query_from_the_start_page_and_see_its_rows(modgraph_site, chromium, shots):
    from selenium.webdriver.common.by import By

    driver = chromium
    driver.get(modgraph_site.base + "/")
    _wait(driver, lambda d: d.execute_script("return typeof yasgui !== 'undefined' && !!yasgui.getTab()"))
    driver.find_element(By.CSS_SELECTOR, 'nav button[data-query="follow-ups"]').click()
    rows = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr") or False)
    driver.save_screenshot(str(shots / "serve-01-named-query.png"))
    text = " ".join(row.text for row in rows)
    # deel 2b p. 22, Voortraject arbeidstoeleiding (the example of follow-ups): "Deze module kan gevolgd
    # worden door activerende begeleiding naar (betaalde) arbeid (pagina 20) of de groep weer aan de slag"
    assert "Weer aan de slag" in text and "Activerende begeleiding naar (betaalde) arbeid" in text, text[:500]
    editor = driver.execute_script("return yasgui.getTab().getQuery()")
    assert "voortraject-arbeidstoeleiding" in editor  # the example value written into the query


def test_open_a_module_page_and_follow_a_link(modgraph_site, chromium, shots):
    from selenium.webdriver.common.by import By

    driver = chromium
    driver.get(modgraph_site.base + "/id/module/amw/voortraject-arbeidstoeleiding")
    assert "Voortraject arbeidstoeleiding" in driver.find_element(By.TAG_NAME, "h1").text
    driver.save_screenshot(str(shots / "serve-02-module-page.png"))
    link = driver.find_element(By.CSS_SELECTOR, 'a[href="/id/module/amw/weer-aan-de-slag"]')
    assert link.text.strip() == "Weer aan de slag"
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    _wait(driver, lambda d: d.current_url.endswith("/id/module/amw/weer-aan-de-slag"))
    heading = driver.find_element(By.TAG_NAME, "h1").text
    driver.save_screenshot(str(shots / "serve-03-followed-link.png"))
    assert "Weer aan de slag" in heading
    # deel 2b p. 30: "Deze cursus kan volgen op het voortraject arbeidstoeleiding (pagina 22) ..."
    assert "Deze cursus kan volgen op het voortraject arbeidstoeleiding" in driver.page_source


def test_search_from_the_header_finds_modules(modgraph_site, chromium, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = chromium
    driver.get(modgraph_site.base + "/")
    box = driver.find_element(By.CSS_SELECTOR, 'header input[type="search"]')
    box.send_keys("GGZ", Keys.ENTER)
    _wait(driver, lambda d: "/search" in d.current_url)
    driver.save_screenshot(str(shots / "serve-04-search.png"))
    titles = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "ul.hits a")]
    # deel 2b p. 32 and 33: "... samen met de preventie-afdeling van de GGZ-instelling georganiseerd."
    assert "Assertiviteitstraining" in titles and "In de put, uit de put" in titles, titles
