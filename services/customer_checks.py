"""Checks on a new customer's input (DOMAIN.md §7, "Creating a customer", after [CC] and [VN]).

Each check returns the value as it is to be stored or raises `DomainError(code, message, field)`
whose message says what to fix. Trimming, emptiness, length and control characters are
`services.validation.clean_text`'s; whether a domain prefix is taken is the database's business.

Choices (where DOMAIN.md §7 or Microsoft leaves room):
- Domain prefix: ASCII letters and digits, 1–63 characters (a DNS label), stored lowercase.
- Company name: 2–255 characters ([VN]). A bare legal form is a legal form however dotted or
  spaced ("L. L. C.", "A/S"), or a name whose words (split at spaces and `. , & / _ -`) are all
  legal forms ("Pty. Ltd.", "GmbH & Co. KG"); "Contoso Ltd" and "A&B" are company names. The
  list is Microsoft's restricted list ([VN]) plus common European forms. "One character repeated"
  ignores case and spaces ("AAA", "aa aa"), so it refuses even a real "AAA", as Partner Center does.
- Contact name: "one character" counts letters ("J." is one), and a single CJK ideograph is a
  whole name ([VN]: Chinese names excepted). A placeholder is a name made only of placeholder words
  ("Test User", "N/A"); "NA" alone is refused with them, "Na Li" is not. At most 200 characters
  (ours: the width of the other name columns).
- E-mail: a dot-atom local part (at most 64 characters) @ a host name of two or more labels, at
  most 254 characters in all: no quoted local parts, IP literals or raw Unicode (international
  domains in their xn-- form). Refused at microsoft.com and at the partner's domains, with their
  subdomains. Stored with the domain lowercased; the local part is kept as typed (RFC 5321).
- Country: ISO 3166-1 alpha-2, the 249 assigned codes; XK (Kosovo, user-assigned), UK and EU
  (reserved) are not among them.
"""

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

from services.errors import DomainError
from services.validation import clean_text

MAX_DOMAIN_PREFIX: Final = 63
MIN_COMPANY_NAME: Final = 2
MAX_COMPANY_NAME: Final = 255
MAX_CONTACT_NAME: Final = 200
MAX_EMAIL: Final = 254
MAX_EMAIL_LOCAL_PART: Final = 64

# fmt: off
# Legal forms as words, casefolded; a few only as the compound they form ("private limited").
LEGAL_FORMS: Final = frozenset({
    "ab", "ag", "aps", "as", "bhd", "bv", "co", "company", "corp", "corporation", "cpa", "gmbh",
    "inc", "incorporated", "kft", "kg", "kk", "lda", "limited", "llc", "llp", "lp", "ltd", "nv",
    "ooo", "oy", "plc", "privatelimited", "pte", "pty", "pvt", "sa", "sarl", "sas", "sdn",
    "spa", "spzoo", "srl", "wll", "zrt",
})
PLACEHOLDER_NAMES: Final = frozenset({
    "abc", "admin", "administrator", "anonymous", "asdf", "demo", "dummy", "example", "fake",
    "first", "firstlast", "firstname", "last", "lastname", "na", "name", "nil", "nobody",
    "noname", "none", "noone", "null", "placeholder", "qwerty", "sample", "tbd", "test",
    "tester", "testing", "testuser", "unknown", "user", "username", "xxx",
})

