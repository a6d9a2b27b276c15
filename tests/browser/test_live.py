"""Live updates: a change made by one partner user, in the app or through the API, appears on
another user's open subscription page and customer page (the count or status, and the timeline's
new entry) within seconds, without a reload; read-only users see it too; a change missed while
the socket was down comes once after it reconnects. Each test buys a
subscription of its own for a new customer."""

import re
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from playwright.sync_api import Browser, Locator, Page, WebSocketRoute, expect

from tests.browser.harness import DemoServer, assert_accessible, call_api, sign_in, watched_page
from tests.browser.test_activity import CHANGE, change_count_to_eleven, subscription_of_ten

# "Within a few seconds": the stream delivers within one; the rest is the page's refetch.
LIVE_TIMEOUT_MS = 5_000
NO_RELOAD = "window.stillTheSamePage"
FOCUSED = "window.focusedBeforeTheChange"


@pytest.fixture
def pages(browser: Browser, demo: DemoServer) -> Iterator[list[Page]]:
    """Three pages of their own (separate sessions), to be signed in as three users."""
    with ExitStack() as stack:
        yield [stack.enter_context(watched_page(browser, demo.url)) for _ in range(3)]


def open_live(page: Page, demo: DemoServer, principal: str, path: str) -> None:
    """Signed in as the principal, at the path, connected, and marked so that a reload shows."""
    sign_in(page, demo.keys[principal])
    page.goto(path)
    expect(page.locator("[data-live-status]")).to_have_text("Live")
    page.evaluate(f"{NO_RELOAD} = true; {FOCUSED} = document.activeElement")


def assert_not_reloaded(page: Page, path: str) -> None:
    assert page.evaluate(NO_RELOAD) is True
    assert page.url.endswith(path)


def timeline(page: Page) -> Locator:
    return page.get_by_role("list", name="Changes, newest first").locator(":scope > li")


def fact(page: Page, term: str) -> Locator:
    return page.locator(f"dt:text-is('{term}') + dd")


def customer_of(demo: DemoServer, subscription: str) -> str:
    found = call_api(
        demo,
        demo.keys["Alice Admin"],
        "query($id: ID!) { node(id: $id) { ... on CustomerSubscription { customer { id } } } }",
        {"id": subscription},
    )
    customer: str = found["node"]["customer"]["id"]
    return customer


def test_a_count_change_appears_live(pages: list[Page], demo: DemoServer) -> None:
    alice, sam, hana = pages
    subscription = subscription_of_ten(demo, demo.keys["Alice Admin"], "alpine")
    subscription_path = f"/subscriptions/{subscription}"
    customer_path = f"/customers/{customer_of(demo, subscription)}"
    open_live(sam, demo, "Sam Sales", subscription_path)
    open_live(hana, demo, "Hana Helpdesk", customer_path)
    expect(timeline(sam)).to_have_count(1)
    expect(timeline(hana)).to_have_count(2)

    sign_in(alice, demo.keys["Alice Admin"])
    alice.goto(subscription_path)
    change_count_to_eleven(alice, "Submit", "Change count", "Number of licences")

    expect(fact(sam, "Licences")).to_have_text("11", timeout=LIVE_TIMEOUT_MS)
    expect(timeline(sam)).to_have_count(2, timeout=LIVE_TIMEOUT_MS)
    expect(timeline(sam).first).to_contain_text("Licence count changed")
    expect(timeline(sam).first).to_contain_text("by Alice Admin (partner)")
    expect(timeline(sam).first.get_by_role("listitem")).to_have_text(["Licences: 10 → 11"])
    # Announced politely, not focused.
    expect(sam.locator("section div[aria-live=polite]")).to_have_text(
        "New: Licence count changed by Alice Admin"
    )
    assert sam.evaluate(f"document.activeElement === {FOCUSED}")
    assert_not_reloaded(sam, subscription_path)
    assert_accessible(sam)

    row = hana.get_by_role("row").filter(has_text="Winery office")
    expect(row).to_contain_text("11", timeout=LIVE_TIMEOUT_MS)
    expect(timeline(hana)).to_have_count(3, timeout=LIVE_TIMEOUT_MS)
    expect(timeline(hana).first).to_contain_text("Licences: 10 → 11")
    expect(timeline(hana).first).to_contain_text("Winery office")
    assert_not_reloaded(hana, customer_path)
    assert_accessible(hana)


