/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Which activity records to list; every condition given must hold. */
export type ActivityFilter = {
  /** Only this customer's records (its subscriptions' included). */
  customerId?: string | number | null | undefined;
  /** Only records after this moment (exclusive; with an offset). */
  occurredAfter?: string | null | undefined;
  /** Only records before this moment (exclusive; with an offset). */
  occurredBefore?: string | null | undefined;
  /** Only records of these operations. */
  operations?: Array<ActivityOperation> | null | undefined;
  /** Only this subscription's records. */
  subscriptionId?: string | number | null | undefined;
};

/** What a recorded change did. */
export type ActivityOperation =
  /** A purchase. */
  | 'ADD_SUBSCRIPTION'
  /** Licences added or removed. */
  | 'CHANGE_QUANTITY'
  /** Auto-renew or the change scheduled for the renewal. */
  | 'CHANGE_RENEWAL'
  /** Suspended, reactivated or cancelled (by a person, or following its base). */
  | 'CHANGE_STATUS'
  /** A customer's account, created by a partner. */
  | 'CREATE_CUSTOMER'
  /** 90 days after disabling (the system). */
  | 'DELETE'
  /** 30 days after expiry (the system). */
  | 'DISABLE'
  /** The term ended unrenewed (the system). */
  | 'EXPIRE'
  /** A new friendly name. */
  | 'RENAME_SUBSCRIPTION'
  /** A new term began (the system). */
  | 'RENEW';

/** Who made a recorded change. */
export type ActorKind =
  /** A customer's principal. */
  | 'CUSTOMER_USER'
  /** A partner's principal. */
  | 'PARTNER_USER'
  /** Time (renewals, expiry) or an add-on following its base. */
  | 'SYSTEM';

/** addSubscription's input. */
export type AddSubscriptionInput = {
  /** Default: the offer's first billing cycle. */
  billingCycle?: BillingCycle | null | undefined;
  /** Echoed in the payload, for the client's own bookkeeping. */
  clientMutationId?: string | null | undefined;
  /** The customer to buy for. */
  customerId: string | number;
  /** A name for it; default: the offer's. */
  friendlyName?: string | null | undefined;
  /** Same key + same input: the first result again, nothing new created. */
  idempotencyKey?: string | null | undefined;
  /** The offer to buy. */
  offerId: string | number;
  /** An add-on's base; default: the customer's oldest active subscription of a prerequisite offer. */
  parentSubscriptionId?: string | number | null | undefined;
  /** Licences to buy. */
  quantity: number;
  /** Default: the offer's first term in the chosen billing cycle. */
  termDuration?: TermDuration | null | undefined;
  /** Check everything, change nothing; the preview says the cost. */
  validateOnly?: boolean | null | undefined;
};

/** How often a term is invoiced. */
export type BillingCycle =
  /** Every year. */
  | 'ANNUAL'
  /** Every month. */
  | 'MONTHLY';

/** changeQuantity's input. */
export type ChangeQuantityInput = {
  /** Echoed in the payload, for the client's own bookkeeping. */
  clientMutationId?: string | null | undefined;
  /** The version the change is meant for; another: VERSION_CONFLICT. */
  expectedVersion?: number | null | undefined;
  /** The new number of licences. */
  quantity: number;
  /** The subscription. */
  subscriptionId: string | number;
  /** Check everything, change nothing, and return the preview and the object as it is. */
  validateOnly?: boolean | null | undefined;
};

/** changeStatus's input. */
export type ChangeStatusInput = {
  /** Echoed in the payload, for the client's own bookkeeping. */
  clientMutationId?: string | null | undefined;
  /** The version the change is meant for; another: VERSION_CONFLICT. */
  expectedVersion?: number | null | undefined;
  /** SUSPENDED, ACTIVE (reactivate) or CANCELLED; the others come with time. */
  status: SubscriptionStatus;
  /** The subscription. */
  subscriptionId: string | number;
  /** Check everything, change nothing, and return the preview and the object as it is. */
  validateOnly?: boolean | null | undefined;
};

