// Whether the viewer may take an action now, and if not, why: the one place that decides, so that
// every screen enables and explains alike. API version 2 answers both on the subscription itself
// (`actions`, `notManageableReason`); then these functions read those fields instead of deriving.
import type { Role, SalesChannel, SubscriptionStatus } from '../api/generated';

/** Mirrors API version 2's NotManageableReason, in its order of precedence. */
export type NotManageableReason = 'ROLE_READ_ONLY' | 'PARTNER_CREATED_ACCOUNT' | 'DIRECT_PURCHASE' | 'SOLD_BY_PARTNER';

export type Reason =
  | NotManageableReason
  | 'SUBSCRIPTION_NOT_ACTIVE'
  | 'SUBSCRIPTION_CLOSED'
  | 'CUSTOMERS_BUY_DIRECTLY';

export type Availability = { enabled: true } | { enabled: false; reason: Reason };

export type SubscriptionAction = 'CHANGE_QUANTITY' | 'SUSPEND' | 'REACTIVATE';

export interface ViewerFacts {
  role: Role;
  /** Set for a customer's user: whether a partner created that customer's account. */
  customer: { createdByPartner: boolean } | null;
}

export interface SubscriptionFacts {
  canManage: boolean;
  status: SubscriptionStatus;
  channel: SalesChannel;
}

const READ_ONLY_ROLES: readonly Role[] = ['HELPDESK_AGENT', 'BILLING_ADMIN'];
const ENABLED: Availability = { enabled: true };

/** Why a subscription is not the viewer's to change; null when it is (canManage). */
export function notManageableReason(subscription: SubscriptionFacts, viewer: ViewerFacts): NotManageableReason | null {
  if (subscription.canManage) return null;
  if (READ_ONLY_ROLES.includes(viewer.role)) return 'ROLE_READ_ONLY';
  if (viewer.customer === null) return 'DIRECT_PURCHASE';
  return viewer.customer.createdByPartner ? 'PARTNER_CREATED_ACCOUNT' : 'SOLD_BY_PARTNER';
}

export function subscriptionAction(
  subscription: SubscriptionFacts,
  viewer: ViewerFacts,
  action: SubscriptionAction,
): Availability {
  const reason = notManageableReason(subscription, viewer);
  if (reason !== null) return { enabled: false, reason };
  const needed: SubscriptionStatus = action === 'REACTIVATE' ? 'SUSPENDED' : 'ACTIVE';
  if (subscription.status === needed) return ENABLED;
  if (subscription.status === 'DELETED') return { enabled: false, reason: 'SUBSCRIPTION_CLOSED' };
  return { enabled: false, reason: 'SUBSCRIPTION_NOT_ACTIVE' };
}

/** The status change the subscription's current status allows: suspend or reactivate. */
export function statusChange(subscription: SubscriptionFacts): SubscriptionAction {
  return subscription.status === 'SUSPENDED' ? 'REACTIVATE' : 'SUSPEND';
}

export function addSubscription(viewer: ViewerFacts): Availability {
  if (viewer.customer !== null) return { enabled: false, reason: 'CUSTOMERS_BUY_DIRECTLY' };
  if (READ_ONLY_ROLES.includes(viewer.role)) return { enabled: false, reason: 'ROLE_READ_ONLY' };
  return ENABLED;
}
