"""The guards every browser test relies on do catch what they are for."""

import pytest
from playwright.sync_api import Browser, Error

from tests.browser.harness import DemoServer, watched_page


def test_a_request_to_another_origin_fails_the_test(browser: Browser, demo: DemoServer) -> None:
    # The app's CSP refuses such a request before it is made; the route guard catches the rest.
    guarded = watched_page(browser, demo.url)
    with pytest.raises(AssertionError, match="requests outside"), guarded as page:
        try:
            page.goto("https://unpkg.com/graphiql")
        except Error as refused:
            assert "ERR_BLOCKED_BY_CLIENT" in refused.message


def test_an_inline_style_is_refused_by_the_csp(browser: Browser, demo: DemoServer) -> None:
    guarded = watched_page(browser, demo.url)
    with pytest.raises(AssertionError, match="refused by the CSP"), guarded as page:
        page.goto("/")
        page.evaluate(
            "() => { const s = document.createElement('style');"
            " s.textContent = 'body { color: red }'; document.head.append(s); }"
        )
        page.wait_for_timeout(200)
