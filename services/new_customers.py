"""Creating a customer on a partner's behalf (API.md version 2, DOMAIN.md §7): the account, the
reseller relationship, and its first administrator, in one transaction.

The database decides races: the domain and the administrator's e-mail are unique columns. A
create that loses a race to a concurrent one runs again (RetryableConflict) and then sees the
winner: DOMAIN_TAKEN, or, for the same idempotency key, the winner's customer.

Choices:
- An e-mail address that is already a principal's is INVALID_EMAIL (a person signs in once).
- A replay of the same key and input returns the first customer even with validateOnly: the
  request it validates has been carried out.
"""

from dataclasses import asdict, dataclass

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from infra.transactions import RetryableConflict
from models import Customer, Partner, PartnerCustomer, Principal
from models.base import utcnow
from services import activity, customer_checks, idempotency
from services.access import can_create_customers, visible_customers
from services.activity import Actor
from services.errors import DomainError
from services.viewer import Viewer

CREATE_CUSTOMER = "CREATE_CUSTOMER"
DOMAIN_SUFFIX = ".onmicrosoft.com"


@dataclass(frozen=True)
class NewCustomer:
    """What the client asked for; after `_checked`, as it is to be stored."""

    company_name: str
    domain_prefix: str
    country: str
    admin_name: str
    admin_email: str

    @property
    def domain(self) -> str:
        return f"{self.domain_prefix}{DOMAIN_SUFFIX}"


async def create_customer(
    session: AsyncSession,
    viewer: Viewer,
    request: NewCustomer,
    idempotency_key: str | None = None,
    validate_only: bool = False,
) -> Customer | None:
    """The new customer, the first one again for a repeated key, or None after validateOnly."""
    if not can_create_customers(viewer):
        raise DomainError("FORBIDDEN", "your role may not create customers")
    partner = await session.get_one(Partner, viewer.partner_id)
    checked = _checked(request, partner)
    request_hash = idempotency.fingerprint(CREATE_CUSTOMER, asdict(checked))
    # Taken first, the key second: a concurrent create with this key that committed in between
    # is then seen by the key's lookup (a later statement sees at least what an earlier one
    # saw), and its customer is the answer rather than DOMAIN_TAKEN.
    taken = await _taken(session, checked)
    if idempotency_key is not None:
        first = await idempotency.first_answer(session, viewer, idempotency_key, request_hash)
        if first is not None:
            return await _replay(session, viewer, first.customer_id)
    if taken is not None:
        raise taken
    if validate_only:
        return None
    customer = await _insert(session, partner, checked)
    after = {
        "companyName": customer.company_name,
        "domain": customer.domain,
        "country": customer.country,
    }
    await activity.record_customer(session, Actor.of(viewer), customer, CREATE_CUSTOMER, after)
    if idempotency_key is not None:
        await idempotency.remember(
            session, viewer, idempotency_key, request_hash, utcnow(), customer_id=customer.id
        )
    await session.flush()
    return customer


def _checked(request: NewCustomer, partner: Partner) -> NewCustomer:
    """The input as it is to be stored, in the order the form shows it; the first problem
    raises."""
    return NewCustomer(
        company_name=customer_checks.check_company_name(request.company_name),
        domain_prefix=customer_checks.check_domain_prefix(request.domain_prefix),
        country=customer_checks.check_country(request.country),
        admin_name=customer_checks.check_contact_name(request.admin_name),
        admin_email=customer_checks.check_email(
            request.admin_email, [] if partner.domain is None else [partner.domain]
        ),
    )


async def _taken(session: AsyncSession, checked: NewCustomer) -> DomainError | None:
    """What the unique constraints would refuse, as its refusal, so that it is refused before
    anything is written (validateOnly too). One statement: one snapshot for both."""
    stmt = select(
        exists().where(Customer.domain == checked.domain),
        exists().where(Principal.email == checked.admin_email),
    )
    domain_taken, email_used = (await session.execute(stmt)).one()
    if domain_taken:
        return DomainError(
            "DOMAIN_TAKEN",
            f"{checked.domain} is already in use: choose another domainPrefix",
            ("domainPrefix",),
        )
    if email_used:
        return DomainError(
            "INVALID_EMAIL",
            f"{checked.admin_email} is already another user's address: give the new "
            "administrator's own",
            ("adminEmail",),
        )
    return None


async def _insert(session: AsyncSession, partner: Partner, checked: NewCustomer) -> Customer:
    """The customer, its partner of record and its administrator. A unique violation means a
    concurrent create won: run again, and its checks see the winner."""
    customer = Customer(
        company_name=checked.company_name,
        domain=checked.domain,
        country=checked.country,
        currency=partner.currency,
        created_by_partner_id=partner.id,
        created_at=utcnow(),
    )
    try:
        session.add(customer)
        await session.flush()
        session.add(PartnerCustomer(partner_id=partner.id, customer_id=customer.id))
        session.add(
            Principal(
                name=checked.admin_name,
                email=checked.admin_email,
                role="CUSTOMER_ADMIN",
                partner_id=None,
                customer_id=customer.id,
            )
        )
        await session.flush()
    except IntegrityError as error:
        raise RetryableConflict from error
    return customer


async def _replay(session: AsyncSession, viewer: Viewer, customer_id: int | None) -> Customer:
    stmt = select(Customer).where(Customer.id == customer_id, visible_customers(viewer))
    replayed = (await session.scalars(stmt)).one_or_none()
    if replayed is None:
        # The reseller relationship has ended since.
        raise DomainError(
            "NOT_FOUND", "the customer this key created is no longer yours", idempotency.FIELD
        )
    return replayed
