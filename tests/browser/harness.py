"""What the browser tests, the screenshot script and the budget script share: a real server on a
fresh demo database, Debian's Chromium driven by Playwright, a guard that fails on any request
leaving the server's origin or refused by the page's CSP, signing in, and axe-core."""

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    ViewportSize,
    WebSocketRoute,
    expect,
    sync_playwright,
)

from tests.processes import PROJECT_DIR, Server, run_cli, running_server

CHROMIUM = Path("/usr/bin/chromium")
# The suite runs on two busy cores: give pages and assertions room.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)
# As root, without a sandbox; and none of Chromium's own calls home, which this machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WEBAPP_DIR = PROJECT_DIR / "webapp"
AXE_SCRIPT = WEBAPP_DIR / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
LANGUAGE_LABELS = {"en": "API key", "de": "API-Schlüssel"}
SIGN_IN_BUTTONS = {"en": "Sign in", "de": "Anmelden"}


def missing_prerequisite() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    if not (WEBAPP_DIR / "dist" / "index.html").exists():
        return "webapp/dist is not built (make webapp)"
    if not AXE_SCRIPT.exists():
        return "webapp/node_modules is not installed (make webapp)"
    return None


@dataclass
class DemoServer:
    server: Server
    database_url: str
    keys: dict[str, str]  # principal name -> API key

    @property
    def url(self) -> str:
        return self.server.url


@contextmanager
def demo_server(work_dir: Path) -> Iterator[DemoServer]:
    """`serve` on a fresh SQLite file, migrated and loaded with the demo data."""
    database_url = f"sqlite+aiosqlite:///{work_dir / 'browser.db'}"
    for command in ("migrate", "seed-demo"):
        done = run_cli(command, database_url=database_url)
        if done.returncode != 0:
            raise RuntimeError(f"server.py {command} failed: {done.stderr}")
    keys = {key["name"]: key["token"] for key in json.loads(done.stdout)["keys"]}
    with running_server(database_url, work_dir) as server:
        yield DemoServer(server, database_url, keys)


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """Everything a page did that it must not: a request to another origin (refused), a style or
    script the CSP refused, an uncaught error."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._request)
        context.route_web_socket(re.compile(".*"), self._socket)
        context.on("page", self._page)

    def _page(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _request(self, route: Route) -> None:
        if _origin(route.request.url) == self.origin:
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort("blockedbyclient")

    def _socket(self, socket: WebSocketRoute) -> None:
        if _origin(socket.url.replace("ws", "http", 1)) == self.origin:
            socket.connect_to_server()
        else:
            self.foreign.append(socket.url)
            socket.close()

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.refused.append(message.text)

    def check(self) -> None:
        assert not self.foreign, f"requests outside {self.origin}: {self.foreign}"
        assert not self.refused, f"refused by the CSP: {self.refused}"
        assert not self.errors, f"uncaught errors: {self.errors}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextmanager
def watched_page(browser: Browser, base_url: str, language: str = "en") -> Iterator[Page]:
    """A page in a context of its own (own sessionStorage), in the given browser language; on
    leaving, fails if the page broke any rule of Watch."""
    locale = {"en": "en-US", "de": "de-DE"}[language]
    # Reduced motion: no dialog is caught half faded in, by axe or by a screenshot.
    context = browser.new_context(
        base_url=base_url, locale=locale, viewport=VIEWPORT, reduced_motion="reduce"
    )
    context.set_default_timeout(TIMEOUT_MS)
    watch = Watch(_origin(base_url))
    watch.attach(context)
    try:
        yield context.new_page()
        watch.check()
    finally:
        context.close()


def sign_in(page: Page, key: str, language: str = "en") -> None:
    page.goto("/")
    page.get_by_label(LANGUAGE_LABELS[language]).fill(key)
    page.get_by_role("button", name=SIGN_IN_BUTTONS[language]).click()
    expect(page.get_by_role("button", name=re.compile("Sign out|Abmelden"))).to_be_visible()


def call_api(demo: DemoServer, key: str, query: str, variables: dict[str, Any]) -> Any:
    """What another client (or a test preparing its case) sends the same server: the data."""
    response = httpx.post(
        f"{demo.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {key}"},
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def subscription_id(demo: DemoServer, key: str, company: str, name: str) -> str:
    """The id of a customer's subscription, by the customer's and the subscription's names."""
    found = call_api(
        demo,
        key,
        "query($s: String) { customers(search: $s) { nodes { subscriptions "
        "{ nodes { id friendlyName } } } } }",
        {"s": company},
    )
    nodes = found["customers"]["nodes"][0]["subscriptions"]["nodes"]
    found_id: str = next(s["id"] for s in nodes if s["friendlyName"] == name)
    return found_id


def dollars(amount: str) -> str:
    """A USD amount as en-US writes it: $1,234.50 (the API's amounts have 2 decimals here)."""
    return f"${Decimal(amount):,.2f}"


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now. axe comes from the
    app's node_modules and is evaluated through the DevTools protocol, which the page's CSP does
    not govern, so the page itself stays as strict as ever."""
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    # Tabster's (Fluent UI's focus manager) invisible focus bumpers are focusable and aria-hidden
    # by design, a known false positive of aria-hidden-focus (microsoft/tabster#288) that
    # Accessibility Insights suppresses as well.
    results: dict[str, Any] = page.evaluate(
        "() => axe.run({exclude: [['[data-tabster-dummy]']]}, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page) -> None:
    """No serious or critical finding once the page has settled: a finding must still be
    there a moment later (a transition caught half way, a colour still fading, is not the
    screen a person reads)."""
    violations = serious_violations(page)
    for _ in range(3):
        if not violations:
            return
        page.wait_for_timeout(250)
        violations = serious_violations(page)
    assert not violations, json.dumps(violations, indent=2)


def browser_tests_required() -> bool:
    """CI sets BROWSER_TESTS=required: there a missing prerequisite fails instead of skipping."""
    return os.environ.get("BROWSER_TESTS") == "required"
