// The app's addresses. Global ids are base64 (+, /, =): encoded in paths, decoded from params.

export const customersPath = '/';
export const customerPath = (customerId: string) => `/customers/${encodeURIComponent(customerId)}`;
export const addSubscriptionPath = (customerId: string) => `${customerPath(customerId)}/add`;
export const subscriptionPath = (subscriptionId: string) => `/subscriptions/${encodeURIComponent(subscriptionId)}`;

export function idParam(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return ''; // a malformed escape: no such object, as the API says for a malformed id
  }
}
