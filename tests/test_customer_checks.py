"""services.customer_checks: a new customer's input (DOMAIN.md §7), good and bad values."""

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.customer_checks import (
    COUNTRIES,
    REGISTRATION_NUMBER_COUNTRIES,
    check_company_name,
    check_contact_name,
    check_country,
    check_domain_prefix,
    check_email,
)
from services.errors import DomainError

PARTNER_DOMAINS = ["partner.com", " Reseller.EXAMPLE "]


def refused(check: Callable[[str], str], value: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        check(value)
    return caught.value


def email(value: str) -> str:
    return check_email(value, PARTNER_DOMAINS)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("contoso", "contoso"),
        ("Contoso2026", "contoso2026"),
        ("  Fabrikam ", "fabrikam"),
        ("a", "a"),
        ("7", "7"),
        ("X" * 63, "x" * 63),
    ],
)
def test_good_domain_prefixes(value: str, stored: str) -> None:
    assert check_domain_prefix(value) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("x" * 64, "at most 63 characters"),
        ("contoso-ltd", "only the letters a-z and the digits 0-9"),
        ("contoso.onmicrosoft.com", "the part before .onmicrosoft.com"),
        ("con toso", "no spaces"),
        ("contoso_", "a-z"),
        ("café", "accents"),
        ("ｃｏｎｔｏｓｏ", "a-z"),  # full-width letters are letters to str.isalnum
        ("١٢٣", "0-9"),  # Arabic-Indic digits are digits to str.isdigit
        ("con\x00toso", "control character"),
    ],
)
def test_bad_domain_prefixes(value: str, message: str) -> None:
    error = refused(check_domain_prefix, value)
    assert (error.code, error.field) == ("INVALID_INPUT", ("domainPrefix",))
    assert message in error.message and error.message.startswith("domainPrefix ")


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("Contoso", "Contoso"),
        ("  Fabrikam, Inc.  ", "Fabrikam, Inc."),
        ("AA", "AA"),
        ("3M", "3M"),
        ("A&B", "A&B"),
        ("AB Volvo", "AB Volvo"),
        ("Co-op Partners", "Co-op Partners"),
        ("Limited Edition Records", "Limited Edition Records"),
        ("Müller GmbH & Co. KG", "Müller GmbH & Co. KG"),
        ("株式会社ノースウィンド", "株式会社ノースウィンド"),
        ("99 Bottles", "99 Bottles"),
        ("ab" * 127 + "c", "ab" * 127 + "c"),
    ],
)
def test_good_company_names(value: str, stored: str) -> None:
    assert check_company_name(value) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "must not be empty"),
        (" \u3000 ", "must not be empty"),
        ("A", "at least 2 characters"),
        ("x" * 256, "at most 255 characters"),
        ("&$^#", "letters or digits, not only symbols"),
        ("--", "letters or digits"),
        ("1 2 3", 'single characters separated by spaces, such as "1 2 3"'),
        ("A B C", "single characters separated by spaces"),
        ("a b", "single characters separated by spaces"),
        ("999", 'one character repeated, such as "999"'),
        ("aaa", "one character repeated"),
        ("AaA", "one character repeated"),
        ("zz zz", "one character repeated"),
        ("LLC", "not only a legal form such as LLC or GmbH"),
        ("llc", "legal form"),
        ("L.L.C.", "legal form"),
        ("Inc.", "legal form"),
        ("GmbH", "legal form"),
        ("AG", "legal form"),
        ("S.A.R.L.", "legal form"),
        ("A/S", "legal form"),
        ("S. A.", "legal form"),
        ("Pty. Ltd.", "legal form"),
        ("Co., Ltd.", "legal form"),
        ("GmbH & Co. KG", "legal form"),
        ("Private Limited", "legal form"),
        ("Sp. z o.o.", "legal form"),
        ("Corp", "legal form"),
        ("Tab\tName", "control character"),
    ],
)
def test_bad_company_names(value: str, message: str) -> None:
    error = refused(check_company_name, value)
    assert (error.code, error.field) == ("INVALID_COMPANY_NAME", ("companyName",))
    assert message in error.message and error.message.startswith("companyName ")


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("Ann Lee", "Ann Lee"),
        ("  Jean-Luc Picard ", "Jean-Luc Picard"),
        ("Seán O'Brien", "Seán O'Brien"),
        ("Björk", "Björk"),
        ("Ng", "Ng"),
        ("Na Li", "Na Li"),  # "na" alone is a placeholder; as part of a name it is a surname
        ("Maria Testa", "Maria Testa"),
        ("Ann Lee 3rd", "Ann Lee 3rd"),
        ("王伟", "王伟"),
        ("李", "李"),  # one Chinese character may be a name
        ("\U00020000", "\U00020000"),  # an ideograph outside the Basic Multilingual Plane
    ],
)
def test_good_contact_names(value: str, stored: str) -> None:
    assert check_contact_name(value) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "must not be empty"),
        ("x" * 201, "at most 200 characters"),
        ("A", "a full name, not a single letter"),
        ("J.", "single letter"),
        ("ア", "single letter"),  # kana are not Chinese characters
        ("한", "single letter"),
        ("12345", "letters, not only digits or symbols"),
        ("--", "not only digits or symbols"),
        ("😀😀", "not only digits or symbols"),
        ("test", "not a placeholder such as test or admin"),
        ("TEST", "placeholder"),
        ("Test User", "placeholder"),
        ("test_user", "placeholder"),
        ("admin", "placeholder"),
        ("Administrator", "placeholder"),
        ("nobody", "placeholder"),
        ("None", "placeholder"),
        ("N/A", "placeholder"),
        ("n.a.", "placeholder"),
        ("First Last", "placeholder"),
        ("Ann\nLee", "control character"),
    ],
)
def test_bad_contact_names(value: str, message: str) -> None:
    error = refused(check_contact_name, value)
    assert (error.code, error.field) == ("INVALID_CONTACT", ("adminName",))
    assert message in error.message and error.message.startswith("adminName ")


