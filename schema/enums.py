from enum import Enum

import strawberry


@strawberry.enum(
    description="What a principal may do. Every partner role sees the partner's customers and "
    "their subscriptions sold by this partner or bought directly, never another partner's."
)
class Role(Enum):
    _value_: str  # strawberry.enum_value hides the str from mypy
    GLOBAL_ADMIN = strawberry.enum_value(
        "GLOBAL_ADMIN",
        description="A partner's administrator: changes the subscriptions the partner sold, and "
        "buys new ones.",
    )
    ADMIN_AGENT = strawberry.enum_value(
        "ADMIN_AGENT",
        description="A partner's admin agent: changes the subscriptions the partner sold, and "
        "buys new ones.",
    )
    SALES_AGENT = strawberry.enum_value(
        "SALES_AGENT",
        description="A partner's sales agent: changes the subscriptions the partner sold, and "
        "buys new ones.",
    )
    HELPDESK_AGENT = strawberry.enum_value(
        "HELPDESK_AGENT", description="A partner's helpdesk agent: read-only."
    )
    BILLING_ADMIN = strawberry.enum_value(
        "BILLING_ADMIN", description="A partner's billing administrator: read-only."
    )
    CUSTOMER_ADMIN = strawberry.enum_value(
        "CUSTOMER_ADMIN",
        description="A customer's administrator: sees its own customer and all its subscriptions; "
        "changes only those it bought directly, and none if a partner created its account; never "
        "buys through a partner.",
    )


@strawberry.enum(description="Where a subscription is in its lifecycle (DOMAIN.md §4).")
class SubscriptionStatus(Enum):
    _value_: str  # strawberry.enum_value hides the str from mypy
    ACTIVE = strawberry.enum_value("ACTIVE", description="In use and billed.")
    SUSPENDED = strawberry.enum_value(
        "SUSPENDED",
        description="Suspended by the partner: users lose access, billing goes on; it can be "
        "reactivated before its term ends, and expires then.",
    )
    CANCELLED = strawberry.enum_value(
        "CANCELLED", description="Cancelled inside its window, with a prorated refund; final."
    )
    EXPIRED = strawberry.enum_value(
        "EXPIRED",
        description="Its term ended without renewal; disabled 30 days later. Not billed.",
    )
    DISABLED = strawberry.enum_value(
        "DISABLED", description="Only admins have access; deleted 90 days later. Not billed."
    )
    DELETED = strawberry.enum_value(
        "DELETED", description="Its data is deleted; final, visible with its history."
    )


@strawberry.enum(description="Who sold a subscription.")
class SalesChannel(Enum):
    _value_: str  # strawberry.enum_value hides the str from mypy
    PARTNER = strawberry.enum_value(
        "PARTNER", description="Sold by a partner; only that partner changes it."
    )
    DIRECT = strawberry.enum_value(
        "DIRECT", description="Bought by the customer itself; only the customer changes it."
    )


@strawberry.enum(description="How often a term is invoiced.")
class BillingCycle(Enum):
    _value_: str  # strawberry.enum_value hides the str from mypy
    MONTHLY = strawberry.enum_value("MONTHLY", description="Every month.")
    ANNUAL = strawberry.enum_value("ANNUAL", description="Every year.")


@strawberry.enum(description="What a recorded change did.")
class ActivityOperation(Enum):
    _value_: str  # strawberry.enum_value hides the str from mypy
    ADD_SUBSCRIPTION = strawberry.enum_value("ADD_SUBSCRIPTION", description="A purchase.")
    CHANGE_QUANTITY = strawberry.enum_value(
        "CHANGE_QUANTITY", description="Licences added or removed."
    )
    CHANGE_STATUS = strawberry.enum_value(
        "CHANGE_STATUS",
        description="Suspended, reactivated or cancelled (by a person, or following its base).",
    )
    CHANGE_RENEWAL = strawberry.enum_value(
        "CHANGE_RENEWAL", description="Auto-renew or the change scheduled for the renewal."
    )
    RENAME_SUBSCRIPTION = strawberry.enum_value(
        "RENAME_SUBSCRIPTION", description="A new friendly name."
    )
    RENEW = strawberry.enum_value("RENEW", description="A new term began (the system).")
    EXPIRE = strawberry.enum_value("EXPIRE", description="The term ended unrenewed (the system).")
    DISABLE = strawberry.enum_value("DISABLE", description="30 days after expiry (the system).")
    DELETE = strawberry.enum_value("DELETE", description="90 days after disabling (the system).")
    CREATE_CUSTOMER = strawberry.enum_value(
        "CREATE_CUSTOMER", description="A customer's account, created by a partner."
    )


@strawberry.enum(description="Who made a recorded change.")
class ActorKind(Enum):
    _value_: str  # strawberry.enum_value hides the str from mypy
    PARTNER_USER = strawberry.enum_value("PARTNER_USER", description="A partner's principal.")
    CUSTOMER_USER = strawberry.enum_value("CUSTOMER_USER", description="A customer's principal.")
    SYSTEM = strawberry.enum_value(
        "SYSTEM", description="Time (renewals, expiry) or an add-on following its base."
    )


