"""API keys: the token's shape, hash-only storage, and every way authentication says no."""

import hashlib
import re
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

import models
from infra.database import Database
from models.base import utcnow
from services import api_keys
from services.api_keys import IssuedKey
from services.errors import DomainError
from services.viewer import Viewer
from tests.factories import World, viewer_of

TOKEN = re.compile(r"csp_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")


async def issue(
    database: Database, world: World, role: str, expires_at: datetime | None = None
) -> IssuedKey:
    async with database.write_sessions.begin() as s:
        return await api_keys.issue_key(s, world.principals[role].id, expires_at)


async def authenticate(database: Database, token: str) -> Viewer | None:
    """In a fresh session, so that each call sees what was committed before it."""
    async with database.read_sessions() as s:
        return await api_keys.authenticate(s, token)


async def revoke(database: Database, key_id: str) -> None:
    async with database.write_sessions.begin() as s:
        await api_keys.revoke_key(s, key_id)


def viewer_with_key(world: World, role: str, key_id: str) -> Viewer:
    """The principal's viewer, as authenticated through the key `key_id`."""
    return replace(world.viewer(role), key_id=key_id)


async def key_with_secret(database: Database, world: World, key_id: str, secret: str) -> str:
    """A key whose secret is chosen by the test, as only a row written directly allows."""
    async with database.write_sessions.begin() as s:
        s.add(
            models.ApiKey(
                key_id=key_id,
                secret_hash=hashlib.sha256(secret.encode()).digest(),
                principal_id=world.principals["GLOBAL_ADMIN"].id,
                created_at=utcnow(),
                expires_at=None,
                revoked_at=None,
            )
        )
    return f"csp_{key_id}_{secret}"


# --- issuing ---------------------------------------------------------------------------------


async def test_token_shape(database: Database, world: World) -> None:
    issued = await issue(database, world, "GLOBAL_ADMIN")
    match = TOKEN.fullmatch(issued.token)
    assert match is not None, issued.token
    assert match.group(1) == issued.key_id
    other = await issue(database, world, "GLOBAL_ADMIN")
    assert other.key_id != issued.key_id
    assert other.token.split("_", 2)[2] != issued.token.split("_", 2)[2]


async def test_only_a_hash_of_the_secret_is_stored(
    database: Database, world: World, session: AsyncSession
) -> None:
    issued = await issue(database, world, "SALES_AGENT")
    secret = issued.token.split("_", 2)[2]

    row = (
        await session.scalars(select(models.ApiKey).where(models.ApiKey.key_id == issued.key_id))
    ).one()
    assert row.secret_hash == hashlib.sha256(secret.encode()).digest()
    assert len(row.secret_hash) == 32
    assert (row.principal_id, row.expires_at, row.revoked_at) == (
        world.principals["SALES_AGENT"].id,
        None,
        None,
    )
    # The raw row, every column: the secret appears nowhere, as text or as bytes.
    [raw] = (await session.execute(text("SELECT * FROM api_keys"))).all()
    for value in raw:
        if isinstance(value, bytes | bytearray | memoryview):
            assert secret.encode() not in bytes(value)
        assert secret not in str(value)
        assert issued.token not in str(value)


async def test_expiry_is_stored(database: Database, world: World, session: AsyncSession) -> None:
    expires_at = (utcnow() + timedelta(days=30)).replace(microsecond=0)
    issued = await issue(database, world, "GLOBAL_ADMIN", expires_at)
    row = (
        await session.scalars(select(models.ApiKey).where(models.ApiKey.key_id == issued.key_id))
    ).one()
    assert row.expires_at == expires_at


# --- authenticating --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["GLOBAL_ADMIN", "HELPDESK_AGENT", "B_ADMIN", "CREATED_ADMIN"])
async def test_authenticate_returns_the_principals_viewer(
    database: Database, world: World, role: str
) -> None:
    issued = await issue(database, world, role)
    viewer = await authenticate(database, issued.token)
    principal = world.principals[role]
    assert viewer == replace(viewer_of(principal), key_id=issued.key_id)
    assert viewer is not None
    assert (viewer.principal_id, viewer.role, viewer.partner_id, viewer.customer_id) == (
        principal.id,
        principal.role,
        principal.partner_id,
        principal.customer_id,
    )


async def test_two_keys_of_two_principals_are_told_apart(database: Database, world: World) -> None:
    mine = await issue(database, world, "GLOBAL_ADMIN")
    theirs = await issue(database, world, "INDEPENDENT_ADMIN")
    assert await authenticate(database, mine.token) == viewer_with_key(
        world, "GLOBAL_ADMIN", mine.key_id
    )
    assert await authenticate(database, theirs.token) == viewer_with_key(
        world, "INDEPENDENT_ADMIN", theirs.key_id
    )
    # another key's secret with this key's id
    swapped = f"csp_{mine.key_id}_{theirs.token.split('_', 2)[2]}"
    assert await authenticate(database, swapped) is None


async def test_wrong_secret(database: Database, world: World) -> None:
    issued = await issue(database, world, "GLOBAL_ADMIN")
    last = issued.token[-1]
    wrong = issued.token[:-1] + ("A" if last != "A" else "B")
    assert await authenticate(database, wrong) is None
    assert await authenticate(database, issued.token + "x") is None
    assert await authenticate(database, issued.token[:-1]) is None
    assert await authenticate(database, issued.token) is not None