# ISO 3166-1 alpha-2: every officially assigned code (249), by first letter.
COUNTRIES: Final = frozenset({
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ",
    "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW",
    "CX", "CY", "CZ",
    "DE", "DJ", "DK", "DM", "DO", "DZ",
    "EC", "EE", "EG", "EH", "ER", "ES", "ET",
    "FI", "FJ", "FK", "FM", "FO", "FR",
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT",
    "GU", "GW", "GY",
    "HK", "HM", "HN", "HR", "HT", "HU",
    "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT",
    "JE", "JM", "JO", "JP",
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ",
    "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
    "MT", "MU", "MV", "MW", "MX", "MY", "MZ",
    "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
    "OM",
    "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY",
    "QA",
    "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ",
    "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ",
    "UA", "UG", "UM", "US", "UY", "UZ",
    "VA", "VC", "VE", "VG", "VI", "VN", "VU",
    "WF", "WS",
    "YE", "YT",
    "ZA", "ZM", "ZW",
})
# fmt: on
# Partner Center requires organizationRegistrationNumber for customers in these countries and
# takes none elsewhere ([CC], DOMAIN.md §7). Unused until CreateCustomerInput has the field; then a
# missing number is REGISTRATION_NUMBER_REQUIRED.
REGISTRATION_NUMBER_COUNTRIES: Final = frozenset(
    {"AM", "AZ", "BY", "HU", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA"}
)

_DOMAIN_PREFIX: Final = re.compile(r"[A-Za-z0-9]+")
_ATOM: Final = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_EMAIL_LOCAL_PART: Final = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL_DOMAIN: Final = re.compile(rf"(?:{_LABEL}\.)+{_LABEL}")
# Marks inside one abbreviation ("S. A.", "A/S") versus marks between words ("GmbH & Co. KG"):
# "A&B" is not the legal form AB.
_ABBREVIATION_MARKS: Final = re.compile(r"[\s./]+")
_WORD_SEPARATORS: Final = re.compile(r"[\s.,&/_-]+")


def check_domain_prefix(value: str) -> str:
    """The prefix of `<prefix>.onmicrosoft.com`: ASCII letters and digits, returned lowercase."""
    field = ("domainPrefix",)
    text = clean_text(value, field, max_length=MAX_DOMAIN_PREFIX)
    if not _DOMAIN_PREFIX.fullmatch(text):
        message = (
            "domainPrefix is the part before .onmicrosoft.com and may contain only "
            "the letters a-z and the digits 0-9 (no spaces, hyphens, dots or accents)"
        )
        raise DomainError("INVALID_INPUT", message, field)
    return text.lower()


def check_company_name(value: str) -> str:
    """A company name Partner Center accepts ([VN]), trimmed."""
    field = ("companyName",)
    code = "INVALID_COMPANY_NAME"
    text = clean_text(value, field, max_length=MAX_COMPANY_NAME, code=code)
    problem = _company_name_problem(text)
    if problem is not None:
        raise DomainError(code, f"companyName {problem}", field)
    return text


def _company_name_problem(name: str) -> str | None:
    words = name.split()
    characters = "".join(words)
    if len(name) < MIN_COMPANY_NAME:
        return f"must be at least {MIN_COMPANY_NAME} characters"
    if not any(char.isalnum() for char in name):
        return "must contain letters or digits, not only symbols"
    if len(words) > 1 and all(len(word) == 1 for word in words):
        return 'must not be single characters separated by spaces, such as "1 2 3"'
    if len(characters) >= 3 and len(set(characters.casefold())) == 1:
        return 'must not be one character repeated, such as "999"'
    if _made_of(name, LEGAL_FORMS):
        return "must be the company's name, not only a legal form such as LLC or GmbH"
    return None


def check_contact_name(value: str) -> str:
    """The name of a real person, trimmed: the customer's first administrator."""
    field = ("adminName",)
    code = "INVALID_CONTACT"
    text = clean_text(value, field, max_length=MAX_CONTACT_NAME, code=code)
    letters = [char for char in text if char.isalpha()]
    if not letters:
        raise DomainError(code, "adminName must contain letters, not only digits or symbols", field)
    if len(letters) == 1 and not _is_cjk_ideograph(letters[0]):
        message = "adminName must be a full name, not a single letter"
        raise DomainError(code, message, field)
    if _made_of(text, PLACEHOLDER_NAMES):
        message = "adminName must be a real person's name, not a placeholder such as test or admin"
        raise DomainError(code, message, field)
    return text


def _is_cjk_ideograph(char: str) -> bool:
    # By name, so that every block (unified, extensions, compatibility) counts.
    return unicodedata.name(char, "").startswith(
        ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")
    )


def _made_of(text: str, vocabulary: frozenset[str]) -> bool:
    """Whether `text` is a word of `vocabulary` however dotted or spaced ("L. L. C.", "N/A"), or
    consists of such words only ("Pty. Ltd.", "Test User")."""
    folded = text.casefold()
    if _ABBREVIATION_MARKS.sub("", folded) in vocabulary:
        return True
    words = [word for word in _WORD_SEPARATORS.split(folded) if word]
    return bool(words) and all(word in vocabulary for word in words)


def check_email(value: str, forbidden_domains: Iterable[str]) -> str:
    """The administrator's address: the customer's own, not Microsoft's nor the partner's."""
    field = ("adminEmail",)
    code = "INVALID_EMAIL"
    # A str is an Iterable[str] too: "partner.com" would forbid the domains "p", "a", ...
    if isinstance(forbidden_domains, str):
        raise TypeError("forbidden_domains must be a collection of domains, not one str")
    text = clean_text(value, field, max_length=MAX_EMAIL, code=code)
    local, at, domain = text.rpartition("@")
    if not (at and _is_local_part(local) and _EMAIL_DOMAIN.fullmatch(domain)):
        message = "adminEmail must be one address such as name@contoso.com, without spaces"
        raise DomainError(code, message, field)
    domain = domain.lower()
    for forbidden, label in [("microsoft.com", "microsoft.com"), *_own(forbidden_domains)]:
        if domain == forbidden or domain.endswith(f".{forbidden}"):
            message = f"adminEmail must be the customer's own address, not one at {label}"
            raise DomainError(code, message, field)
    return f"{local}@{domain}"


def _is_local_part(local: str) -> bool:
    return len(local) <= MAX_EMAIL_LOCAL_PART and bool(_EMAIL_LOCAL_PART.fullmatch(local))


def _own(domains: Iterable[str]) -> list[tuple[str, str]]:
    """The partner's domains, each with how a message names it."""
    own = [domain.strip().lower() for domain in domains]
    return [(domain, f"your own domain {domain}") for domain in own if domain]


def check_country(value: str) -> str:
    """An assigned ISO 3166-1 alpha-2 code, returned upper-case."""
    field = ("country",)
    code = "INVALID_COUNTRY"
    text = clean_text(value, field, max_length=2, code=code)
    # isascii first: "ﬁ".upper() is "FI".
    if not text.isascii() or text.upper() not in COUNTRIES:
        message = f"country must be an ISO 3166-1 alpha-2 code such as US or DE, not {text!r}"
        raise DomainError(code, message, field)
    return text.upper()
