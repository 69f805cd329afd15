// The counter's own screen token, when the cashier's page runs on a computer of the store's
// network rather than on the hub's own machine: the hub serves that network only to paired
// screens, so a counter PC is paired once (a manager's code typed at sign-in, or the desktop
// shell opening `/cashier/#screenToken=<token>`) and sends `X-Screen-Token` beside the staff
// member's sign-in. Kept apart from a kiosk's token, so one browser can hold both screens.
const KEY = 'roomhub.counterScreenToken';

export function takeCounterTokenFromAddress(): void {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const token = hash.get('screenToken');
  if (!token) return;
  keepCounterScreenToken(token);
  hash.delete('screenToken');
  const rest = hash.toString();
  window.history.replaceState(
    null,
    '',
    window.location.pathname + window.location.search + (rest ? `#${rest}` : ''),
  );
}

export function counterScreenToken(): string | null {
  return window.localStorage.getItem(KEY);
}

export function keepCounterScreenToken(token: string): void {
  window.localStorage.setItem(KEY, token);
}

/** The hub no longer knows this screen (a manager unpaired it): pair it again. */
export function forgetCounterScreenToken(): void {
  window.localStorage.removeItem(KEY);
}

/** What the counter proves on every call: its screen, when paired. */
export function counterScreenHeaders(): Record<string, string> {
  const token = counterScreenToken();
  return token ? { 'x-screen-token': token } : {};
}
