"""Adding a customer from the customer list: the server checks the details (validateOnly), its
refusals show beside their fields, a confirmation step, then the customer is listed and opens.
Each test uses company names and domain prefixes of its own."""

import re

from playwright.sync_api import Page, expect

from tests.browser.harness import DemoServer, assert_accessible, call_api, sign_in

CUSTOMER_BY_DOMAIN = (
    "query($s: String) { customers(search: $s) "
    "{ totalCount nodes { companyName domain country } } }"
)
CREATE = (
    "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) "
    "{ customer { id } userErrors { code } } }"
)


def test_a_partner_admin_adds_a_customer(page: Page, demo: DemoServer) -> None:
    key = demo.keys["Alice Admin"]
    sign_in(page, key)
    page.get_by_role("button", name="Add customer", exact=True).click()
    dialog = page.get_by_role("dialog", name="Add a customer")
    dialog.get_by_label("Company name").fill("Fourth Coffee")
    prefix = dialog.get_by_label("Domain prefix")
    prefix.fill("fourthcoffee")
    expect(prefix).to_have_accessible_description(
        "Letters a–z and digits. The domain will be fourthcoffee.onmicrosoft.com."
    )
    dialog.get_by_label("Country").select_option("DE")
    expect(dialog.get_by_label("Country")).to_contain_text("Germany")
    dialog.get_by_label("Administrator's full name").fill("Lena Fischer")
    email = dialog.get_by_label("Administrator's email address")
    email.fill("lena at fourthcoffee")
    assert_accessible(page)

    dialog.get_by_role("button", name="Submit").click()
    expect(email).to_have_accessible_description("This is not a valid email address.")
    expect(email).to_have_attribute("aria-invalid", "true")
    # validateOnly: checked, nothing created.
    found = call_api(demo, key, CUSTOMER_BY_DOMAIN, {"s": "fourthcoffee"})["customers"]
    assert found["totalCount"] == 0
    assert_accessible(page)

    email.fill("lena@fourthcoffee.example")
    dialog.get_by_role("button", name="Submit").click()
    confirm = page.get_by_role("dialog", name="Add this customer?")
    expect(confirm.locator("dt:text-is('Domain') + dd")).to_have_text(
        "fourthcoffee.onmicrosoft.com"
    )
    expect(confirm.locator("dt:text-is('Country') + dd")).to_have_text("Germany")
    expect(confirm.locator("dt:text-is('Administrator') + dd")).to_have_text(
        "Lena Fischer <lena@fourthcoffee.example>"
    )
    assert call_api(demo, key, CUSTOMER_BY_DOMAIN, {"s": "fourthcoffee"})["customers"] == {
        "totalCount": 0,
        "nodes": [],
    }
    assert_accessible(page)
    confirm.get_by_role("button", name="Add customer").click()

    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="added")).to_have_text(
        "Fourth Coffee was added as a customer."
    )
    row = (
        page.get_by_role("table", name="Customer list")
        .get_by_role("row")
        .filter(has_text="Fourth Coffee")
    )
    expect(row).to_contain_text("fourthcoffee.onmicrosoft.com")
    expect(row).to_contain_text("Germany")
    assert call_api(demo, key, CUSTOMER_BY_DOMAIN, {"s": "fourthcoffee"})["customers"] == {
        "totalCount": 1,
        "nodes": [
            {
                "companyName": "Fourth Coffee",
                "domain": "fourthcoffee.onmicrosoft.com",
                "country": "DE",
            }
        ],
    }
    assert_accessible(page)

    row.get_by_role("link", name="Fourth Coffee").click()
    expect(page.get_by_role("heading", name="Fourth Coffee", level=1)).to_be_visible()
    expect(page.get_by_text("This customer has no subscription you can see.")).to_be_visible()
    entry = page.get_by_role("list", name="Changes, newest first").locator(":scope > li")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Customer added")
    expect(entry).to_contain_text("by Alice Admin (partner)")
    expect(entry).to_contain_text("Company: Fourth Coffee")
    expect(entry).to_contain_text("Country: Germany")
    assert_accessible(page)


def test_a_taken_domain_is_refused_beside_its_field_in_german(
    german_page: Page, demo: DemoServer
) -> None:
    page = german_page
    key = demo.keys["Alice Admin"]
    taken = call_api(
        demo,
        key,
        CREATE,
        {
            "i": {
                "companyName": "Graphic Design Institute",
                "domainPrefix": "graphicdesign",
                "country": "US",
                "adminName": "Gail Erickson",
                "adminEmail": "gail@graphicdesign.example",
            }
        },
    )["createCustomer"]
    assert taken["userErrors"] == []

    sign_in(page, key, language="de")
    page.get_by_role("button", name="Kunden hinzufügen", exact=True).click()
    dialog = page.get_by_role("dialog", name="Einen Kunden hinzufügen")
    dialog.get_by_label("Firmenname").fill("Graphic Design Studio")
    prefix = dialog.get_by_label("Domänenpräfix")
    prefix.fill("graphicdesign")
    dialog.get_by_label("Land").select_option("AT")
    expect(dialog.get_by_label("Land")).to_contain_text("Österreich")
    dialog.get_by_label("Vollständiger Name des Administrators").fill("Jon Morris")
    dialog.get_by_label("E-Mail-Adresse des Administrators").fill("jon@graphicstudio.example")
    dialog.get_by_role("button", name="Absenden").click()
    expect(prefix).to_have_accessible_description(
        re.compile("^Dieses Domänenpräfix ist bereits vergeben.")
    )
    assert_accessible(page)
    dialog.get_by_role("button", name="Abbrechen").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    found = call_api(demo, key, CUSTOMER_BY_DOMAIN, {"s": "graphic"})["customers"]
    assert [c["companyName"] for c in found["nodes"]] == ["Graphic Design Institute"]


def test_a_read_only_role_sees_why_it_may_not_add_customers(page: Page, demo: DemoServer) -> None:
    sign_in(page, demo.keys["Hana Helpdesk"])
    control = page.get_by_role("button", name="Add customer", exact=True)
    expect(control).to_be_disabled()
    expect(control).to_have_accessible_description("Your role can view customers but not add them.")
    assert_accessible(page)
