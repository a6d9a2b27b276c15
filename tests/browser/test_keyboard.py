"""A whole flow with the keyboard alone: sign in, find a customer, change a count."""

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