/** createCustomer's input: the customer's account and its first administrator. */
export type CreateCustomerInput = {
  /** The administrator's own e-mail address: not at microsoft.com or the partner's domain, and no other user's. */
  adminEmail: string;
  /** The full name of the customer's first administrator (CUSTOMER_ADMIN). */
  adminName: string;
  /** Echoed in the payload, for the client's own bookkeeping. */
  clientMutationId?: string | null | undefined;
  /** The company's legal name, 2 to 255 characters, not only a legal form. */
  companyName: string;
  /** ISO 3166-1 alpha-2 code, such as US or DE. */
  country: string;
  /** Letters a-z and digits, 1 to 63: the domain becomes <prefix>.onmicrosoft.com. */
  domainPrefix: string;
  /** Same key + same input: the first result again, nothing new created. */
  idempotencyKey?: string | null | undefined;
  /** Check everything, create nothing; customer is then null. */
  validateOnly?: boolean | null | undefined;
};

/** Why the viewer may not change a subscription it sees. */
export type NotManageableReason =
  /** The customer bought it directly. */
  | 'DIRECT_PURCHASE'
  /** A partner created the customer's account and manages its subscriptions. */
  | 'PARTNER_CREATED_ACCOUNT'
  /** The viewer's role only reads. */
  | 'ROLE_READ_ONLY'
  /** A partner sold it; only that partner changes it. */
  | 'SOLD_BY_PARTNER';

/** What a principal may do. Every partner role sees the partner's customers and their subscriptions sold by this partner or bought directly, never another partner's. */
export type Role =
  /** A partner's admin agent: changes the subscriptions the partner sold, and buys new ones. */
  | 'ADMIN_AGENT'
  /** A partner's billing administrator: read-only. */
  | 'BILLING_ADMIN'
  /** A customer's administrator: sees its own customer and all its subscriptions; changes only those it bought directly, and none if a partner created its account; never buys through a partner. */
  | 'CUSTOMER_ADMIN'
  /** A partner's administrator: changes the subscriptions the partner sold, and buys new ones. */
  | 'GLOBAL_ADMIN'
  /** A partner's helpdesk agent: read-only. */
  | 'HELPDESK_AGENT'
  /** A partner's sales agent: changes the subscriptions the partner sold, and buys new ones. */
  | 'SALES_AGENT';

/** Who sold a subscription. */
export type SalesChannel =
  /** Bought by the customer itself; only the customer changes it. */
  | 'DIRECT'
  /** Sold by a partner; only that partner changes it. */
  | 'PARTNER';

/** What a viewer may do with a subscription now. */
export type SubscriptionAction =
  /** changeStatus to CANCELLED (inside the cancellation window). */
  | 'CANCEL'
  /** changeRenewal: auto-renew and the next term. */
  | 'CHANGE_RENEWAL'
  /** changeQuantity to fewer licences (seats still in their 168-hour window). */
  | 'DECREASE_QUANTITY'
  /** changeQuantity to more licences. */
  | 'INCREASE_QUANTITY'
  /** changeStatus to ACTIVE. */
  | 'REACTIVATE'
  /** renameSubscription. */
  | 'RENAME'
  /** changeStatus to SUSPENDED. */
  | 'SUSPEND';

/** Where a subscription is in its lifecycle (DOMAIN.md §4). */
export type SubscriptionStatus =
  /** In use and billed. */
  | 'ACTIVE'
  /** Cancelled inside its window, with a prorated refund; final. */
  | 'CANCELLED'
  /** Its data is deleted; final, visible with its history. */
  | 'DELETED'
  /** Only admins have access; deleted 90 days later. Not billed. */
  | 'DISABLED'
  /** Its term ended without renewal; disabled 30 days later. Not billed. */
  | 'EXPIRED'
  /** Suspended by the partner: users lose access, billing goes on; it can be reactivated before its term ends, and expires then. */
  | 'SUSPENDED';

/** A term's length, as an ISO 8601 duration (Partner Center's names). */
export type TermDuration =
  /** One month. */
  | 'P1M'
  /** One year. */
  | 'P1Y'
  /** Three years. */
  | 'P3Y';

