"""The help page's flows end to end, as a partner's global admin (Alice of Contoso).

Each test changes subscriptions no other test touches, so that the order of tests on a worker's
shared demo server does not matter.
"""

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.browser.harness import DemoServer, assert_accessible, sign_in


def open_subscription(page: Page, customer: str, subscription: str) -> None:
    page.get_by_role("link", name=customer).click()
    expect(page.get_by_role("heading", name=customer, level=1)).to_be_visible()
    page.get_by_role("link", name=subscription, exact=True).click()
    expect(page.get_by_role("heading", name="Change count")).to_be_visible()


def test_find_a_customer_and_change_a_count(page: Page, demo: DemoServer) -> None:
    sign_in(page, demo.keys["Alice Admin"])
    expect(page.get_by_role("heading", name="Customers", level=1)).to_be_focused()
    assert_accessible(page)

    page.get_by_role("searchbox", name="Search by name or domain").fill("north")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("Customers found: 1")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?search=north$"))
    page.get_by_role("link", name="Northwind Traders").click()

    expect(page.get_by_role("heading", name="Northwind Traders", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Subscriptions of Northwind Traders")
    # Contoso sees its own sale and the direct purchases, never what Fabrikam sold.
    expect(table.get_by_role("row")).to_have_count(4)
    expect(table).not_to_contain_text("Exchange Online")
    assert_accessible(page)

    table.get_by_role("link", name="Microsoft 365 Business Standard").click()
    expect(page.get_by_role("heading", name="Change count")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Number of licences", exact=True).fill("45")
    page.get_by_role("button", name="Submit").click()
    box = page.get_by_role("alertdialog", name="Change the number of licences?")
    expect(box).to_contain_text("from 40 to 45 licences")
    assert_accessible(page)
    box.get_by_role("button", name="Change count").click()

    expect(page.get_by_role("status")).to_have_text("The subscription now has 45 licences.")
    expect(page.locator("dd").filter(has_text=re.compile(r"^45$"))).to_be_visible()
    page.get_by_role("link", name="Northwind Traders").click()
    row = page.get_by_role("row").filter(has_text="Microsoft 365 Business Standard")
    expect(row).to_contain_text("45")


def test_a_count_outside_the_offer_is_refused_next_to_the_field(
    page: Page, demo: DemoServer
) -> None:
    sign_in(page, demo.keys["Alice Admin"])
    open_subscription(page, "Lamna Healthcare", "Microsoft 365 Business Basic")
    count = page.get_by_label("Number of licences", exact=True)
    count.fill("301")
    page.get_by_role("button", name="Submit").click()
    expect(count).to_have_accessible_description(re.compile("outside what the offer allows"))
    expect(page.get_by_role("alertdialog")).to_have_count(0)


def test_suspend_and_reactivate(page: Page, demo: DemoServer) -> None:
    sign_in(page, demo.keys["Alice Admin"])
    open_subscription(page, "Woodgrove Bank", "Microsoft 365 E3")
    save = page.get_by_role("button", name="Save")
    expect(save).to_be_disabled()

    page.get_by_role("radio", name="Suspend").check()
    expect(page.get_by_text("the data is kept for 90 days")).to_be_visible()
    save.click()
    expect(page.get_by_role("status")).to_have_text("The subscription is suspended.")
    expect(page.locator("dd").get_by_text("Suspended", exact=True)).to_be_visible()
    expect(page.get_by_text("Suspended on")).to_be_visible()
    # A suspended subscription keeps its count: the change is offered no more, and says why.
    expect(page.get_by_text("Only an active subscription can change")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("radio", name="Active").check()
    save.click()
    expect(page.get_by_role("status")).to_have_text("The subscription is active again.")
    expect(page.locator("dd").get_by_text("Active", exact=True)).to_be_visible()


def test_add_a_subscription_through_the_confirmation_box(page: Page, demo: DemoServer) -> None:
    sign_in(page, demo.keys["Alice Admin"])
    page.get_by_role("link", name="Tailspin Toys").click()
    page.get_by_role("button", name="Add new subscription").click()
    expect(page.get_by_role("heading", name="Add new subscription")).to_be_visible()
    offers = page.get_by_role("radiogroup")
    # Only what Contoso may sell in Germany: Business Central is not sold there.
    expect(offers.get_by_role("radio")).to_have_count(7)
    expect(offers).not_to_contain_text("Dynamics 365 Business Central")
    assert_accessible(page)

    # An add-on without its prerequisite: the server's refusal, next to the offer.
    offers.get_by_role("radio", name=re.compile("^Microsoft Teams Phone Standard")).check()
    page.get_by_role("button", name="Submit").click()
    expect(offers).to_have_accessible_description(re.compile("needs an active subscription to one"))

    offers.get_by_role("radio", name=re.compile(r"^Exchange Online \(Plan 1\)")).check()
    page.get_by_role("spinbutton", name="Number of licences").fill("7")
    page.get_by_label("Billing cycle").select_option(label="Annual")
    page.get_by_role("button", name="Submit").click()
    box = page.get_by_role("alertdialog", name="Confirm your order")
    expect(box).to_contain_text("Exchange Online (Plan 1)")
    expect(box).to_contain_text("Annual")
    assert_accessible(page)
    box.get_by_role("button", name="Buy").click()

    done = page.get_by_role("alertdialog", name="Subscription added")
    expect(done).to_contain_text("Exchange Online (Plan 1) with 7 licences was added for Tailspin")
    done.get_by_role("button", name="Done").click()
    expect(page.get_by_role("heading", name="Tailspin Toys", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Exchange Online (Plan 1)")
    expect(row).to_contain_text("7")
    expect(row).to_contain_text("Annual")


def test_a_change_made_meanwhile_is_a_version_conflict(page: Page, demo: DemoServer) -> None:
    key = demo.keys["Alice Admin"]
    sign_in(page, key)
    open_subscription(page, "Adatum Corporation", "Microsoft 365 E3")
    version = _change_behind_the_page(demo, key, "Adatum Corporation", "Microsoft 365 E3", 26)

    page.get_by_label("Number of licences", exact=True).fill("27")
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Change count").click()
    expect(page.get_by_role("alert")).to_contain_text("Someone else changed this subscription")
    # The page reloads the subscription: the reader sees 26 and decides again.
    expect(page.get_by_label("Number of licences", exact=True)).to_have_value("26")
    assert version == 2


def _change_behind_the_page(
    demo: DemoServer, key: str, company: str, name: str, quantity: int
) -> int:
    """Another client changes the subscription through the API: its version moves on."""

    def call(query: str, variables: dict[str, Any]) -> Any:
        response = httpx.post(
            f"{demo.url}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {key}"},
        )
        return response.json()["data"]

    found = call(
        "query($s: String) { customers(search: $s) { nodes { subscriptions "
        "{ nodes { id friendlyName } } } } }",
        {"s": company},
    )
    nodes = found["customers"]["nodes"][0]["subscriptions"]["nodes"]
    subscription = next(s for s in nodes if s["friendlyName"] == name)
    changed = call(
        "mutation($i: ChangeQuantityInput!) { changeQuantity(input: $i) "
        "{ subscription { version } userErrors { code } } }",
        {"i": {"subscriptionId": subscription["id"], "quantity": quantity}},
    )["changeQuantity"]
    assert changed["userErrors"] == [], changed
    version: int = changed["subscription"]["version"]
    return version
