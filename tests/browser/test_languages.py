"""German and English: chosen from the browser's language, switchable, formatted for the locale."""

import re

from playwright.sync_api import Page, expect

from tests.browser.harness import DemoServer, assert_accessible, sign_in
from tests.browser.test_partner_flows import fact


def test_german_from_the_browser_then_english_by_choice(
    german_page: Page, demo: DemoServer
) -> None:
    page = german_page
    sign_in(page, demo.keys["Alice Admin"], language="de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", name="Kunden", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Tailspin Toys")
    expect(row).to_contain_text("Deutschland")
    expect(row).to_contain_text(re.compile(r"\d{2}\.\d{2}\.\d{4}"))  # 27.12.2025
    assert_accessible(page)

    page.get_by_role("link", name="Woodgrove Bank").click()
    expect(page.get_by_role("button", name="Neues Abonnement hinzufügen")).to_be_visible()
    page.get_by_role("link", name="Microsoft 365 E3", exact=True).click()
    expect(page.get_by_role("heading", name="Anzahl ändern")).to_be_visible()
    expect(page.get_by_role("heading", name="Status ändern")).to_be_visible()
    expect(page.get_by_role("radio", name="Sperren")).to_be_visible()
    expect(page.get_by_role("radio", name="Aktiv")).to_be_checked()
    expect(page.get_by_role("button", name="Speichern")).to_be_visible()
    expect(page.get_by_text("Zwischen 1 und 10.000.")).to_be_visible()
    expect(fact(page, "Laufzeit")).to_have_text("1 Jahr, Abrechnung jährlich")
    expect(fact(page, "Preis pro Lizenz und Abrechnungszeitraum")).to_have_text("432,00\u00a0$")
    expect(fact(page, "Laufzeit endet am")).to_have_text(re.compile(r"^\d{2}\.\d{2}\.\d{4}$"))
    expect(fact(page, "Noch entfernbare Lizenzen")).to_have_text("Keine")
    # Bought 60 days ago: neither cancelling nor removing licences is possible any more.
    expect(page.get_by_role("radio", name=re.compile("^Kündigen"))).to_be_disabled()
    expect(
        page.get_by_text("nur innerhalb von 7 Tagen nach Kauf oder Verlängerung")
    ).to_be_visible()
    count = page.get_by_label("Anzahl der Lizenzen")
    count.fill("0")
    page.get_by_role("button", name="Absenden").click()
    expect(count).to_have_accessible_description(
        re.compile("^Die Anzahl der Lizenzen liegt außerhalb dessen, was das Angebot erlaubt.")
    )
    count.fill("299")
    page.get_by_role("button", name="Absenden").click()
    expect(count).to_have_accessible_description(
        re.compile("^Lizenzen können nur innerhalb von 7 Tagen nach dem Hinzufügen entfernt werden")
    )
    assert_accessible(page)

    page.get_by_label("Sprache").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Change count")).to_be_visible()
    expect(page.get_by_text("Between 1 and 10,000.")).to_be_visible()
    expect(fact(page, "Term")).to_have_text("1 year, annual billing")
    expect(fact(page, "Price per licence and billing period")).to_have_text("$432.00")
    expect(fact(page, "Term ends on")).to_have_text(re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}$"))
    # The choice outlasts a reload; the key is in sessionStorage only.
    page.reload()
    expect(page.get_by_role("heading", name="Change status")).to_be_visible()


def test_an_order_in_german_shows_term_and_prices_in_german(
    german_page: Page, demo: DemoServer
) -> None:
    page = german_page
    sign_in(page, demo.keys["Alice Admin"], language="de")
    page.get_by_role("link", name="Northwind Traders").click()
    expect(page.get_by_role("heading", name="Northwind Traders", level=1)).to_be_visible()
    page.get_by_role("button", name="Neues Abonnement hinzufügen").click()
    page.get_by_role("radio", name=re.compile(r"^Exchange Online \(Plan 1\)")).check()
    page.get_by_label("Laufzeit und Abrechnung").select_option(
        label="1 Jahr, Abrechnung jährlich: 48,00\u00a0$ pro Lizenz"
    )
    page.get_by_role("spinbutton", name="Anzahl der Lizenzen").fill("2")
    page.get_by_role("button", name="Absenden").click()

    box = page.get_by_role("alertdialog", name="Bestellung bestätigen")
    expect(box.locator("dt:text-is('Laufzeit') + dd")).to_have_text("1 Jahr, Abrechnung jährlich")
    expect(box.locator("dt:text-is('Preis pro Lizenz und Abrechnungszeitraum') + dd")).to_have_text(
        "48,00\u00a0$"
    )
    expect(box.locator("dt:text-is('Belastung auf der nächsten Rechnung') + dd")).to_have_text(
        "96,00\u00a0$"
    )
    expect(box.locator("dt:text-is('Kündbar bis') + dd")).to_have_text(
        re.compile(r"^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$")
    )
    assert_accessible(page)
    # Not bought: the box closes and nothing is added.
    box.get_by_role("button", name="Abbrechen").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    page.get_by_role("link", name="Zurück zu den Abonnements").click()
    # Contoso's Northwind has no Exchange Online of its own (Fabrikam's it does not see).
    expect(page.get_by_role("table")).not_to_contain_text("Exchange Online")
