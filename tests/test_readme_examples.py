"""The README's examples work as printed: in order, as Alice Admin, on the demo data that
`make run` loads, every one answers without errors or userErrors (the ids they name are the
demo's), on both engines. The web app offers the same blocks as GraphiQL's tabs."""

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cli import demo
from infra.database import Database
from settings import Settings
from tests.clients import app_client

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## Examples to paste into GraphiQL"


def examples() -> list[str]:
    """Every ```graphql block of the section, as webapp/plugins/readmeExamples.ts reads it."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION) + len(SECTION) :]
    following = re.search(r"^## ", section, re.MULTILINE)
    if following is not None:
        section = section[: following.start()]
    return re.findall(r"^```graphql\n([\s\S]*?)^```$", section, re.MULTILINE)


@pytest.fixture
async def alice(settings: Settings, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with database.write_sessions.begin() as session:
        keys = {key.name: key.token for key in await demo.seed_demo(session)}
    async with app_client(settings, database) as client:
        client.headers["Authorization"] = f"Bearer {keys['Alice Admin']}"
        yield client


def _user_errors(data: Any) -> list[Any]:
    if isinstance(data, dict):
        found = list(data.get("userErrors") or [])
        return found + [e for value in data.values() for e in _user_errors(value)]
    return []


async def test_every_example_works_on_the_demo_data(alice: httpx.AsyncClient) -> None:
    found = examples()
    assert len(found) >= 11
    for example in found:
        response = await alice.post("/graphql", json={"query": example})
        assert response.status_code == 200, (example, response.text)
        body = response.json()
        assert "errors" not in body, (example, body)
        assert _user_errors(body["data"]) == [], (example, body)
