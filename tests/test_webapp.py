"""Serving the built web app and GraphiQL (web/webapp.py), against a stand-in build in a tmp dir."""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from edge import webapp
from infra.database import Database
from server import create_app
from settings import Settings

PAGE = (
    '<!doctype html><meta property="csp-nonce" nonce="__CSP_NONCE__">'
    '<script type="module" src="/assets/app-1a2b.js" nonce="__CSP_NONCE__"></script>'
)
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture
def dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "index.html").write_text(PAGE)
    (built / "graphiql.html").write_text(PAGE.replace("app-1a2b", "graphiql-3c4d"))
    (built / "assets" / "app-1a2b.js").write_text("export {};")
    (tmp_path / "secret.txt").write_text("not to be served")
    monkeypatch.setattr(webapp, "DIST_DIR", built)
    return built


@pytest.fixture
async def client(settings: Settings, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(settings, database))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def _nonce(response: httpx.Response) -> str:
    match = re.search(r"'nonce-([A-Za-z0-9_-]+)'", response.headers["content-security-policy"])
    assert match is not None, response.headers["content-security-policy"]
    return match.group(1)


async def test_the_app_page_carries_a_fresh_nonce_and_a_strict_policy(
    dist: Path, client: httpx.AsyncClient
) -> None:
    first, second = await client.get("/", headers=HTML), await client.get("/", headers=HTML)
    assert first.status_code == 200
    assert first.headers["content-type"] == "text/html; charset=utf-8"
    assert _nonce(first) != _nonce(second)
    assert "__CSP_NONCE__" not in first.text
    assert first.text.count(f'nonce="{_nonce(first)}"') == 2
    policy = first.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert f"style-src 'self' 'nonce-{_nonce(first)}';" in policy
    assert "connect-src 'self' ws://test wss://test;" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert first.headers["cache-control"] == "no-store"
    assert first.headers["x-content-type-options"] == "nosniff"
    assert first.headers["x-frame-options"] == "DENY"


async def test_client_routes_get_the_app_page_only_when_a_browser_asks(
    dist: Path, client: httpx.AsyncClient
) -> None:
    page = await client.get("/customers/Q3VzdG9tZXI6MQ%3D%3D", headers=HTML)
    assert page.status_code == 200 and "app-1a2b.js" in page.text
    api_client = await client.get("/customers/Q3VzdG9tZXI6MQ%3D%3D")
    assert api_client.status_code == 404
    assert api_client.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_hashed_assets_are_cached_for_good_and_nothing_else_is_served(
    dist: Path, client: httpx.AsyncClient
) -> None:
    asset = await client.get("/assets/app-1a2b.js")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-type"].startswith("text/javascript")
    # (A bare ../ is resolved by the client; an encoded one reaches the server as ..)
    for path in ("/assets/missing.js", "/assets/%2e%2e/secret.txt", "/assets/%2e%2e/index.html"):
        response = await client.get(path, headers=HTML)
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_graphiql_is_the_built_page_and_only_it_allows_style_attributes(
    dist: Path, client: httpx.AsyncClient
) -> None:
    response = await client.get("/graphql", headers=HTML)
    assert response.status_code == 200
    assert "graphiql-3c4d.js" in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "style-src-attr 'unsafe-inline'" in policy
    app = await client.get("/", headers=HTML)
    assert "style-src-attr" not in app.headers["content-security-policy"]


async def test_without_a_build_the_server_says_how_to_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: httpx.AsyncClient
) -> None:
    monkeypatch.setattr(webapp, "DIST_DIR", tmp_path / "nothing")
    app = await client.get("/", headers=HTML)
    assert app.status_code == 503
    error = app.json()["errors"][0]
    assert error["extensions"]["code"] == "WEBAPP_NOT_BUILT"
    assert "make run" in error["message"]
    graphiql = await client.get("/graphql", headers=HTML)
    assert graphiql.status_code == 200
    assert "GraphiQL is not built" in graphiql.text
    assert graphiql.headers["content-security-policy"] == "default-src 'none'"


async def test_api_paths_stay_the_api_s(dist: Path, client: httpx.AsyncClient) -> None:
    health = await client.get("/healthz", headers=HTML)
    assert health.json() == {"status": "ok"}
    wrong_method = await client.post("/healthz")
    assert wrong_method.status_code == 405
