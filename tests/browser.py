"""Headless Chromium for the browser tests: Debian's ``chromium`` and ``chromium-driver`` (installed by
scripts/test; a browser downloaded at run time is not possible here), driven by selenium.

A pytest plugin (``pytest_plugins = ["browser"]``): the ``chromium`` fixture is one browser per
session. Missing Chromium skips the test with the reason, except in CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import os
import shutil

import pytest


def _missing(why: str) -> None:
    message = f"headless Chromium is not available ({why}): ./scripts/test installs chromium and chromium-driver"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium():
    """A selenium WebDriver on Debian's headless chromium, 1400x1000."""
    binary, driver_binary = shutil.which("chromium"), shutil.which("chromedriver")
    if not (binary and driver_binary):
        _missing("chromium or chromedriver is not on PATH")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed (the dev extra)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--lang=nl"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=driver_binary), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
