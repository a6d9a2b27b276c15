"""The help page's flows end to end, as a partner's global admin (Alice of Contoso).

Each test changes subscriptions no other test touches, so that the order of tests on a worker's
shared demo server does not matter.
"""

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.harness import (
    DemoServer,
    assert_accessible,
    call_api,
    dollars,
    sign_in,
    subscription_id,
)

QUANTITY_PREVIEW = (
    "mutation($i: ChangeQuantityInput!) { changeQuantity(input: $i) "
    "{ preview { amount { amount } } userErrors { code } } }"
)


def open_subscription(page: Page, customer: str, subscription: str) -> None:
    page.get_by_role("link", name=customer).click()
    expect(page.get_by_role("heading", name=customer, level=1)).to_be_visible()
    page.get_by_role("link", name=subscription, exact=True).click()
    expect(page.get_by_role("heading", name="Change count")).to_be_visible()


def fact(page: Page, term: str) -> Any:
    """The value of one of the subscription page's facts."""
    return page.locator(f"dt:text-is('{term}') + dd")


def test_find_a_customer_and_change_a_count(page: Page, demo: DemoServer) -> None:
    key = demo.keys["Alice Admin"]
    sign_in(page, key)
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
    expect(table.get_by_role("row").filter(has_text="Microsoft 365 E5")).to_contain_text(
        "The customer bought this subscription directly; only the customer can change it."
    )
    assert_accessible(page)

    table.get_by_role("link", name="Microsoft 365 Business Standard").click()
    expect(page.get_by_role("heading", name="Change count")).to_be_visible()
    # Bought 60 days ago on a monthly term at $15.00: no seat is refundable any more.
    expect(fact(page, "Term")).to_have_text("1 month, monthly billing")
    expect(fact(page, "Price per licence and billing period")).to_have_text("$15.00")
    expect(fact(page, "Licences that can still be removed")).to_have_text("None")
    expect(page.get_by_text("None can be removed: only within 7 days")).to_be_visible()
    assert_accessible(page)

    # What the server will preview, asked beside the page (validateOnly changes nothing).
    northwind_bs = subscription_id(demo, key, "Northwind", "Microsoft 365 Business Standard")
    expected = call_api(
        demo,
        key,
        QUANTITY_PREVIEW,
        {"i": {"subscriptionId": northwind_bs, "quantity": 45, "validateOnly": True}},
    )["changeQuantity"]
    assert expected["userErrors"] == []
    page.get_by_label("Number of licences", exact=True).fill("45")
    page.get_by_role("button", name="Submit").click()
    box = page.get_by_role("alertdialog", name="Change the number of licences?")
    expect(box).to_contain_text("from 40 to 45 licences")
    expect(box.locator("dt:text-is('Charge on the next invoice') + dd")).to_have_text(
        dollars(expected["preview"]["amount"]["amount"])
    )
    expect(box.locator("dt:text-is('Price per licence and billing period') + dd")).to_have_text(
        "$15.00"
    )
    expect(box.locator("dt:text-is('Term') + dd")).to_have_text("1 month, monthly billing")
    expect(box).to_contain_text("The added licences can be removed again within 168 hours")
    assert_accessible(page)
    box.get_by_role("button", name="Change count").click()

    expect(page.get_by_role("status")).to_have_text("The subscription now has 45 licences.")
    expect(fact(page, "Licences")).to_have_text("45")
    # The five new seats may be removed for 168 hours.
    expect(fact(page, "Licences that can still be removed")).to_have_text(re.compile(r"^5 until "))
    expect(page.get_by_text(re.compile(r"^5 licences can still be removed"))).to_be_visible()

    # Three of them go again, inside their window: a refund.
    expected = call_api(
        demo,
        key,
        QUANTITY_PREVIEW,
        {"i": {"subscriptionId": northwind_bs, "quantity": 42, "validateOnly": True}},
    )["changeQuantity"]
    assert expected["userErrors"] == []
    assert expected["preview"]["amount"]["amount"].startswith("-")
    page.get_by_label("Number of licences", exact=True).fill("42")
    page.get_by_role("button", name="Submit").click()
    box = page.get_by_role("alertdialog", name="Change the number of licences?")
    expect(box).to_contain_text("from 45 to 42 licences")
    expect(box.locator("dt:text-is('Refund on the next invoice') + dd")).to_have_text(
        dollars(expected["preview"]["amount"]["amount"][1:])
    )
    expect(
        box.get_by_text(re.compile(r"^5 licences can still be removed; the first window closes "))
    ).to_be_visible()
    box.get_by_role("button", name="Change count").click()
    expect(page.get_by_role("status")).to_have_text("The subscription now has 42 licences.")
    expect(fact(page, "Licences that can still be removed")).to_have_text(re.compile(r"^2 until "))

    page.get_by_role("link", name="Northwind Traders").click()
    row = page.get_by_role("row").filter(has_text="Microsoft 365 Business Standard")
    expect(row).to_contain_text("42")


