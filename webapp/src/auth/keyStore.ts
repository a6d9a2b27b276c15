// The API key lives in memory and in this tab's sessionStorage (gone when the tab closes), never in
// localStorage. GraphiQL, on the same origin and in the same tab, reads it from here as well.
const STORAGE_KEY = 'csp.apiKey';

export function readKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function writeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function clearKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