LOCAL_64 = "a" * 64
LONGEST = f"{LOCAL_64}@{'b' * 63}.{'c' * 63}.{'d' * 57}.com"  # 254 characters


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("ann@contoso.com", "ann@contoso.com"),
        ("Ann.Lee@Contoso.COM", "Ann.Lee@contoso.com"),
        ("  a+tag@mail.contoso.co.uk ", "a+tag@mail.contoso.co.uk"),
        ("o'brien_1@xn--bcher-kva.example", "o'brien_1@xn--bcher-kva.example"),
        ("ann@notmicrosoft.com", "ann@notmicrosoft.com"),
        ("ann@microsoft.com.example.org", "ann@microsoft.com.example.org"),
        ("ann@notpartner.com", "ann@notpartner.com"),
        ("ann@partner.com.au", "ann@partner.com.au"),
        (f"{LOCAL_64}@contoso.com", f"{LOCAL_64}@contoso.com"),
        (LONGEST, LONGEST),
    ],
)
def test_good_emails(value: str, stored: str) -> None:
    assert email(value) == stored


def test_the_longest_address_is_as_long_as_allowed() -> None:
    assert len(LONGEST) == 254 and LONGEST.index("@") == 64


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "must not be empty"),
        (LONGEST.replace("@", "@e"), "at most 254 characters"),
        (f"a{LOCAL_64}@contoso.com", "one address such as name@contoso.com"),
        ("ann", "such as name@contoso.com"),
        ("ann@", "such as name@contoso.com"),
        ("@contoso.com", "such as name@contoso.com"),
        ("ann@contoso", "such as name@contoso.com"),
        ("ann @contoso.com", "without spaces"),
        ("ann@con toso.com", "without spaces"),
        ("ann@@contoso.com", "such as name@contoso.com"),
        ("a@b@contoso.com", "such as name@contoso.com"),
        ("ann@contoso.com, bob@contoso.com", "one address"),
        (".ann@contoso.com", "such as name@contoso.com"),
        ("ann.@contoso.com", "such as name@contoso.com"),
        ("an..n@contoso.com", "such as name@contoso.com"),
        ('"ann"@contoso.com', "such as name@contoso.com"),
        ("ann@-contoso.com", "such as name@contoso.com"),
        ("ann@contoso-.com", "such as name@contoso.com"),
        ("ann@contoso..com", "such as name@contoso.com"),
        ("ann@contoso.com.", "such as name@contoso.com"),
        ("ann@[10.0.0.1]", "such as name@contoso.com"),
        ("ann@bücher.de", "such as name@contoso.com"),
        ("anné@contoso.com", "such as name@contoso.com"),
        (f"ann@{'b' * 64}.com", "such as name@contoso.com"),
        ("ann@microsoft.com", "the customer's own address, not one at microsoft.com"),
        ("Ann@MICROSOFT.com", "not one at microsoft.com"),
        ("ann@eu.microsoft.com", "not one at microsoft.com"),
        ("ann@partner.com", "the customer's own address, not one at your own domain partner.com"),
        ("ann@mail.Partner.com", "your own domain partner.com"),
        ("ann@reseller.example", "your own domain reseller.example"),
    ],
)
def test_bad_emails(value: str, message: str) -> None:
    error = refused(email, value)
    assert (error.code, error.field) == ("INVALID_EMAIL", ("adminEmail",))
    assert message in error.message and error.message.startswith("adminEmail ")


