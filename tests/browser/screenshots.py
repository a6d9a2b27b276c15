"""Screenshots of the main screens for the README: `make screenshots`.

The same server, browser and guards as the browser tests, on a fresh demo database.
"""

import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.harness import (
    chromium,
    demo_server,
    missing_prerequisite,
    sign_in,
    watched_page,
)
from tests.processes import PROJECT_DIR

OUT_DIR = PROJECT_DIR / "docs" / "screenshots"


def shoot(page: Page, name: str) -> None:
    path = OUT_DIR / f"{name}.png"
    page.screenshot(path=path)
    print(f"wrote {path.relative_to(PROJECT_DIR)}")


def walk(page: Page) -> None:
    shoot(page, "customer-list")
    page.get_by_role("link", name="Adatum Corporation").click()
    expect(page.get_by_role("table")).to_be_visible()
    shoot(page, "subscriptions-pane")

    page.get_by_role("link", name="Microsoft 365 E3", exact=True).click()
    page.get_by_label("Number of licences", exact=True).fill("30")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    page.get_by_role("alertdialog").get_by_role("button", name="Change count").click()
    expect(page.get_by_role("status")).to_be_visible()
    shoot(page, "subscription-page")

    page.get_by_role("link", name="Adatum Corporation").click()
    page.get_by_role("button", name="Add new subscription").click()
    page.get_by_role("radio", name=re.compile("^Microsoft Teams Phone Standard")).check()
    page.get_by_role("spinbutton", name="Number of licences").fill("25")
    page.get_by_role("button", name="Submit").click()
    box = page.get_by_role("alertdialog", name="Confirm your order")
    expect(box.get_by_role("button", name="Buy")).to_be_enabled()
    shoot(page, "add-subscription-confirmation")

    page.goto("/graphql")
    expect(page.locator(".graphiql-query-editor")).to_contain_text("customers(first: 10")
    page.get_by_role("button", name=re.compile("^Execute query")).click()
    expect(page.locator(".graphiql-response")).to_contain_text("Adatum Corporation")
    shoot(page, "graphiql")


def main() -> int:
    reason = missing_prerequisite()
    if reason is not None:
        print(f"screenshots: cannot run: {reason}", file=sys.stderr)
        return 1
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="csp-screenshots-") as tmp,
        demo_server(Path(tmp)) as demo,
        chromium() as browser,
        watched_page(browser, demo.url) as page,
    ):
        sign_in(page, demo.keys["Alice Admin"])
        walk(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