/** Why a mutation changed nothing, for code: UserError.code. */
export type UserErrorCode =
  /** A change scheduled for the renewal (nextTerm) needs autoRenew on. */
  | 'AUTO_RENEW_REQUIRED'
  /** A cancellation after cancellationAllowedUntil (168 hours after the purchase or renewal). */
  | 'CANCELLATION_WINDOW_PASSED'
  /** The domain prefix (<prefix>.onmicrosoft.com) is already in use. */
  | 'DOMAIN_TAKEN'
  /** The viewer's role may not do this: HELPDESK_AGENT and BILLING_ADMIN only read, and a CUSTOMER_ADMIN never buys. */
  | 'FORBIDDEN'
  /** The viewer used this idempotencyKey before with a different input. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The company name is not 2 to 255 characters, or is only symbols, single characters spaced ("1 2 3"), one character repeated ("999") or a bare legal form (LLC). */
  | 'INVALID_COMPANY_NAME'
  /** The administrator's name is a single letter, a placeholder (test, admin) or only digits and symbols. */
  | 'INVALID_CONTACT'
  /** The country is not an assigned ISO 3166-1 alpha-2 code. */
  | 'INVALID_COUNTRY'
  /** The administrator's e-mail is not one address, or is at microsoft.com or at the partner's own domain. */
  | 'INVALID_EMAIL'
  /** Anything else malformed: an empty or over-long name or key, a control character, contradictory fields, or a change that changes nothing. */
  | 'INVALID_INPUT'
  /** Anything but ACTIVE to SUSPENDED, SUSPENDED to ACTIVE (before commitmentEndDate), or ACTIVE or SUSPENDED to CANCELLED; EXPIRED, DISABLED and DELETED come only with time. */
  | 'INVALID_STATUS_TRANSITION'
  /** A webhook URL that is not https, or whose host is or resolves to a loopback, private, link-local or otherwise non-public address. */
  | 'INVALID_URL'
  /** The id is unknown, malformed, of the wrong type, or not visible to the viewer. */
  | 'NOT_FOUND'
  /** Visible but not the viewer's to change: bought directly, sold by a partner while the viewer is the customer, or the customer's account was created by a partner (see notManageableReason). */
  | 'NOT_MANAGEABLE'
  /** The viewer's partner may not sell this offer. */
  | 'OFFER_NOT_AUTHORIZED'
  /** The offer is not sold in the customer's country, or not in that billing cycle. */
  | 'OFFER_NOT_AVAILABLE'
  /** An add-on whose base subscription is not ACTIVE cannot be bought, increased or reactivated. */
  | 'PARENT_NOT_ACTIVE'
  /** Buying an add-on: the customer has no ACTIVE or SUSPENDED subscription to one of its prerequisite offers, or parentSubscriptionId names one that is not. */
  | 'PREREQUISITE_MISSING'
  /** A decrease by more seats than refundableQuantity.totalQuantity (those bought in the last 168 hours); schedule fewer seats for the renewal with changeRenewal instead. */
  | 'QUANTITY_DECREASE_NOT_ALLOWED'
  /** The quantity is outside the offer's minQuantity..maxQuantity. */
  | 'QUANTITY_OUT_OF_RANGE'
  /** The new quantity equals the current one. */
  | 'QUANTITY_UNCHANGED'
  /** The term has ended and its renewal or expiry is under way; try again in a few minutes. */
  | 'RENEWAL_IN_PROGRESS'
  /** The customer's licences across the offers with a seatLimitPerCustomer (the Business plans: 300), whoever sold them, would exceed it. */
  | 'SEAT_LIMIT_EXCEEDED'
  /** The subscription's status does not allow the change: a quantity or renewal change needs ACTIVE; a rename, ACTIVE or SUSPENDED. */
  | 'SUBSCRIPTION_NOT_ACTIVE'
  /** The offer has no such term duration in that billing cycle. */
  | 'TERM_NOT_AVAILABLE'
  /** expectedVersion is not the subscription's current version: another change came first. */
  | 'VERSION_CONFLICT';

export type ActivityAddedSubscriptionVariables = Exact<{
  customerId: string | number;
  after?: string | number | null | undefined;
}>;


export type ActivityAddedSubscription = { activityAdded: { id: string, operation: ActivityOperation, occurredAt: string, actor: string, actorKind: ActorKind, before: unknown, after: unknown, subscription: { id: string, friendlyName: string } | null } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { name: string, role: Role, partner: { id: string, name: string } | null, customer: { id: string, companyName: string, createdByPartner: boolean } | null } };

export type ActivityQueryVariables = Exact<{
  filter: ActivityFilter;
  first: number;
  after?: string | null | undefined;
}>;


export type ActivityQuery = { activity: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, operation: ActivityOperation, occurredAt: string, actor: string, actorKind: ActorKind, before: unknown, after: unknown, subscription: { id: string, friendlyName: string } | null }> } };

export type ActivityEntryFragment = { id: string, operation: ActivityOperation, occurredAt: string, actor: string, actorKind: ActorKind, before: unknown, after: unknown, subscription: { id: string, friendlyName: string } | null };

export type AddSubscriptionOffersQueryVariables = Exact<{
  customerId: string | number;
}>;


