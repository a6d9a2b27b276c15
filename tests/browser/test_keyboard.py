"""A whole flow with the keyboard alone: sign in, find a customer, change a count."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.harness import DemoServer

MAX_TABS = 40


def tab_to(page: Page, target: Locator) -> None:
    """Tab forward until the target has the focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} not reached in {MAX_TABS} presses of Tab")


def test_change_a_count_by_keyboard_only(page: Page, demo: DemoServer) -> None:
    page.goto("/")
    tab_to(page, page.get_by_label("API key"))
    page.keyboard.type(demo.keys["Sam Sales"])
    page.keyboard.press("Enter")

    search = page.get_by_role("searchbox", name="Search by name or domain")
    tab_to(page, search)
    page.keyboard.type("lamna")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Customers found: 1")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Lamna Healthcare"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Lamna Healthcare", level=1)).to_be_focused()
    tab_to(page, page.get_by_role("link", name="Microsoft 365 Business Basic"))
    page.keyboard.press("Enter")

    count = page.get_by_label("Number of licences", exact=True)
    tab_to(page, count)
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    box = page.get_by_role("alertdialog", name="Change the number of licences?")
    expect(box).to_contain_text("from 8 to 12 licences")
    # The box takes the focus; Tab stays inside it.
    tab_to(page, box.get_by_role("button", name="Change count"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("The subscription now has 12 licences.")


def test_buy_a_subscription_by_keyboard_only(page: Page, demo: DemoServer) -> None:
    page.goto("/")
    tab_to(page, page.get_by_label("API key"))
    page.keyboard.type(demo.keys["Sam Sales"])
    page.keyboard.press("Enter")

    tab_to(page, page.get_by_role("link", name="Woodgrove Bank"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Add new subscription"))
    page.keyboard.press("Enter")

    # Tab enters the group of offers once; the arrows move among them.
    offers = page.get_by_role("radiogroup")
    tab_to(page, offers.get_by_role("radio").first)
    wanted = offers.get_by_role("radio", name=re.compile(r"^Exchange Online \(Plan 1\)"))
    for _ in range(MAX_TABS):
        if wanted.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")
    expect(wanted).to_be_checked()
    # The offer's first term is chosen with it.
    expect(page.get_by_label("Term and billing")).to_have_value("P1M/MONTHLY")

    count = page.get_by_role("spinbutton", name="Number of licences")
    tab_to(page, count)
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    box = page.get_by_role("alertdialog", name="Confirm your order")
    expect(box.locator("dt:text-is('Term') + dd")).to_have_text("1 month, monthly billing")
    expect(box.locator("dt:text-is('Price per licence and billing period') + dd")).to_have_text(
        "$4.80"
    )
    tab_to(page, box.get_by_role("button", name="Buy"))
    page.keyboard.press("Enter")

    done = page.get_by_role("alertdialog", name="Subscription added")
    tab_to(page, done.get_by_role("button", name="Done"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Woodgrove Bank", level=1)).to_be_visible()
    # Woodgrove has an annual Exchange subscription too: the new one is the monthly one.
    rows = page.get_by_role("row").filter(has_text="Exchange Online (Plan 1)")
    row = rows.filter(has_text="1 month, monthly billing")
    expect(rows).to_have_count(2)
    expect(row.get_by_role("cell").nth(2)).to_have_text("3")


def test_add_a_customer_by_keyboard_only(page: Page, demo: DemoServer) -> None:
    page.goto("/")
    tab_to(page, page.get_by_label("API key"))
    page.keyboard.type(demo.keys["Sam Sales"])
    page.keyboard.press("Enter")

    tab_to(page, page.get_by_role("button", name="Add customer", exact=True))
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Add a customer")
    tab_to(page, dialog.get_by_label("Company name"))
    page.keyboard.type("Alpine Ski House")
    tab_to(page, dialog.get_by_label("Domain prefix"))
    page.keyboard.type("alpineskihouse")
    country = dialog.get_by_label("Country")
    tab_to(page, country)
    page.keyboard.type("Switzerland")  # a closed select's type-ahead
    expect(country).to_have_value("CH")
    tab_to(page, dialog.get_by_label("Administrator's full name"))
    page.keyboard.type("Anna Lidman")
    tab_to(page, dialog.get_by_label("Administrator's email address"))
    page.keyboard.type("anna@alpineskihouse.example")
    page.keyboard.press("Enter")

    confirm = page.get_by_role("dialog", name="Add this customer?")
    expect(confirm.locator("dt:text-is('Country') + dd")).to_have_text("Switzerland")
    tab_to(page, confirm.get_by_role("button", name="Add customer"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="added")).to_have_text(
        "Alpine Ski House was added as a customer."
    )
    table = page.get_by_role("table", name="Customer list")
    tab_to(page, table.get_by_role("link", name="Alpine Ski House"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Alpine Ski House", level=1)).to_be_visible()