def test_a_count_the_server_refuses_is_explained_next_to_the_field(
    page: Page, demo: DemoServer
) -> None:
    sign_in(page, demo.keys["Alice Admin"])
    open_subscription(page, "Tailspin Toys", "Microsoft 365 Business Standard")
    count = page.get_by_label("Number of licences", exact=True)
    count.fill("301")
    page.get_by_role("button", name="Submit").click()
    expect(count).to_have_accessible_description(re.compile("outside what the offer allows"))
    # Its 12 seats were bought 60 days ago: none can be removed.
    count.fill("11")
    page.get_by_role("button", name="Submit").click()
    expect(count).to_have_accessible_description(
        re.compile("^Licences can be removed only within 7 days of adding them")
    )
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(fact(page, "Licences")).to_have_text("12")


def test_suspend_and_reactivate(page: Page, demo: DemoServer) -> None:
    sign_in(page, demo.keys["Alice Admin"])
    open_subscription(page, "Woodgrove Bank", "Microsoft 365 E3")
    save = page.get_by_role("button", name="Save")
    expect(save).to_be_disabled()
    # Bought 60 days ago: past its cancellation window.
    expect(page.get_by_role("radio", name=re.compile("^Cancel subscription"))).to_be_disabled()
    expect(page.get_by_text("can be cancelled only within 7 days")).to_be_visible()

    page.get_by_role("radio", name="Suspend").check()
    expect(page.get_by_text("the data is kept for 90 days")).to_be_visible()
    save.click()
    expect(page.get_by_role("status")).to_have_text("The subscription is suspended.")
    expect(page.locator("dd").get_by_text("Suspended", exact=True)).to_be_visible()
    expect(page.get_by_text("Suspended on")).to_be_visible()
    # A suspended subscription keeps its count: the change is offered no more, and says why.
    submit = page.get_by_role("button", name="Submit")
    expect(submit).to_be_disabled()
    expect(submit).to_have_accessible_description(
        "Only an active subscription can be changed this way."
    )
    assert_accessible(page)

    page.get_by_role("radio", name="Active", exact=True).check()
    save.click()
    expect(page.get_by_role("status")).to_have_text("The subscription is active again.")
    expect(page.locator("dd").get_by_text("Active", exact=True)).to_be_visible()
    expect(submit).to_be_enabled()


def test_cancel_inside_the_window_with_the_refund_shown(page: Page, demo: DemoServer) -> None:
    key = demo.keys["Alice Admin"]
    lamna = call_api(demo, key, '{ customers(search: "Lamna") { nodes { id } } }', {})
    offers = call_api(
        demo,
        key,
        "query($c: ID!) { offers(customerId: $c) { nodes { id sku } } }",
        {"c": lamna["customers"]["nodes"][0]["id"]},
    )["offers"]["nodes"]
    bought = call_api(
        demo,
        key,
        "mutation($i: AddSubscriptionInput!) { addSubscription(input: $i) "
        "{ subscription { id } preview { amount { amount } } userErrors { code } } }",
        {
            "i": {
                "customerId": lamna["customers"]["nodes"][0]["id"],
                "offerId": next(o["id"] for o in offers if o["sku"] == "EXO-P1"),
                "quantity": 4,
                "friendlyName": "Lamna mail trial",
                "termDuration": "P1Y",
                "billingCycle": "MONTHLY",
            }
        },
    )["addSubscription"]
    assert bought["userErrors"] == []
    charged = bought["preview"]["amount"]["amount"]

    sign_in(page, key)
    open_subscription(page, "Lamna Healthcare", "Lamna mail trial")
    expect(fact(page, "Can be cancelled until")).to_be_visible()
    expect(fact(page, "Licences that can still be removed")).to_have_text(re.compile(r"^4 until "))
    page.get_by_role("radio", name="Cancel subscription").check()
    expect(
        page.get_by_text(re.compile("^Cancelling ends the subscription for good"))
    ).to_be_visible()
    page.get_by_role("button", name="Save").click()

    box = page.get_by_role("alertdialog", name="Cancel this subscription?")
    expect(box).to_contain_text("Lamna mail trial ends now, for good.")
    # Cancelled the moment it was bought: the whole charge comes back.
    expect(box.locator("dt:text-is('Refund on the next invoice') + dd")).to_have_text(
        dollars(charged)
    )
    expect(box.locator("dt:text-is('Term') + dd")).to_have_text("1 year, monthly billing")
    assert_accessible(page)
    box.get_by_role("button", name="Cancel for good").click()

    expect(page.get_by_role("status")).to_have_text("The subscription is cancelled.")
    expect(page.locator("dd").get_by_text("Cancelled", exact=True)).to_be_visible()
    save = page.get_by_role("button", name="Save")
    expect(save).to_have_accessible_description("This subscription can no longer be changed.")
    state = call_api(
        demo,
        key,
        "query($id: ID!) { node(id: $id) { ... on CustomerSubscription { status actions } } }",
        {"id": bought["subscription"]["id"]},
    )
    assert state["node"] == {"status": "CANCELLED", "actions": []}


