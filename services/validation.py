"""Checks on client-supplied text, run before anything is read or written."""

import unicodedata

from services.errors import DomainError

# Control characters (NUL included) and lone surrogates: no database stores the latter.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cs"})


def clean_text(
    value: str, field: tuple[str, ...], *, max_length: int, code: str = "INVALID_INPUT"
) -> str:
    """Strip surrounding whitespace; reject empty, over-long or control characters."""
    text = value.strip()
    if not text:
        raise DomainError(code, f"{field[-1]} must not be empty", field)
    if len(text) > max_length:
        raise DomainError(code, f"{field[-1]} must be at most {max_length} characters", field)
    if any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in text):
        raise DomainError(code, f"{field[-1]} contains a control character", field)
    return text


def check_opaque(
    value: str, field: tuple[str, ...], *, max_length: int, code: str = "INVALID_INPUT"
) -> str:
    """Keys and ids the client chooses: compared byte for byte, never trimmed."""
    if not value or len(value) > max_length:
        raise DomainError(code, f"{field[-1]} must be 1 to {max_length} characters", field)
    if any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in value):
        raise DomainError(code, f"{field[-1]} contains a control character", field)
    return value
