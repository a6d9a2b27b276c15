"""Who may not change a subscription sees every action disabled, each with its reason, in the
list and on the subscription page (the reasons are the API's notManageableReason)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import DemoServer, assert_accessible, sign_in

READ_ONLY = "Your role can view subscriptions but not change them."
PARTNER_CREATED = (
    "A partner created this customer's account, so the partner manages its subscriptions."
)


def expect_disabled_with_reason(page: Page, button: str, reason: str) -> None:
    control = page.get_by_role("button", name=button, exact=True)
    expect(control).to_be_disabled()
    expect(control).to_have_accessible_description(reason)


def expect_no_status_choice(page: Page, labels: tuple[str, str, str]) -> None:
    for label in labels:
        expect(page.get_by_role("radio", name=label, exact=True)).to_be_disabled()


@pytest.mark.parametrize("principal", ["Hana Helpdesk", "Bill Billing"])
def test_read_only_partner_roles(page: Page, demo: DemoServer, principal: str) -> None:
    sign_in(page, demo.keys[principal])
    page.get_by_role("link", name="Woodgrove Bank").click()
    expect_disabled_with_reason(page, "Add new subscription", READ_ONLY)
    rows = page.get_by_role("row").filter(has_text="Microsoft 365 E")
    expect(rows).to_have_count(2)  # E3, and the E5 with seats added yesterday
    for row in rows.all():
        expect(row).to_contain_text(READ_ONLY)
    expect(page.get_by_role("row").filter(has_text="Teams Phone")).to_contain_text(READ_ONLY)
    assert_accessible(page)

    page.get_by_role("link", name="Microsoft 365 E3", exact=True).click()
    expect(page.get_by_label("Number of licences", exact=True)).to_be_disabled()
    expect_disabled_with_reason(page, "Submit", READ_ONLY)
    expect_no_status_choice(page, ("Active", "Suspend", "Cancel subscription"))
    expect_disabled_with_reason(page, "Save", READ_ONLY)
    assert_accessible(page)


def test_customer_admin_of_a_partner_created_account(page: Page, demo: DemoServer) -> None:
    sign_in(page, demo.keys["Ada Adatum"])
    expect(page.get_by_text("Customers found: 1")).to_be_visible()
    page.get_by_role("link", name="Adatum Corporation").click()
    expect_disabled_with_reason(
        page,
        "Add new subscription",
        "As a customer you buy subscriptions directly, not through a partner.",
    )
    # Every row, the partner's sales and the direct purchase alike.
    rows = page.get_by_role("table").get_by_role("row").filter(has_text=PARTNER_CREATED)
    expect(rows).to_have_count(4)
    assert_accessible(page)

    # Even what Adatum bought directly: a partner created the account, so the partner manages it.
    page.get_by_role("link", name="Exchange Online (Plan 1)").click()
    expect_disabled_with_reason(page, "Submit", PARTNER_CREATED)
    expect_no_status_choice(page, ("Active", "Suspend", "Cancel subscription"))
    expect_disabled_with_reason(page, "Save", PARTNER_CREATED)
    assert_accessible(page)


def test_read_only_in_german(german_page: Page, demo: DemoServer) -> None:
    page = german_page
    sign_in(page, demo.keys["Hana Helpdesk"], language="de")
    page.get_by_role("link", name="Woodgrove Bank").click()
    reason = "Ihre Rolle kann Abonnements ansehen, aber nicht ändern."
    expect_disabled_with_reason(page, "Neues Abonnement hinzufügen", reason)
    page.get_by_role("link", name="Microsoft 365 E3", exact=True).click()
    expect_disabled_with_reason(page, "Absenden", reason)
    expect_no_status_choice(page, ("Aktiv", "Sperren", "Kündigen"))
    expect_disabled_with_reason(page, "Speichern", reason)
    assert_accessible(page)