def test_add_a_subscription_through_the_confirmation_box(page: Page, demo: DemoServer) -> None:
    sign_in(page, demo.keys["Alice Admin"])
    page.get_by_role("link", name="Tailspin Toys").click()
    page.get_by_role("button", name="Add new subscription").click()
    expect(page.get_by_role("heading", name="Add new subscription")).to_be_visible()
    offers = page.get_by_role("radiogroup")
    # Only what Contoso may sell in Germany: Business Central is not sold there.
    expect(offers.get_by_role("radio")).to_have_count(8)
    expect(offers).not_to_contain_text("Dynamics 365 Business Central")
    assert_accessible(page)

    # An add-on without its prerequisite: the server's refusal, next to the offer.
    offers.get_by_role("radio", name=re.compile("^Microsoft Teams Phone Standard")).check()
    page.get_by_role("button", name="Submit").click()
    expect(offers).to_have_accessible_description(re.compile("needs an active subscription to one"))

    offers.get_by_role("radio", name=re.compile(r"^Exchange Online \(Plan 1\)")).check()
    terms = page.get_by_label("Term and billing")
    expect(terms.locator("option")).to_have_text(
        [
            "1 month, monthly billing: $4.80 per licence",
            "1 year, monthly billing: $4.00 per licence",
            "1 year, annual billing: $48.00 per licence",
        ]
    )
    page.get_by_role("spinbutton", name="Number of licences").fill("7")
    terms.select_option(label="1 year, annual billing: $48.00 per licence")
    page.get_by_role("button", name="Submit").click()
    box = page.get_by_role("alertdialog", name="Confirm your order")
    expect(box).to_contain_text("Exchange Online (Plan 1)")
    expect(box.locator("dt:text-is('Term') + dd")).to_have_text("1 year, annual billing")
    expect(box.locator("dt:text-is('Price per licence and billing period') + dd")).to_have_text(
        "$48.00"
    )
    # A new annual term: seven licences for the year.
    expect(box.locator("dt:text-is('Charge on the next invoice') + dd")).to_have_text("$336.00")
    expect(box.locator("dt:text-is('Can be cancelled until') + dd")).to_be_visible()
    assert_accessible(page)
    box.get_by_role("button", name="Buy").click()

    done = page.get_by_role("alertdialog", name="Subscription added")
    expect(done).to_contain_text("Exchange Online (Plan 1) with 7 licences was added for Tailspin")
    done.get_by_role("button", name="Done").click()
    expect(page.get_by_role("heading", name="Tailspin Toys", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Exchange Online (Plan 1)")
    expect(row).to_contain_text("7")
    expect(row).to_contain_text("1 year, annual billing")


def test_a_change_made_meanwhile_is_a_version_conflict(page: Page, demo: DemoServer) -> None:
    key = demo.keys["Alice Admin"]
    # The live update would show the change before the submit: held back here (a socket that
    # never connects), the check before the box must still catch it.
    page.route_web_socket(re.compile("/graphql$"), lambda socket: None)
    sign_in(page, key)
    open_subscription(page, "Adatum Corporation", "Microsoft 365 E3")
    adatum_e3 = subscription_id(demo, key, "Adatum Corporation", "Microsoft 365 E3")
    changed = call_api(
        demo,
        key,
        "mutation($i: ChangeQuantityInput!) { changeQuantity(input: $i) "
        "{ subscription { version } userErrors { code } } }",
        {"i": {"subscriptionId": adatum_e3, "quantity": 26}},
    )["changeQuantity"]
    assert changed == {"subscription": {"version": 2}, "userErrors": []}

    page.get_by_label("Number of licences", exact=True).fill("27")
    page.get_by_role("button", name="Submit").click()
    # The check before the box already meets the other change.
    expect(page.get_by_role("alert")).to_contain_text("Someone else changed this subscription")
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    # The page reloads the subscription: the reader sees 26 and decides again.
    expect(page.get_by_label("Number of licences", exact=True)).to_have_value("26")
