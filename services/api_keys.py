"""API keys: 256 random bits, stored only as a SHA-256 hash, compared in constant time.

A token reads `csp_<key id>_<secret>`: the key id finds the row, the secret proves possession.
A fast hash suffices because the secret is random, not a password.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from models import ApiKey, Principal
from models.base import utcnow
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


async def authenticate(db: AsyncSession | AsyncConnection, token: str) -> Viewer | None:
    """The viewer a token stands for, or None if it is malformed, unknown, revoked or expired.

    Columns, not ORM objects: this runs on every request."""
    parsed = parse_token(token)
    if parsed is None:
        return None
    key_id, secret = parsed
    now = utcnow()
    stmt = (
        select(
            ApiKey.secret_hash,
            Principal.id,
            Principal.name,
            Principal.role,
            Principal.partner_id,
            Principal.customer_id,
        )
        .join(Principal, Principal.id == ApiKey.principal_id)
        .where(
            ApiKey.key_id == key_id,
            ApiKey.revoked_at.is_(None),
            or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now),
        )
    )
    found = (await db.execute(stmt)).one_or_none()
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


async def find_principal(session: AsyncSession, name_or_id: str) -> Principal:
    condition = Principal.name == name_or_id
    if name_or_id.isdigit():
        condition = or_(condition, Principal.id == int(name_or_id))
    principal = (await session.scalars(select(Principal).where(condition))).first()
    if principal is None:
        raise DomainError("NOT_FOUND", f"no principal named or numbered {name_or_id!r}")
    return principal