def test_forbidden_domains_may_be_any_iterable() -> None:
    assert check_email("ann@contoso.com", iter(())) == "ann@contoso.com"
    with pytest.raises(DomainError):
        check_email("ann@contoso.com", (domain for domain in ["CONTOSO.com"]))


def test_one_forbidden_domain_as_a_str_is_a_programming_error() -> None:
    # Iterated, "contoso.com" would forbid the one-letter domains "c", "o", ...: never the caller's
    # intent.
    with pytest.raises(TypeError, match="not one str"):
        check_email("ann@contoso.com", "partner.com")


@pytest.mark.parametrize(
    ("value", "stored"), [("US", "US"), ("de", "DE"), (" gb ", "GB"), ("Ax", "AX"), ("ss", "SS")]
)
def test_good_countries(value: str, stored: str) -> None:
    assert check_country(value) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "must not be empty"),
        ("USA", "at most 2 characters"),
        ("UK", "an ISO 3166-1 alpha-2 code such as US or DE, not 'UK'"),
        ("EU", "not 'EU'"),
        ("XK", "not 'XK'"),
        ("ZZ", "ISO 3166-1 alpha-2"),
        ("U", "ISO 3166-1 alpha-2"),
        ("1A", "ISO 3166-1 alpha-2"),
        ("ﬁ", "ISO 3166-1 alpha-2"),  # "ﬁ".upper() == "FI", Finland
        ("ＵＳ", "ISO 3166-1 alpha-2"),
    ],
)
def test_bad_countries(value: str, message: str) -> None:
    error = refused(check_country, value)
    assert (error.code, error.field) == ("INVALID_COUNTRY", ("country",))
    assert message in error.message and error.message.startswith("country ")


def test_every_assigned_country_is_accepted() -> None:
    assert len(COUNTRIES) == 249
    assert all(len(code) == 2 and code.isascii() and code.isupper() for code in COUNTRIES)
    assert {check_country(code.lower()) for code in COUNTRIES} == COUNTRIES


def test_registration_number_countries_are_countries() -> None:
    assert len(REGISTRATION_NUMBER_COUNTRIES) == 11
    assert REGISTRATION_NUMBER_COUNTRIES <= COUNTRIES


CHECKS: list[tuple[Callable[[str], str], str, tuple[str, ...]]] = [
    (check_domain_prefix, "INVALID_INPUT", ("domainPrefix",)),
    (check_company_name, "INVALID_COMPANY_NAME", ("companyName",)),
    (check_contact_name, "INVALID_CONTACT", ("adminName",)),
    (email, "INVALID_EMAIL", ("adminEmail",)),
    (check_country, "INVALID_COUNTRY", ("country",)),
]


@pytest.mark.parametrize(("check", "code", "field"), CHECKS)
@given(
    value=st.text(max_size=300)
    | st.from_regex(r"[a-z0-9.+]{1,20}@[a-z0-9-]{1,20}\.[a-z]{2,5}", fullmatch=True)
)
def test_any_text_is_stored_or_refused_with_the_checks_code(
    check: Callable[[str], str], code: str, field: tuple[str, ...], value: str
) -> None:
    # No input escapes as another exception, and what is stored passes its check unchanged.
    try:
        stored = check(value)
    except DomainError as error:
        assert (error.code, error.field) == (code, field)
    else:
        assert check(stored) == stored