async def test_unknown_key_id(database: Database, world: World) -> None:
    issued = await issue(database, world, "GLOBAL_ADMIN")
    other_id = "f" * 16 if issued.key_id != "f" * 16 else "e" * 16
    forged = f"csp_{other_id}_{issued.token.split('_', 2)[2]}"
    assert await authenticate(database, forged) is None


async def test_malformed_tokens(database: Database, world: World) -> None:
    issued = await issue(database, world, "GLOBAL_ADMIN")
    secret = issued.token.split("_", 2)[2]
    tokens = {
        "empty": "",
        "prefix only": "csp_",
        "no prefix": f"{issued.key_id}_{secret}",
        "wrong prefix": f"key_{issued.key_id}_{secret}",
        "upper-case prefix": f"CSP_{issued.key_id}_{secret}",
        "with the scheme": f"Bearer {issued.token}",
        "no secret": f"csp_{issued.key_id}_",
        "short key id": f"csp_{issued.key_id[:-1]}_{secret}",
        "long key id": f"csp_{issued.key_id}0_{secret}",
        "surrounded by spaces": f" {issued.token} ",
        "NUL inside": f"csp_{issued.key_id}_\x00{secret}",
    }
    found = {label: await authenticate(database, token) for label, token in tokens.items()}
    assert found == dict.fromkeys(tokens)
    # the well-formed token of the same key works
    assert await authenticate(database, issued.token) == viewer_with_key(
        world, "GLOBAL_ADMIN", issued.key_id
    )


async def test_tokens_over_200_characters_are_refused(database: Database, world: World) -> None:
    # "csp_" + 16 + "_" is 21 characters: a 179-character secret makes a 200-character token.
    longest = await key_with_secret(database, world, "0123456789abcdef", "s" * 179)
    assert len(longest) == 200
    assert await authenticate(database, longest) == viewer_with_key(
        world, "GLOBAL_ADMIN", "0123456789abcdef"
    )
    too_long = await key_with_secret(database, world, "fedcba9876543210", "s" * 180)
    assert len(too_long) == 201
    assert await authenticate(database, too_long) is None
    assert await authenticate(database, "csp_" + "a" * 10_000) is None


async def test_revoked_key(database: Database, world: World, session: AsyncSession) -> None:
    issued = await issue(database, world, "GLOBAL_ADMIN")
    kept = await issue(database, world, "GLOBAL_ADMIN")
    started = utcnow()
    await revoke(database, issued.key_id)
    assert await authenticate(database, issued.token) is None
    assert await authenticate(database, kept.token) == viewer_with_key(
        world, "GLOBAL_ADMIN", kept.key_id
    )
    row = (
        await session.scalars(select(models.ApiKey).where(models.ApiKey.key_id == issued.key_id))
    ).one()
    assert row.revoked_at is not None
    assert started <= row.revoked_at <= utcnow()


async def test_expired_key(database: Database, world: World) -> None:
    just = await issue(database, world, "GLOBAL_ADMIN", utcnow() - timedelta(seconds=1))
    long_ago = await issue(database, world, "GLOBAL_ADMIN", utcnow() - timedelta(days=365))
    assert await authenticate(database, just.token) is None
    assert await authenticate(database, long_ago.token) is None


async def test_key_that_expires_later_works(database: Database, world: World) -> None:
    issued = await issue(database, world, "GLOBAL_ADMIN", utcnow() + timedelta(minutes=5))
    assert await authenticate(database, issued.token) == viewer_with_key(
        world, "GLOBAL_ADMIN", issued.key_id
    )


# --- revoking --------------------------------------------------------------------------------


async def count_keys(database: Database) -> tuple[int, int]:
    async with database.read_sessions() as s:
        total = (await s.scalars(select(func.count()).select_from(models.ApiKey))).one()
        revoked = (
            await s.scalars(select(func.count()).where(models.ApiKey.revoked_at.is_not(None)))
        ).one()
    return total, revoked


async def test_revoking_an_unknown_key_is_not_found(database: Database, world: World) -> None:
    await issue(database, world, "GLOBAL_ADMIN")
    for key_id in ("0000000000000000", "", "not a key id"):
        with pytest.raises(DomainError) as caught:
            await revoke(database, key_id)
        assert (caught.value.code, caught.value.field) == ("NOT_FOUND", None)
    assert await count_keys(database) == (1, 0)


async def test_revoking_twice_is_not_found(database: Database, world: World) -> None:
    issued = await issue(database, world, "GLOBAL_ADMIN")
    await revoke(database, issued.key_id)
    async with database.read_sessions() as s:
        stmt = select(models.ApiKey.revoked_at).where(models.ApiKey.key_id == issued.key_id)
        first_revoked_at = (await s.scalars(stmt)).one()
    with pytest.raises(DomainError) as caught:
        await revoke(database, issued.key_id)
    assert caught.value.code == "NOT_FOUND"
    async with database.read_sessions() as s:
        assert (await s.scalars(stmt)).one() == first_revoked_at
