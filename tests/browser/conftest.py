"""One demo server per xdist worker; a Chromium and a fresh, watched page per test.

Chromium is started per test (about 0.5 s) because Playwright's sync API keeps an event loop
running in the thread while it lives, and the other tests on the worker call asyncio.run().
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.harness import (
    DemoServer,
    browser_tests_required,
    chromium,
    demo_server,
    missing_prerequisite,
    watched_page,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in item.path.parents:
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    reason = missing_prerequisite()
    if reason is not None:
        if browser_tests_required():
            pytest.fail(f"browser tests cannot run: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    with demo_server(tmp_path_factory.mktemp("browser")) as server:
        yield server


@pytest.fixture
def browser(demo: DemoServer) -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, demo: DemoServer) -> Iterator[Page]:
    with watched_page(browser, demo.url) as watched:
        yield watched


@pytest.fixture
def german_page(browser: Browser, demo: DemoServer) -> Iterator[Page]:
    with watched_page(browser, demo.url, language="de") as watched:
        yield watched
