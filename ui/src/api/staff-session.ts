// The signed-in staff member of a counter screen: the token their PIN got them (sent as
// `Authorization: Bearer`), kept for this browser tab only, so closing the tab signs the
// counter out of the page and the next person at the till signs in with their own PIN.
import type { SignedIn } from '@roomhub/shared-types';

const KEY = 'roomhub.staffSignIn';

export function signedIn(): SignedIn | null {
  const text = window.sessionStorage.getItem(KEY);
  if (!text) return null;
  try {
    // Whether it has ended is the hub's to say (its clock, not this machine's): a call it refuses
    // with sign_in_expired forgets it.
    return JSON.parse(text) as SignedIn;
  } catch {
    return null;
  }
}

export function keepSignIn(s: SignedIn): void {
  window.sessionStorage.setItem(KEY, JSON.stringify(s));
}

/** The sign-in ended (signed out, expired, or the hub no longer knows it). */
export function forgetSignIn(): void {
  window.sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

const listeners = new Set<() => void>();

/** Called whenever the sign-in ends, so the page goes back to the PIN. */
export function onSignedOut(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
