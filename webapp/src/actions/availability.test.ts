import { describe, expect, it } from 'vitest';
import { addSubscription, notManageableReason, subscriptionAction, type ViewerFacts } from './availability';

const partnerAdmin: ViewerFacts = { role: 'GLOBAL_ADMIN', customer: null };
const helpdesk: ViewerFacts = { role: 'HELPDESK_AGENT', customer: null };
const adaOfAdatum: ViewerFacts = { role: 'CUSTOMER_ADMIN', customer: { createdByPartner: true } };
const nickOfNorthwind: ViewerFacts = { role: 'CUSTOMER_ADMIN', customer: { createdByPartner: false } };
const active = { canManage: true, status: 'ACTIVE', channel: 'PARTNER' } as const;
const notMine = { ...active, canManage: false };

describe('why a subscription is not the viewer’s to change', () => {
  it('follows API version 2’s order of reasons', () => {
    expect(notManageableReason(active, partnerAdmin)).toBeNull();
    expect(notManageableReason(notMine, helpdesk)).toBe('ROLE_READ_ONLY');
    expect(notManageableReason({ ...notMine, channel: 'DIRECT' }, partnerAdmin)).toBe('DIRECT_PURCHASE');
    expect(notManageableReason({ ...notMine, channel: 'DIRECT' }, adaOfAdatum)).toBe('PARTNER_CREATED_ACCOUNT');
    expect(notManageableReason(notMine, nickOfNorthwind)).toBe('SOLD_BY_PARTNER');
  });
});

describe('which actions a subscription offers', () => {
  it('takes the status into account once the subscription is the viewer’s', () => {
    expect(subscriptionAction(active, partnerAdmin, 'CHANGE_QUANTITY')).toEqual({ enabled: true });
    expect(subscriptionAction(active, partnerAdmin, 'SUSPEND')).toEqual({ enabled: true });
    const suspended = { ...active, status: 'SUSPENDED' } as const;
    expect(subscriptionAction(suspended, partnerAdmin, 'REACTIVATE')).toEqual({ enabled: true });
    expect(subscriptionAction(suspended, partnerAdmin, 'CHANGE_QUANTITY')).toEqual({
      enabled: false,
      reason: 'SUBSCRIPTION_NOT_ACTIVE',
    });
    const deleted = { ...active, status: 'DELETED' } as const;
    expect(subscriptionAction(deleted, partnerAdmin, 'SUSPEND')).toEqual({ enabled: false, reason: 'SUBSCRIPTION_CLOSED' });
  });
  it('gives the reason of not managing before any status', () => {
    expect(subscriptionAction(notMine, helpdesk, 'CHANGE_QUANTITY')).toEqual({ enabled: false, reason: 'ROLE_READ_ONLY' });
  });
  it('lets partner roles that may change subscriptions buy them', () => {
    expect(addSubscription(partnerAdmin)).toEqual({ enabled: true });
    expect(addSubscription(helpdesk)).toEqual({ enabled: false, reason: 'ROLE_READ_ONLY' });
    expect(addSubscription(nickOfNorthwind)).toEqual({ enabled: false, reason: 'CUSTOMERS_BUY_DIRECTLY' });
  });
});