def test_a_status_change_appears_live(pages: list[Page], demo: DemoServer) -> None:
    alice, sam, hana = pages
    subscription = subscription_of_ten(demo, demo.keys["Alice Admin"], "boreal")
    subscription_path = f"/subscriptions/{subscription}"
    customer_path = f"/customers/{customer_of(demo, subscription)}"
    open_live(sam, demo, "Sam Sales", customer_path)
    open_live(hana, demo, "Hana Helpdesk", subscription_path)
    expect(timeline(hana)).to_have_count(1)

    sign_in(alice, demo.keys["Alice Admin"])
    alice.goto(subscription_path)
    alice.get_by_role("radio", name="Suspend").check()
    alice.get_by_role("button", name="Save").click()
    expect(alice.get_by_role("status")).to_have_text("The subscription is suspended.")

    row = sam.get_by_role("row").filter(has_text="Winery office")
    expect(row).to_contain_text("Suspended", timeout=LIVE_TIMEOUT_MS)
    expect(timeline(sam).first).to_contain_text(
        "Status: Active → Suspended", timeout=LIVE_TIMEOUT_MS
    )
    assert_not_reloaded(sam, customer_path)

    expect(fact(hana, "Status")).to_have_text("Suspended", timeout=LIVE_TIMEOUT_MS)
    expect(hana.get_by_text("Suspended on")).to_be_visible()
    expect(timeline(hana)).to_have_count(2, timeout=LIVE_TIMEOUT_MS)
    expect(timeline(hana).first).to_contain_text("Status: Active → Suspended")
    assert_not_reloaded(hana, subscription_path)
    assert_accessible(hana)


def test_a_change_through_the_api_appears_live(page: Page, demo: DemoServer) -> None:
    key = demo.keys["Alice Admin"]
    subscription = subscription_of_ten(demo, key, "cobalt")
    path = f"/subscriptions/{subscription}"
    open_live(page, demo, "Sam Sales", path)
    expect(timeline(page)).to_have_count(1)

    changed = call_api(demo, key, CHANGE, {"i": {"subscriptionId": subscription, "quantity": 14}})
    assert changed["changeQuantity"]["userErrors"] == []

    expect(fact(page, "Licences")).to_have_text("14", timeout=LIVE_TIMEOUT_MS)
    expect(timeline(page)).to_have_count(2, timeout=LIVE_TIMEOUT_MS)
    expect(timeline(page).first.get_by_role("listitem")).to_have_text(["Licences: 10 → 14"])
    assert_not_reloaded(page, path)


def test_the_live_sign_in_german(german_page: Page, demo: DemoServer) -> None:
    subscription = subscription_of_ten(demo, demo.keys["Alice Admin"], "dunmore")
    sign_in(german_page, demo.keys["Sam Sales"], language="de")
    german_page.goto(f"/subscriptions/{subscription}")
    expect(german_page.locator("[data-live-status=connected]")).to_have_text("Live")
    call_api(
        demo,
        demo.keys["Alice Admin"],
        CHANGE,
        {"i": {"subscriptionId": subscription, "quantity": 12}},
    )
    expect(german_page.locator("section div[aria-live=polite]")).to_have_text(
        re.compile("^Neu: Lizenzanzahl geändert von Alice Admin$"), timeout=LIVE_TIMEOUT_MS
    )


def test_a_change_missed_while_disconnected_comes_once_after_reconnecting(
    page: Page, demo: DemoServer
) -> None:
    key = demo.keys["Alice Admin"]
    subscription = subscription_of_ten(demo, key, "eastway")
    path = f"/subscriptions/{subscription}"
    sockets: list[WebSocketRoute] = []
    offline = False

    def through(socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()
        # While "offline", what the server sends never reaches the page.
        server.on_message(lambda message: None if offline else socket.send(message))
        sockets.append(socket)

    page.route_web_socket(re.compile("/graphql$"), through)
    open_live(page, demo, "Sam Sales", path)
    expect(timeline(page)).to_have_count(1)

    offline = True
    changed = call_api(demo, key, CHANGE, {"i": {"subscriptionId": subscription, "quantity": 12}})
    assert changed["changeQuantity"]["userErrors"] == []
    sockets[-1].close(code=4499, reason="Lost")  # graphql-ws retries this close
    offline = False
    expect(page.locator("[data-live-status]")).to_have_text("Reconnecting…")

    expect(page.locator("[data-live-status]")).to_have_text("Live", timeout=LIVE_TIMEOUT_MS)
    assert len(sockets) == 2
    expect(fact(page, "Licences")).to_have_text("12", timeout=LIVE_TIMEOUT_MS)
    expect(timeline(page).first.get_by_role("listitem")).to_have_text(["Licences: 10 → 12"])
    # And live again, each entry once.
    call_api(demo, key, CHANGE, {"i": {"subscriptionId": subscription, "quantity": 13}})
    expect(fact(page, "Licences")).to_have_text("13", timeout=LIVE_TIMEOUT_MS)
    expect(timeline(page)).to_have_count(3)
    expect(timeline(page).locator(":scope > ul")).to_have_text(
        ["Licences: 12 → 13", "Licences: 10 → 12", re.compile("^Offer: M365-BS")]
    )
    assert_not_reloaded(page, path)
