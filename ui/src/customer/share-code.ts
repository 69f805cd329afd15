// The share code a customer arrived with (a deal's share link, `?share=`), kept on this phone per
// store until they buy there or join the store, which pass it to the cloud: signing in on the way
// or looking around first loses nothing. The code names nobody; the cloud alone knows whose it is
// and credits nobody when it is the customer's own. Kept for 30 days.

/** As ShareCodeSchema in shared-types says, without bringing zod into the page. */
const SHARE_CODE = /^[A-Za-z0-9]{12}$/;

const KEY = 'roomhub.h5.shares';
const KEEP_MS = 30 * 24 * 3_600_000;

type Kept = Record<string, { code: string; at: number }>;

function read(): Kept {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return typeof v === 'object' && v !== null ? (v as Kept) : {};
  } catch {
    return {};
  }
}

/** Keeps the code of a page's address (`?share=`) for its store; a malformed one is ignored. */
export function keepShareCode(storeId: string, search: string, now = Date.now()): void {
  const code = new URLSearchParams(search).get('share');
  if (!storeId || !code || !SHARE_CODE.test(code)) return;
  const kept = read();
  // The first link a friend came through is the one that brought them.
  if (kept[storeId] && now - kept[storeId].at < KEEP_MS) return;
  kept[storeId] = { code, at: now };
  localStorage.setItem(KEY, JSON.stringify(kept));
}

/** The code kept for a store, if it is still fresh. */
export function shareCodeFor(storeId: string, now = Date.now()): string | undefined {
  const one = read()[storeId];
  return one && now - one.at < KEEP_MS && SHARE_CODE.test(one.code) ? one.code : undefined;
}
