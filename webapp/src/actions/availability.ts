// Whether the viewer may take an action now, and if not, why: the one place that decides, so that
// every screen enables and explains alike. The server says what may be done (`actions`) and why a
// subscription is not the viewer's (`notManageableReason`); this module only names the reason
// when a manageable subscription's status or window rules an action out.
import type { NotManageableReason, Role, SubscriptionAction, SubscriptionStatus } from '../api/generated';

export type Reason =
  | NotManageableReason
  | 'SUBSCRIPTION_NOT_ACTIVE'
  | 'SUBSCRIPTION_NOT_SUSPENDED'
  | 'SUBSCRIPTION_CLOSED'
  | 'NO_REFUNDABLE_SEATS'
  | 'CANCELLATION_WINDOW_CLOSED'
  | 'NOT_POSSIBLE_NOW'
  | 'CUSTOMERS_BUY_DIRECTLY'
  | 'ROLE_MAY_NOT_ADD_CUSTOMERS'
  | 'ONLY_PARTNERS_ADD_CUSTOMERS';

export type Availability = { enabled: true } | { enabled: false; reason: Reason };

export interface ViewerFacts {
  role: Role;
  customer: { createdByPartner: boolean } | null;
}

export interface SubscriptionFacts {
  status: SubscriptionStatus;
  actions: readonly SubscriptionAction[];
  notManageableReason: NotManageableReason | null;
}

const READ_ONLY_ROLES: readonly Role[] = ['HELPDESK_AGENT', 'BILLING_ADMIN'];
const ENABLED: Availability = { enabled: true };
// Final, or on the way out: nothing but the system changes these.
const CLOSED: readonly SubscriptionStatus[] = ['CANCELLED', 'EXPIRED', 'DISABLED', 'DELETED'];

export function subscriptionAction(subscription: SubscriptionFacts, action: SubscriptionAction): Availability {
  if (subscription.actions.includes(action)) return ENABLED;
  if (subscription.notManageableReason !== null) return { enabled: false, reason: subscription.notManageableReason };
  return { enabled: false, reason: whyNot(subscription.status, action) };
}

function whyNot(status: SubscriptionStatus, action: SubscriptionAction): Reason {
  if (CLOSED.includes(status)) return 'SUBSCRIPTION_CLOSED';
  if (action === 'REACTIVATE') return 'SUBSCRIPTION_NOT_SUSPENDED';
  if (status !== 'ACTIVE') return 'SUBSCRIPTION_NOT_ACTIVE';
  if (action === 'DECREASE_QUANTITY') return 'NO_REFUNDABLE_SEATS';
  if (action === 'CANCEL') return 'CANCELLATION_WINDOW_CLOSED';
  // Active, yet refused: the offer's maximum reached, a renewal under way.
  return 'NOT_POSSIBLE_NOW';
}

/** Either way of changing the count: enabled when one of them is, else why more may not be added. */
export function changeCount(subscription: SubscriptionFacts): Availability {
  const decrease = subscriptionAction(subscription, 'DECREASE_QUANTITY');
  return decrease.enabled ? decrease : subscriptionAction(subscription, 'INCREASE_QUANTITY');
}

/** Any change of status: enabled when one is possible, else why the likeliest one is not. */
export function changeStatus(subscription: SubscriptionFacts): Availability {
  const options: SubscriptionAction[] = ['SUSPEND', 'REACTIVATE', 'CANCEL'];
  if (options.some((action) => subscription.actions.includes(action))) return ENABLED;
  return subscriptionAction(subscription, subscription.status === 'SUSPENDED' ? 'REACTIVATE' : 'SUSPEND');
}

/** Whether the viewer may buy for customers: only partner roles that change subscriptions. */
export function addSubscription(viewer: ViewerFacts): Availability {
  if (viewer.customer !== null) return { enabled: false, reason: 'CUSTOMERS_BUY_DIRECTLY' };
  if (READ_ONLY_ROLES.includes(viewer.role)) return { enabled: false, reason: 'ROLE_READ_ONLY' };
  return ENABLED;
}

/** Whether the viewer may add customers: the same partner roles that buy for them. */
export function createCustomer(viewer: ViewerFacts): Availability {
  if (viewer.customer !== null) return { enabled: false, reason: 'ONLY_PARTNERS_ADD_CUSTOMERS' };
  if (READ_ONLY_ROLES.includes(viewer.role)) return { enabled: false, reason: 'ROLE_MAY_NOT_ADD_CUSTOMERS' };
  return ENABLED;
}
