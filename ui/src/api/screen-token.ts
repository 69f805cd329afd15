// The token this screen was paired with (X-Screen-Token), kept in the browser's storage so the
// kiosk is paired once. It arrives either from the pairing screen (the owner's one-time code typed
// on the kiosk's keypad) or from the Electron shell, which opens the page with
// `#screenToken=<token>`; the fragment is read once and taken out of the address bar, so it never
// reaches a log or a screenshot.
const KEY = 'roomhub.screenToken';

export function takeTokenFromAddress(): void {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const token = hash.get('screenToken');
  if (!token) return;
  saveScreenToken(token);
  hash.delete('screenToken');
  const rest = hash.toString();
  window.history.replaceState(
    null,
    '',
    window.location.pathname + window.location.search + (rest ? `#${rest}` : ''),
  );
}

export function screenToken(): string | null {
  return window.localStorage.getItem(KEY);
}

export function saveScreenToken(token: string): void {
  window.localStorage.setItem(KEY, token);
}

const forgotten = new Set<() => void>();

/** The hub no longer knows this token (the owner unpaired the screen): pair again. */
export function forgetScreenToken(): void {
  window.localStorage.removeItem(KEY);
  for (const f of forgotten) f();
}

/** Calls `f` when the token is forgotten; returns how to stop. */
export function onScreenTokenForgotten(f: () => void): () => void {
  forgotten.add(f);
  return () => forgotten.delete(f);
}
