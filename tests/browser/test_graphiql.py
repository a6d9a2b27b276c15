"""GraphiQL from the server itself: the README's examples as tabs, the signed-in key as header."""

import re

from playwright.sync_api import Page, expect

from tests.browser.harness import DemoServer, sign_in
from tests.test_readme_examples import examples


def test_graphiql_runs_a_readme_example_with_the_signed_in_key(
    page: Page, demo: DemoServer
) -> None:
    sign_in(page, demo.keys["Alice Admin"])
    page.get_by_role("link", name="GraphiQL").click()
    expect(page.get_by_role("tab", name=re.compile("^Customers"))).to_be_visible()
    expect(page.get_by_role("tab")).to_have_count(len(examples()))  # one per README example

    expect(page.locator(".graphiql-query-editor")).to_contain_text("customers(first: 10")
    page.get_by_role("button", name=re.compile("^Execute query")).click()
    result = page.locator(".graphiql-response")
    expect(result).to_contain_text("Adatum Corporation")

    # The schema's own descriptions, in the documentation pane.
    page.get_by_role("button", name=re.compile("Documentation Explorer")).click()
    page.get_by_role("link", name="Query").click()
    expect(page.get_by_text("The viewer's customers by company name")).to_be_visible()