@strawberry.enum(description="A term's length, as an ISO 8601 duration (Partner Center's names).")
class TermDuration(Enum):
    _value_: str  # strawberry.enum_value hides the str from mypy
    P1M = strawberry.enum_value("P1M", description="One month.")
    P1Y = strawberry.enum_value("P1Y", description="One year.")
    P3Y = strawberry.enum_value("P3Y", description="Three years.")


@strawberry.enum(description="What a viewer may do with a subscription now.")
class SubscriptionAction(Enum):
    _value_: str  # strawberry.enum_value hides the str from mypy
    INCREASE_QUANTITY = strawberry.enum_value(
        "INCREASE_QUANTITY", description="changeQuantity to more licences."
    )
    DECREASE_QUANTITY = strawberry.enum_value(
        "DECREASE_QUANTITY",
        description="changeQuantity to fewer licences (seats still in their 168-hour window).",
    )
    SUSPEND = strawberry.enum_value("SUSPEND", description="changeStatus to SUSPENDED.")
    REACTIVATE = strawberry.enum_value("REACTIVATE", description="changeStatus to ACTIVE.")
    CANCEL = strawberry.enum_value(
        "CANCEL", description="changeStatus to CANCELLED (inside the cancellation window)."
    )
    CHANGE_RENEWAL = strawberry.enum_value(
        "CHANGE_RENEWAL", description="changeRenewal: auto-renew and the next term."
    )
    RENAME = strawberry.enum_value("RENAME", description="renameSubscription.")


@strawberry.enum(description="Why the viewer may not change a subscription it sees.")
class NotManageableReason(Enum):
    _value_: str  # strawberry.enum_value hides the str from mypy
    ROLE_READ_ONLY = strawberry.enum_value(
        "ROLE_READ_ONLY", description="The viewer's role only reads."
    )
    PARTNER_CREATED_ACCOUNT = strawberry.enum_value(
        "PARTNER_CREATED_ACCOUNT",
        description="A partner created the customer's account and manages its subscriptions.",
    )
    DIRECT_PURCHASE = strawberry.enum_value(
        "DIRECT_PURCHASE", description="The customer bought it directly."
    )
    SOLD_BY_PARTNER = strawberry.enum_value(
        "SOLD_BY_PARTNER", description="A partner sold it; only that partner changes it."
    )


