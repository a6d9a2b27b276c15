"""API keys: 256 random bits, stored only as a SHA-256 hash, compared in constant time.

A token reads `csp_<key id>_<secret>`: the key id finds the row, the secret proves possession.
A fast hash suffices because the secret is random, not a password.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, bindparam, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from models import ApiKey, Principal
from models.base import MAX_ID, UtcDateTime, utcnow
from services.errors import DomainError
from services.viewer import Viewer

PREFIX = "csp"
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True)
class IssuedKey:
    key_id: str
    token: str


def _hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


async def issue_key(
    session: AsyncSession, principal_id: int, expires_at: datetime | None = None
) -> IssuedKey:
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    session.add(
        ApiKey(
            key_id=key_id,
            secret_hash=_hash(secret),
            principal_id=principal_id,
            created_at=utcnow(),
            expires_at=expires_at,
            revoked_at=None,
        )
    )
    await session.flush()
    return IssuedKey(key_id=key_id, token=f"{PREFIX}_{key_id}_{secret}")


async def revoke_key(session: AsyncSession, key_id: str) -> None:
    stmt = (
        update(ApiKey)
        .where(ApiKey.key_id == key_id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if (await session.execute(stmt)).rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError("NOT_FOUND", f"no active API key {key_id!r}")


def parse_token(token: str) -> tuple[str, str] | None:
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    prefix, _, rest = token.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != PREFIX or len(key_id) != 16 or not secret:
        return None
    return key_id, secret


def _usable(key_id: str) -> tuple[ColumnElement[bool], ...]:
    """A key that may be used now: the one definition of it, for both checks below.
    Bound parameters, not values: the statements are built once and cached compiled."""
    return (
        ApiKey.key_id == bindparam(key_id, type_=String),
        ApiKey.revoked_at.is_(None),
        or_(
            ApiKey.expires_at.is_(None), ApiKey.expires_at > bindparam("key_now", type_=UtcDateTime)
        ),
    )


# Columns, not ORM objects: this runs on every request that a known key does not skip.
_AUTHENTICATE = (
    select(
        ApiKey.secret_hash,
        Principal.id,
        Principal.name,
        Principal.role,
        Principal.partner_id,
        Principal.customer_id,
    )
    .join(Principal, Principal.id == ApiKey.principal_id)
    .where(*_usable("key_id"))
)


def still_usable() -> ColumnElement[bool]:
    """Whether a known key may still be used: a column for a compiled plan's statement, so that
    a revoked or expired key is refused without a round trip of its own. Bind with
    `still_usable_parameters`."""
    return exists().where(*_usable("known_key_id"))


def still_usable_parameters(viewer: Viewer) -> dict[str, Any]:
    return {"known_key_id": viewer.key_id, "key_now": utcnow()}


async def usable(db: AsyncSession | AsyncConnection, viewer: Viewer) -> bool:
    """Whether the key the viewer came with may still be used."""
    stmt = select(still_usable())
    return bool(await db.scalar(stmt, still_usable_parameters(viewer)))


async def authenticate(db: AsyncSession | AsyncConnection, token: str) -> Viewer | None:
    """The viewer a token stands for, or None if it is malformed, unknown, revoked or expired."""
    parsed = parse_token(token)
    if parsed is None:
        return None
    key_id, secret = parsed
    found = (await db.execute(_AUTHENTICATE, {"key_id": key_id, "key_now": utcnow()})).one_or_none()
    if found is None or not hmac.compare_digest(found.secret_hash, _hash(secret)):
        return None
    return Viewer(
        principal_id=found.id,
        name=found.name,
        role=found.role,
        partner_id=found.partner_id,
        customer_id=found.customer_id,
        key_id=key_id,
    )


async def find_principal(session: AsyncSession, name_email_or_id: str) -> Principal:
    """The one principal with this name, e-mail address or id; names repeat, so several
    matches are refused with their ids rather than guessed between."""
    text = name_email_or_id.strip()
    conditions = [Principal.name == text, Principal.email == text]
    if text.isdigit() and int(text) <= MAX_ID:  # larger: no id, and PostgreSQL would refuse it
        conditions.append(Principal.id == int(text))
    stmt = select(Principal).where(or_(*conditions)).order_by(Principal.id)
    found = (await session.scalars(stmt)).all()
    if not found:
        raise DomainError("NOT_FOUND", f"no principal has the name, e-mail or id {text!r}")
    if len(found) > 1:
        ids = ", ".join(str(principal.id) for principal in found)
        raise DomainError(
            "INVALID_INPUT",
            f"{text!r} matches {len(found)} principals (ids {ids}): give the e-mail or id",
        )
    return found[0]
