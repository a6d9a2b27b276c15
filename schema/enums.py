from enum import Enum

import strawberry


@strawberry.enum
class Role(Enum):
    GLOBAL_ADMIN = "GLOBAL_ADMIN"
    ADMIN_AGENT = "ADMIN_AGENT"
    SALES_AGENT = "SALES_AGENT"
    HELPDESK_AGENT = "HELPDESK_AGENT"
    BILLING_ADMIN = "BILLING_ADMIN"
    CUSTOMER_ADMIN = "CUSTOMER_ADMIN"


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


@strawberry.enum
class SalesChannel(Enum):
    PARTNER = "PARTNER"
    DIRECT = "DIRECT"


@strawberry.enum
class BillingCycle(Enum):
    MONTHLY = "MONTHLY"
    ANNUAL = "ANNUAL"


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


@strawberry.enum
class UserErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    NOT_MANAGEABLE = "NOT_MANAGEABLE"
    QUANTITY_OUT_OF_RANGE = "QUANTITY_OUT_OF_RANGE"
    QUANTITY_UNCHANGED = "QUANTITY_UNCHANGED"
    SUBSCRIPTION_NOT_ACTIVE = "SUBSCRIPTION_NOT_ACTIVE"
    INVALID_STATUS_TRANSITION = "INVALID_STATUS_TRANSITION"
    OFFER_NOT_AUTHORIZED = "OFFER_NOT_AUTHORIZED"
    OFFER_NOT_AVAILABLE = "OFFER_NOT_AVAILABLE"
    PREREQUISITE_MISSING = "PREREQUISITE_MISSING"
    VERSION_CONFLICT = "VERSION_CONFLICT"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    INVALID_INPUT = "INVALID_INPUT"
    QUANTITY_DECREASE_NOT_ALLOWED = "QUANTITY_DECREASE_NOT_ALLOWED"
    CANCELLATION_WINDOW_PASSED = "CANCELLATION_WINDOW_PASSED"
    SEAT_LIMIT_EXCEEDED = "SEAT_LIMIT_EXCEEDED"
    PARENT_NOT_ACTIVE = "PARENT_NOT_ACTIVE"
    TERM_NOT_AVAILABLE = "TERM_NOT_AVAILABLE"
    RENEWAL_IN_PROGRESS = "RENEWAL_IN_PROGRESS"
    AUTO_RENEW_REQUIRED = "AUTO_RENEW_REQUIRED"
    DOMAIN_TAKEN = "DOMAIN_TAKEN"
    INVALID_COUNTRY = "INVALID_COUNTRY"
    INVALID_COMPANY_NAME = "INVALID_COMPANY_NAME"
    INVALID_CONTACT = "INVALID_CONTACT"
    INVALID_EMAIL = "INVALID_EMAIL"
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
