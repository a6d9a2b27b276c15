"""The key: kept in sessionStorage, never in localStorage; a refused key returns to sign-in."""

import json

from playwright.sync_api import Page, expect

from tests.browser.harness import DemoServer, sign_in
from tests.processes import run_cli


def stored(page: Page, storage: str) -> list[str]:
    values: list[str] = page.evaluate(
        f"() => Object.keys({storage}).map(key => {storage}.getItem(key))"
    )
    return values


def test_a_key_refused_by_the_server_returns_to_sign_in(page: Page, demo: DemoServer) -> None:
    # A key of its own, so that revoking it disturbs no other test.
    minted = run_cli("create-api-key", "--principal", "Adam Agent", database_url=demo.database_url)
    key: str = json.loads(minted.stdout)["token"]
    sign_in(page, key)
    assert key in stored(page, "sessionStorage")
    assert all(key not in value for value in stored(page, "localStorage"))

    customer = page.get_by_role("link", name="Adatum Corporation")
    expect(customer).to_be_visible()
    run_cli("revoke-api-key", key.split("_")[1], database_url=demo.database_url)
    customer.click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("did not accept the API key")
    assert key not in stored(page, "sessionStorage")


def test_signing_out_forgets_the_key(page: Page, demo: DemoServer) -> None:
    key = demo.keys["Alice Admin"]
    sign_in(page, key)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("API key")).to_be_visible()
    assert key not in stored(page, "sessionStorage")
    page.reload()
    expect(page.get_by_label("API key")).to_be_visible()


def test_an_unknown_key_is_refused_with_the_reason(page: Page) -> None:
    page.goto("/customers/anything")
    page.get_by_label("API key").fill("csp_0000000000000000_nope")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not accept the API key")