export type AddSubscriptionOffersQuery = { customer: { id: string, companyName: string } | null, offers: { nodes: Array<{ id: string, name: string, sku: string, minQuantity: number, maxQuantity: number, isAddOn: boolean, billingCycles: Array<BillingCycle>, terms: Array<{ termDuration: TermDuration, billingCycle: BillingCycle, unitPrice: { amount: string, currencyCode: string } }>, prerequisiteOffers: Array<{ id: string, name: string }> }> } };

export type AddSubscriptionMutationVariables = Exact<{
  input: AddSubscriptionInput;
}>;


export type AddSubscriptionMutation = { addSubscription: { subscription: { id: string, friendlyName: string, quantity: number, billingCycle: BillingCycle, termDuration: TermDuration, offer: { id: string, name: string } } | null, preview: { quantity: number, termDuration: TermDuration, billingCycle: BillingCycle, commitmentEndDate: string, cancellationAllowedUntil: string | null, amount: { amount: string, currencyCode: string }, unitPrice: { amount: string, currencyCode: string } } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } };

export type CreateCustomerMutationVariables = Exact<{
  input: CreateCustomerInput;
}>;


export type CreateCustomerMutation = { createCustomer: { customer: { id: string, companyName: string, domain: string, country: string, createdAt: string } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } };

export type CustomersQueryVariables = Exact<{
  search?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type CustomersQuery = { customers: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, nodes: Array<{ id: string, companyName: string, domain: string, country: string, createdAt: string }> } };

export type CustomerSubscriptionsQueryVariables = Exact<{
  customerId: string | number;
}>;


export type CustomerSubscriptionsQuery = { customer: { id: string, companyName: string, domain: string, country: string, createdByPartner: boolean, subscriptions: { totalCount: number, nodes: Array<{ id: string, friendlyName: string, quantity: number, status: SubscriptionStatus, channel: SalesChannel, billingCycle: BillingCycle, termDuration: TermDuration, canManage: boolean, notManageableReason: NotManageableReason | null, offer: { id: string, name: string } }> } } | null };

export type SubscriptionDetailsFragment = { id: string, friendlyName: string, quantity: number, status: SubscriptionStatus, channel: SalesChannel, billingCycle: BillingCycle, termDuration: TermDuration, commitmentEndDate: string, cancellationAllowedUntil: string | null, autoRenew: boolean, createdAt: string, updatedAt: string, suspendedAt: string | null, dataRetentionEndsAt: string | null, version: number, actions: Array<SubscriptionAction>, notManageableReason: NotManageableReason | null, unitPrice: { amount: string, currencyCode: string }, refundableQuantity: { totalQuantity: number, details: Array<{ quantity: number, allowedUntil: string }> }, offer: { id: string, name: string, sku: string, minQuantity: number, maxQuantity: number }, customer: { id: string, companyName: string, createdByPartner: boolean }, parentSubscription: { id: string, friendlyName: string } | null };

export type PreviewFragment = { quantity: number, termDuration: TermDuration, billingCycle: BillingCycle, commitmentEndDate: string, cancellationAllowedUntil: string | null, amount: { amount: string, currencyCode: string }, unitPrice: { amount: string, currencyCode: string } };

export type SubscriptionPageQueryVariables = Exact<{
  id: string | number;
}>;


