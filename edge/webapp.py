"""The web app and GraphiQL, as Vite builds them into webapp/dist, under a strict CSP.

Each HTML response gets a fresh nonce in place of the build's placeholder: the policy admits
scripts and stylesheets from this origin only, and <style> elements only with that nonce (Fluent
UI and GraphiQL's editor insert their styles at run time, with the nonce the page carries).
Hashed assets are cached for good; the pages never, since each carries its own nonce.
"""

import re
import secrets
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from edge.responses import error_response

PROJECT_DIR = Path(__file__).resolve().parent.parent
DIST_DIR = PROJECT_DIR / "webapp" / "dist"
NONCE_PLACEHOLDER = "__CSP_NONCE__"
APP_PAGE = "index.html"
GRAPHIQL_PAGE = "graphiql.html"
BUILD_HINT = "run `make run` (or `make webapp`): it builds webapp/dist"

_HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")
_HARDENING = {
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_PAGE_HARDENING = {
    **_HARDENING,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def routes() -> list[BaseRoute]:
    """Hashed assets, then the app's page for `/` and every client route (after the API's own
    routes, so that a path the API knows is never the app's)."""
    return [
        Route("/assets/{path:path}", _asset, methods=["GET"]),
        Route("/{path:path}", _app_page, methods=["GET"]),
    ]


def graphiql_page(request: Request) -> Response:
    """GraphiQL, built with the app: no CDN, no request leaves this origin."""
    page = _page(GRAPHIQL_PAGE, request, graphiql=True)
    if page is not None:
        return page
    # The browser asked for a page: it gets one that says what to do, instead of a blank one.
    message = f"<p>GraphiQL is not built: {BUILD_HINT}.</p>"
    headers = {**_PAGE_HARDENING, "Content-Security-Policy": "default-src 'none'"}
    return HTMLResponse(f"<!doctype html><title>GraphiQL</title>{message}", headers=headers)


async def _app_page(request: Request) -> Response:
    path: str = request.path_params["path"]
    # A client route is what a browser navigates to; anything else unknown stays a coded 404.
    if path and "text/html" not in request.headers.get("accept", ""):
        raise HTTPException(404)
    page = _page(APP_PAGE, request, graphiql=False)
    if page is None:
        return error_response(503, "WEBAPP_NOT_BUILT", f"the web app is not built: {BUILD_HINT}")
    return page


async def _asset(request: Request) -> Response:
    assets = (DIST_DIR / "assets").resolve()
    wanted = (assets / request.path_params["path"]).resolve()
    if not wanted.is_relative_to(assets) or not wanted.is_file():
        raise HTTPException(404)
    headers = {**_HARDENING, "Cache-Control": "public, max-age=31536000, immutable"}
    return FileResponse(wanted, headers=headers)


def _page(name: str, request: Request, *, graphiql: bool) -> Response | None:
    try:
        html = (DIST_DIR / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    nonce = secrets.token_urlsafe(18)
    headers = {**_PAGE_HARDENING, "Content-Security-Policy": policy(nonce, request, graphiql)}
    return HTMLResponse(html.replace(NONCE_PLACEHOLDER, nonce), headers=headers)


def policy(nonce: str, request: Request, graphiql: bool) -> str:
    """Everything from this origin only; <style> elements with this response's nonce; images also
    as data: URIs (the favicon is an empty one). GraphiQL's editor (Monaco) writes its lines as
    HTML with style attributes, so that page alone allows style attributes (never elements,
    never scripts)."""
    host = request.headers.get("host", "")
    # CSP 3 lets 'self' match the same host's ws:/wss:, but older browsers do not: name them.
    sockets = f" ws://{host} wss://{host}" if _HOST.match(host) else ""
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        f"style-src 'self' 'nonce-{nonce}'",
        "img-src 'self' data:",
        f"connect-src 'self'{sockets}",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    if graphiql:
        # Monaco's icon font comes as a data: URI inside GraphiQL's stylesheet.
        directives += ["style-src-attr 'unsafe-inline'", "font-src 'self' data:"]
    return "; ".join(directives)