@strawberry.enum(description="Why a mutation changed nothing, for code: UserError.code.")
class UserErrorCode(Enum):
    _value_: str  # strawberry.enum_value hides the str from mypy
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND",
        description="The id is unknown, malformed, of the wrong type, or not visible to the "
        "viewer.",
    )
    FORBIDDEN = strawberry.enum_value(
        "FORBIDDEN",
        description="The viewer's role may not do this: HELPDESK_AGENT and BILLING_ADMIN only "
        "read, and a CUSTOMER_ADMIN never buys.",
    )
    NOT_MANAGEABLE = strawberry.enum_value(
        "NOT_MANAGEABLE",
        description="Visible but not the viewer's to change: bought directly, sold by a partner "
        "while the viewer is the customer, or the customer's account was created by a partner "
        "(see notManageableReason).",
    )
    QUANTITY_OUT_OF_RANGE = strawberry.enum_value(
        "QUANTITY_OUT_OF_RANGE",
        description="The quantity is outside the offer's minQuantity..maxQuantity.",
    )
    QUANTITY_UNCHANGED = strawberry.enum_value(
        "QUANTITY_UNCHANGED", description="The new quantity equals the current one."
    )
    SUBSCRIPTION_NOT_ACTIVE = strawberry.enum_value(
        "SUBSCRIPTION_NOT_ACTIVE",
        description="The subscription's status does not allow the change: a quantity or renewal "
        "change needs ACTIVE; a rename, ACTIVE or SUSPENDED.",
    )
    INVALID_STATUS_TRANSITION = strawberry.enum_value(
        "INVALID_STATUS_TRANSITION",
        description="Anything but ACTIVE to SUSPENDED, SUSPENDED to ACTIVE (before "
        "commitmentEndDate), or ACTIVE or SUSPENDED to CANCELLED; EXPIRED, DISABLED and DELETED "
        "come only with time.",
    )
    OFFER_NOT_AUTHORIZED = strawberry.enum_value(
        "OFFER_NOT_AUTHORIZED", description="The viewer's partner may not sell this offer."
    )
    OFFER_NOT_AVAILABLE = strawberry.enum_value(
        "OFFER_NOT_AVAILABLE",
        description="The offer is not sold in the customer's country, or not in that billing "
        "cycle.",
    )
    PREREQUISITE_MISSING = strawberry.enum_value(
        "PREREQUISITE_MISSING",
        description="Buying an add-on: the customer has no ACTIVE or SUSPENDED subscription to "
        "one of its prerequisite offers, or parentSubscriptionId names one that is not.",
    )
    VERSION_CONFLICT = strawberry.enum_value(
        "VERSION_CONFLICT",
        description="expectedVersion is not the subscription's current version: another change "
        "came first.",
    )
    IDEMPOTENCY_KEY_REUSED = strawberry.enum_value(
        "IDEMPOTENCY_KEY_REUSED",
        description="The viewer used this idempotencyKey before with a different input.",
    )
    INVALID_INPUT = strawberry.enum_value(
        "INVALID_INPUT",
        description="Anything else malformed: an empty or over-long name or key, a control "
        "character, contradictory fields, or a change that changes nothing.",
    )
    QUANTITY_DECREASE_NOT_ALLOWED = strawberry.enum_value(
        "QUANTITY_DECREASE_NOT_ALLOWED",
        description="A decrease by more seats than refundableQuantity.totalQuantity (those bought "
        "in the last 168 hours); schedule fewer seats for the renewal with changeRenewal instead.",
    )
    CANCELLATION_WINDOW_PASSED = strawberry.enum_value(
        "CANCELLATION_WINDOW_PASSED",
        description="A cancellation after cancellationAllowedUntil (168 hours after the purchase "
        "or renewal).",
    )
    SEAT_LIMIT_EXCEEDED = strawberry.enum_value(
        "SEAT_LIMIT_EXCEEDED",
        description="The customer's licences across the offers with a seatLimitPerCustomer (the "
        "Business plans: 300), whoever sold them, would exceed it.",
    )
    PARENT_NOT_ACTIVE = strawberry.enum_value(
        "PARENT_NOT_ACTIVE",
        description="An add-on whose base subscription is not ACTIVE cannot be bought, increased "
        "or reactivated.",
    )
    TERM_NOT_AVAILABLE = strawberry.enum_value(
        "TERM_NOT_AVAILABLE",
        description="The offer has no such term duration in that billing cycle.",
    )
    RENEWAL_IN_PROGRESS = strawberry.enum_value(
        "RENEWAL_IN_PROGRESS",
        description="The term has ended and its renewal or expiry is under way; try again in a "
        "few minutes.",
    )
    AUTO_RENEW_REQUIRED = strawberry.enum_value(
        "AUTO_RENEW_REQUIRED",
        description="A change scheduled for the renewal (nextTerm) needs autoRenew on.",
    )
    DOMAIN_TAKEN = strawberry.enum_value(
        "DOMAIN_TAKEN",
        description="The domain prefix (<prefix>.onmicrosoft.com) is already in use.",
    )
    INVALID_COUNTRY = strawberry.enum_value(
        "INVALID_COUNTRY", description="The country is not an assigned ISO 3166-1 alpha-2 code."
    )
    INVALID_COMPANY_NAME = strawberry.enum_value(
        "INVALID_COMPANY_NAME",
        description="The company name is not 2 to 255 characters, or is only symbols, single "
        'characters spaced ("1 2 3"), one character repeated ("999") or a bare legal form (LLC).',
    )
    INVALID_CONTACT = strawberry.enum_value(
        "INVALID_CONTACT",
        description="The administrator's name is a single letter, a placeholder (test, admin) or "
        "only digits and symbols.",
    )
    INVALID_EMAIL = strawberry.enum_value(
        "INVALID_EMAIL",
        description="The administrator's e-mail is not one address, or is at microsoft.com or at "
        "the partner's own domain.",
    )
    INVALID_URL = strawberry.enum_value(
        "INVALID_URL",
        description="A webhook URL that is not https, or whose host is or resolves to a "
        "loopback, private, link-local or otherwise non-public address.",
    )


@strawberry.enum(description="What a webhook event reports.")
class WebhookEventType(Enum):
    SUBSCRIPTION_CREATED = strawberry.enum_value(
        "SUBSCRIPTION_CREATED", description="A subscription was bought."
    )
    SUBSCRIPTION_UPDATED = strawberry.enum_value(
        "SUBSCRIPTION_UPDATED",
        description="A person changed a subscription: quantity, status, renewal, name.",
    )
    SUBSCRIPTION_LIFECYCLE = strawberry.enum_value(
        "SUBSCRIPTION_LIFECYCLE",
        description="The system changed a subscription: renewal, expiry, disabling, deletion, "
        "an add-on following its base.",
    )
    CUSTOMER_CREATED = strawberry.enum_value(
        "CUSTOMER_CREATED", description="A customer's account was created."
    )


@strawberry.enum(description="Where a webhook delivery stands.")
class DeliveryStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Not delivered yet; retried when due.")
    SUCCEEDED = strawberry.enum_value(
        "SUCCEEDED", description="The endpoint answered with a 2xx status."
    )
    FAILED = strawberry.enum_value(
        "FAILED",
        description="Given up: every retry failed, the endpoint answered 410, or it was "
        "disabled after failing for days.",
    )
