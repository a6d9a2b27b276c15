"""The activity timeline: a change just made is at the top of the subscription's timeline and of
its customer's, readable (operation, who, before → after), in English and in German. Each test
adds a customer and a subscription of its own."""

import re

from playwright.sync_api import Page, expect

from tests.browser.harness import DemoServer, assert_accessible, call_api, sign_in

CREATE = (
    "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) "
    "{ customer { id } userErrors { code } } }"
)
OFFERS = "query($c: ID!) { offers(customerId: $c) { nodes { id sku } } }"
CHANGE = "mutation($i: ChangeQuantityInput!) { changeQuantity(input: $i) { userErrors { code } } }"
BUY = (
    "mutation($i: AddSubscriptionInput!) { addSubscription(input: $i) "
    "{ subscription { id } userErrors { code } } }"
)


def subscription_of_ten(demo: DemoServer, key: str, prefix: str) -> str:
    """A new customer with one subscription of 10 licences, bought through the API; its id."""
    created = call_api(
        demo,
        key,
        CREATE,
        {
            "i": {
                "companyName": f"{prefix.capitalize()} Winery",
                "domainPrefix": prefix,
                "country": "US",
                "adminName": "Terry Adams",
                "adminEmail": f"terry@{prefix}.example",
            }
        },
    )["createCustomer"]
    assert created["userErrors"] == []
    customer_id = created["customer"]["id"]
    offers = call_api(demo, key, OFFERS, {"c": customer_id})["offers"]["nodes"]
    bought = call_api(
        demo,
        key,
        BUY,
        {
            "i": {
                "customerId": customer_id,
                "offerId": next(o["id"] for o in offers if o["sku"] == "M365-BS"),
                "quantity": 10,
                "friendlyName": "Winery office",
                "termDuration": "P1Y",
                "billingCycle": "MONTHLY",
            }
        },
    )["addSubscription"]
    assert bought["userErrors"] == []
    subscription_id: str = bought["subscription"]["id"]
    return subscription_id


def change_count_to_eleven(page: Page, submit: str, confirm: str, count_label: str) -> None:
    page.get_by_label(count_label, exact=True).fill("11")
    page.get_by_role("button", name=submit).click()
    page.get_by_role("alertdialog").get_by_role("button", name=confirm).click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)


def test_the_timeline_shows_a_change_just_made(page: Page, demo: DemoServer) -> None:
    key = demo.keys["Alice Admin"]
    subscription = subscription_of_ten(demo, key, "coho")
    sign_in(page, key)
    page.goto(f"/subscriptions/{subscription}")
    entries = page.get_by_role("list", name="Changes, newest first").locator(":scope > li")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("Subscription bought")
    expect(entries.first).to_contain_text("Licences: 10")
    assert_accessible(page)

    change_count_to_eleven(page, "Submit", "Change count", "Number of licences")
    expect(entries).to_have_count(2)
    newest = entries.first
    expect(newest).to_contain_text("Licence count changed")
    expect(newest).to_contain_text("by Alice Admin (partner)")
    expect(newest.get_by_role("listitem")).to_have_text(["Licences: 10 → 11"])
    expect(newest.locator("time")).to_have_text(
        re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M$")
    )
    assert_accessible(page)

    # The customer's timeline: its own creation, the purchase and the change, newest first.
    page.get_by_role("link", name="Coho Winery").click()
    expect(page.get_by_role("heading", name="Coho Winery", level=1)).to_be_visible()
    entries = page.get_by_role("list", name="Changes, newest first").locator(":scope > li")
    expect(entries).to_have_count(3)
    expect(entries.nth(0)).to_contain_text("Licence count changed")
    expect(entries.nth(0)).to_contain_text("Winery office")
    expect(entries.nth(1)).to_contain_text("Subscription bought")
    expect(entries.nth(2)).to_contain_text("Customer added")
    assert_accessible(page)


def test_the_timeline_in_german(german_page: Page, demo: DemoServer) -> None:
    page = german_page
    key = demo.keys["Alice Admin"]
    subscription = subscription_of_ten(demo, key, "wingtip")
    sign_in(page, key, language="de")
    page.goto(f"/subscriptions/{subscription}")
    change_count_to_eleven(page, "Absenden", "Anzahl ändern", "Anzahl der Lizenzen")
    entries = page.get_by_role("list", name="Änderungen, neueste zuerst").locator(":scope > li")
    expect(entries).to_have_count(2)
    newest = entries.first
    expect(newest).to_contain_text("Lizenzanzahl geändert")
    expect(newest).to_contain_text("von Alice Admin (Partner)")
    expect(newest.get_by_role("listitem")).to_have_text(["Lizenzen: 10 → 11"])
    expect(newest.locator("time")).to_have_text(re.compile(r"^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$"))
    assert_accessible(page)


def test_the_system_is_shown_as_the_actor_of_an_expiry(page: Page, demo: DemoServer) -> None:
    # The demo's Woodgrove mail subscription ended unrenewed; the runner expires it at start.
    sign_in(page, demo.keys["Hana Helpdesk"])
    page.get_by_role("link", name="Woodgrove Bank").click()
    entries = page.get_by_role("list", name="Changes, newest first").locator(":scope > li")
    expiry = entries.filter(has_text="Status: Active → Expired")
    expect(expiry).to_have_count(1)
    expect(expiry).to_contain_text("Exchange Online (Plan 1)")
    expect(expiry.locator(".fui-Badge")).to_have_text("System")
    expect(expiry).not_to_contain_text("by ")
    assert_accessible(page)


def test_load_more_continues_with_older_entries(page: Page, demo: DemoServer) -> None:
    key = demo.keys["Alice Admin"]
    subscription = subscription_of_ten(demo, key, "lucerne")
    # 21 changes and the purchase: a page of 20, then 2 more.
    for quantity in range(11, 32):
        changed = call_api(
            demo, key, CHANGE, {"i": {"subscriptionId": subscription, "quantity": quantity}}
        )["changeQuantity"]
        assert changed["userErrors"] == []
    sign_in(page, key)
    page.goto(f"/subscriptions/{subscription}")
    entries = page.get_by_role("list", name="Changes, newest first").locator(":scope > li")
    expect(entries).to_have_count(20)
    expect(entries.first).to_contain_text("Licences: 30 → 31")
    expect(entries.last).to_contain_text("Licences: 11 → 12")
    page.get_by_role("button", name="Load more").click()
    expect(entries).to_have_count(22)
    expect(entries.nth(20)).to_contain_text("Licences: 10 → 11")
    expect(entries.last).to_contain_text("Subscription bought")
    expect(page.get_by_role("button", name="Load more")).to_have_count(0)
    assert_accessible(page)
