import { describe, expect, it } from 'vitest';
import { addSubscription, createCustomer, changeCount, changeStatus, subscriptionAction, type SubscriptionFacts, type ViewerFacts } from './availability';

const partnerAdmin: ViewerFacts = { role: 'GLOBAL_ADMIN', customer: null };
const helpdesk: ViewerFacts = { role: 'HELPDESK_AGENT', customer: null };
const nickOfNorthwind: ViewerFacts = { role: 'CUSTOMER_ADMIN', customer: { createdByPartner: false } };
const bought: SubscriptionFacts = {
  status: 'ACTIVE',
  actions: ['INCREASE_QUANTITY', 'DECREASE_QUANTITY', 'SUSPEND', 'CANCEL', 'CHANGE_RENEWAL', 'RENAME'],
  notManageableReason: null,
};
const older: SubscriptionFacts = { ...bought, actions: ['INCREASE_QUANTITY', 'SUSPEND', 'CHANGE_RENEWAL', 'RENAME'] };
const suspended: SubscriptionFacts = { status: 'SUSPENDED', actions: ['REACTIVATE'], notManageableReason: null };

describe('which actions a subscription offers', () => {
  it('enables exactly what the server lists', () => {
    expect(subscriptionAction(bought, 'CANCEL')).toEqual({ enabled: true });
    expect(subscriptionAction(suspended, 'REACTIVATE')).toEqual({ enabled: true });
  });
  it('gives the server’s reason for a subscription that is not the viewer’s, whatever the action', () => {
    const readOnly: SubscriptionFacts = { ...bought, actions: [], notManageableReason: 'ROLE_READ_ONLY' };
    expect(subscriptionAction(readOnly, 'SUSPEND')).toEqual({ enabled: false, reason: 'ROLE_READ_ONLY' });
    expect(changeCount(readOnly)).toEqual({ enabled: false, reason: 'ROLE_READ_ONLY' });
    expect(changeStatus(readOnly)).toEqual({ enabled: false, reason: 'ROLE_READ_ONLY' });
  });
  it('names the rule that rules out an action of a manageable subscription', () => {
    expect(subscriptionAction(older, 'DECREASE_QUANTITY')).toEqual({ enabled: false, reason: 'NO_REFUNDABLE_SEATS' });
    expect(subscriptionAction(older, 'CANCEL')).toEqual({ enabled: false, reason: 'CANCELLATION_WINDOW_CLOSED' });
    expect(subscriptionAction(older, 'REACTIVATE')).toEqual({ enabled: false, reason: 'SUBSCRIPTION_NOT_SUSPENDED' });
    expect(subscriptionAction(suspended, 'INCREASE_QUANTITY')).toEqual({ enabled: false, reason: 'SUBSCRIPTION_NOT_ACTIVE' });
    const atMaximum: SubscriptionFacts = { ...older, actions: ['SUSPEND'] };
    expect(changeCount(atMaximum)).toEqual({ enabled: false, reason: 'NOT_POSSIBLE_NOW' });
    const cancelled: SubscriptionFacts = { status: 'CANCELLED', actions: [], notManageableReason: null };
    expect(changeStatus(cancelled)).toEqual({ enabled: false, reason: 'SUBSCRIPTION_CLOSED' });
  });
  it('offers a count change while either direction is open', () => {
    expect(changeCount(older)).toEqual({ enabled: true });
    expect(changeCount(suspended)).toEqual({ enabled: false, reason: 'SUBSCRIPTION_NOT_ACTIVE' });
  });
});

describe('buying', () => {
  it('is for partner roles that may change subscriptions', () => {
    expect(addSubscription(partnerAdmin)).toEqual({ enabled: true });
    expect(addSubscription(helpdesk)).toEqual({ enabled: false, reason: 'ROLE_READ_ONLY' });
    expect(addSubscription(nickOfNorthwind)).toEqual({ enabled: false, reason: 'CUSTOMERS_BUY_DIRECTLY' });
  });
});

describe('adding customers', () => {
  it('is for the partner roles that buy', () => {
    expect(createCustomer(partnerAdmin)).toEqual({ enabled: true });
    expect(createCustomer(helpdesk)).toEqual({ enabled: false, reason: 'ROLE_MAY_NOT_ADD_CUSTOMERS' });
    expect(createCustomer(nickOfNorthwind)).toEqual({ enabled: false, reason: 'ONLY_PARTNERS_ADD_CUSTOMERS' });
  });
});