export type SubscriptionPageQuery = { node:
    | { __typename: 'Activity' }
    | { __typename: 'Customer' }
    | { __typename: 'CustomerSubscription', id: string, friendlyName: string, quantity: number, status: SubscriptionStatus, channel: SalesChannel, billingCycle: BillingCycle, termDuration: TermDuration, commitmentEndDate: string, cancellationAllowedUntil: string | null, autoRenew: boolean, createdAt: string, updatedAt: string, suspendedAt: string | null, dataRetentionEndsAt: string | null, version: number, actions: Array<SubscriptionAction>, notManageableReason: NotManageableReason | null, unitPrice: { amount: string, currencyCode: string }, refundableQuantity: { totalQuantity: number, details: Array<{ quantity: number, allowedUntil: string }> }, offer: { id: string, name: string, sku: string, minQuantity: number, maxQuantity: number }, customer: { id: string, companyName: string, createdByPartner: boolean }, parentSubscription: { id: string, friendlyName: string } | null }
    | { __typename: 'Offer' }
    | { __typename: 'Partner' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type ChangeQuantityMutationVariables = Exact<{
  input: ChangeQuantityInput;
}>;


export type ChangeQuantityMutation = { changeQuantity: { subscription: { id: string, friendlyName: string, quantity: number, status: SubscriptionStatus, channel: SalesChannel, billingCycle: BillingCycle, termDuration: TermDuration, commitmentEndDate: string, cancellationAllowedUntil: string | null, autoRenew: boolean, createdAt: string, updatedAt: string, suspendedAt: string | null, dataRetentionEndsAt: string | null, version: number, actions: Array<SubscriptionAction>, notManageableReason: NotManageableReason | null, unitPrice: { amount: string, currencyCode: string }, refundableQuantity: { totalQuantity: number, details: Array<{ quantity: number, allowedUntil: string }> }, offer: { id: string, name: string, sku: string, minQuantity: number, maxQuantity: number }, customer: { id: string, companyName: string, createdByPartner: boolean }, parentSubscription: { id: string, friendlyName: string } | null } | null, preview: { quantity: number, termDuration: TermDuration, billingCycle: BillingCycle, commitmentEndDate: string, cancellationAllowedUntil: string | null, amount: { amount: string, currencyCode: string }, unitPrice: { amount: string, currencyCode: string } } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } };

export type ChangeStatusMutationVariables = Exact<{
  input: ChangeStatusInput;
}>;


export type ChangeStatusMutation = { changeStatus: { subscription: { id: string, friendlyName: string, quantity: number, status: SubscriptionStatus, channel: SalesChannel, billingCycle: BillingCycle, termDuration: TermDuration, commitmentEndDate: string, cancellationAllowedUntil: string | null, autoRenew: boolean, createdAt: string, updatedAt: string, suspendedAt: string | null, dataRetentionEndsAt: string | null, version: number, actions: Array<SubscriptionAction>, notManageableReason: NotManageableReason | null, unitPrice: { amount: string, currencyCode: string }, refundableQuantity: { totalQuantity: number, details: Array<{ quantity: number, allowedUntil: string }> }, offer: { id: string, name: string, sku: string, minQuantity: number, maxQuantity: number }, customer: { id: string, companyName: string, createdByPartner: boolean }, parentSubscription: { id: string, friendlyName: string } | null } | null, preview: { quantity: number, termDuration: TermDuration, billingCycle: BillingCycle, commitmentEndDate: string, cancellationAllowedUntil: string | null, amount: { amount: string, currencyCode: string }, unitPrice: { amount: string, currencyCode: string } } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } };

export const ActivityEntryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ActivityEntry"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Activity"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"operation"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"actor"}},{"kind":"Field","name":{"kind":"Name","value":"actorKind"}},{"kind":"Field","name":{"kind":"Name","value":"before"}},{"kind":"Field","name":{"kind":"Name","value":"after"}},{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}}]}}]}}]} as unknown as DocumentNode<ActivityEntryFragment, unknown>;
export const SubscriptionDetailsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SubscriptionDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerSubscription"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"commitmentEndDate"}},{"kind":"Field","name":{"kind":"Name","value":"cancellationAllowedUntil"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"refundableQuantity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"details"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"allowedUntil"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoRenew"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"suspendedAt"}},{"kind":"Field","name":{"kind":"Name","value":"dataRetentionEndsAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"actions"}},{"kind":"Field","name":{"kind":"Name","value":"notManageableReason"}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"minQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"maxQuantity"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"createdByPartner"}}]}},{"kind":"Field","name":{"kind":"Name","value":"parentSubscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}}]}}]}}]} as unknown as DocumentNode<SubscriptionDetailsFragment, unknown>;
export const PreviewFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Preview"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChargePreview"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"commitmentEndDate"}},{"kind":"Field","name":{"kind":"Name","value":"cancellationAllowedUntil"}}]}}]} as unknown as DocumentNode<PreviewFragment, unknown>;
export const ActivityAddedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ActivityAdded"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activityAdded"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"customerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ActivityEntry"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ActivityEntry"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Activity"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"operation"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"actor"}},{"kind":"Field","name":{"kind":"Name","value":"actorKind"}},{"kind":"Field","name":{"kind":"Name","value":"before"}},{"kind":"Field","name":{"kind":"Name","value":"after"}},{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}}]}}]}}]} as unknown as DocumentNode<ActivityAddedSubscription, ActivityAddedSubscriptionVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"partner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"createdByPartner"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const ActivityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Activity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ActivityFilter"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ActivityEntry"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ActivityEntry"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Activity"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"operation"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"actor"}},{"kind":"Field","name":{"kind":"Name","value":"actorKind"}},{"kind":"Field","name":{"kind":"Name","value":"before"}},{"kind":"Field","name":{"kind":"Name","value":"after"}},{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}}]}}]}}]} as unknown as DocumentNode<ActivityQuery, ActivityQueryVariables>;
export const AddSubscriptionOffersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AddSubscriptionOffers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"offers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"customerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"minQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"maxQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"isAddOn"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycles"}},{"kind":"Field","name":{"kind":"Name","value":"terms"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"prerequisiteOffers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AddSubscriptionOffersQuery, AddSubscriptionOffersQueryVariables>;
export const AddSubscriptionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddSubscription"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddSubscriptionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addSubscription"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"preview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Preview"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Preview"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChargePreview"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"commitmentEndDate"}},{"kind":"Field","name":{"kind":"Name","value":"cancellationAllowedUntil"}}]}}]} as unknown as DocumentNode<AddSubscriptionMutation, AddSubscriptionMutationVariables>;
export const CreateCustomerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateCustomer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCustomerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCustomer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateCustomerMutation, CreateCustomerMutationVariables>;
export const CustomersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Customers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]} as unknown as DocumentNode<CustomersQuery, CustomersQueryVariables>;
export const CustomerSubscriptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CustomerSubscriptions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"createdByPartner"}},{"kind":"Field","name":{"kind":"Name","value":"subscriptions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"canManage"}},{"kind":"Field","name":{"kind":"Name","value":"notManageableReason"}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<CustomerSubscriptionsQuery, CustomerSubscriptionsQueryVariables>;
export const SubscriptionPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SubscriptionPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerSubscription"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SubscriptionDetails"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SubscriptionDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerSubscription"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"commitmentEndDate"}},{"kind":"Field","name":{"kind":"Name","value":"cancellationAllowedUntil"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"refundableQuantity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"details"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"allowedUntil"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoRenew"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"suspendedAt"}},{"kind":"Field","name":{"kind":"Name","value":"dataRetentionEndsAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"actions"}},{"kind":"Field","name":{"kind":"Name","value":"notManageableReason"}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"minQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"maxQuantity"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"createdByPartner"}}]}},{"kind":"Field","name":{"kind":"Name","value":"parentSubscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}}]}}]}}]} as unknown as DocumentNode<SubscriptionPageQuery, SubscriptionPageQueryVariables>;
export const ChangeQuantityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ChangeQuantity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeQuantityInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changeQuantity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SubscriptionDetails"}}]}},{"kind":"Field","name":{"kind":"Name","value":"preview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Preview"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SubscriptionDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerSubscription"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"commitmentEndDate"}},{"kind":"Field","name":{"kind":"Name","value":"cancellationAllowedUntil"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"refundableQuantity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"details"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"allowedUntil"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoRenew"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"suspendedAt"}},{"kind":"Field","name":{"kind":"Name","value":"dataRetentionEndsAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"actions"}},{"kind":"Field","name":{"kind":"Name","value":"notManageableReason"}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"minQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"maxQuantity"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"createdByPartner"}}]}},{"kind":"Field","name":{"kind":"Name","value":"parentSubscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Preview"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChargePreview"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"commitmentEndDate"}},{"kind":"Field","name":{"kind":"Name","value":"cancellationAllowedUntil"}}]}}]} as unknown as DocumentNode<ChangeQuantityMutation, ChangeQuantityMutationVariables>;
export const ChangeStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ChangeStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeStatusInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changeStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SubscriptionDetails"}}]}},{"kind":"Field","name":{"kind":"Name","value":"preview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Preview"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SubscriptionDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerSubscription"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"commitmentEndDate"}},{"kind":"Field","name":{"kind":"Name","value":"cancellationAllowedUntil"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"refundableQuantity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"details"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"allowedUntil"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoRenew"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"suspendedAt"}},{"kind":"Field","name":{"kind":"Name","value":"dataRetentionEndsAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"actions"}},{"kind":"Field","name":{"kind":"Name","value":"notManageableReason"}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"minQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"maxQuantity"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"createdByPartner"}}]}},{"kind":"Field","name":{"kind":"Name","value":"parentSubscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Preview"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChargePreview"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"termDuration"}},{"kind":"Field","name":{"kind":"Name","value":"billingCycle"}},{"kind":"Field","name":{"kind":"Name","value":"commitmentEndDate"}},{"kind":"Field","name":{"kind":"Name","value":"cancellationAllowedUntil"}}]}}]} as unknown as DocumentNode<ChangeStatusMutation, ChangeStatusMutationVariables>;