// The cleaner's calls to the hub (the cleaner's phone page): the cleaning tasks, taking one,
// giving it back, its photo (the image itself as the body), done, and the room's door. Each call
// carries the signed-in staff member's token; the hub decides who may do what, and a sign-in it
// no longer knows sends the page back to the PIN. Types are the hub's own, from shared-types.
import type {
  ApiErrorBody,
  CleaningDone,
  CleaningTaskStatus,
  CleaningTaskView,
  DoorOpened,
  SignedIn,
  StoreView,
} from '@roomhub/shared-types';
import { HubRefusal, UNREACHABLE } from './hub-client';
import { forgetSignIn, signedIn } from './staff-session';

const SIGNED_OUT = new Set(['sign_in_expired', 'sign_in_required']);

/**
 * The phone's own screen token: the hub serves the store's Wi-Fi only to paired devices, so a
 * cleaner's phone is paired once with a manager's code (as a `phone`: it may do nothing by
 * itself) and proves it on every call beside the cleaner's sign-in.
 */
const PHONE_KEY = 'roomhub.phoneScreenToken';
export const phoneToken = {
  get: (): string | null => window.localStorage.getItem(PHONE_KEY),
  keep: (token: string): void => window.localStorage.setItem(PHONE_KEY, token),
  forget: (): void => window.localStorage.removeItem(PHONE_KEY),
};
/** The hub does not serve this phone until it is paired (again). */
export const NEEDS_PAIRING = new Set(['screen_or_staff_only', 'screen_not_paired']);

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': 'zh-CN' };
  const token = signedIn()?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const phone = phoneToken.get();
  if (phone) headers['x-screen-token'] = phone;
  // A photo goes as the image itself (its own type), anything else as JSON.
  const raw = body instanceof Blob;
  if (body !== undefined) headers['content-type'] = raw ? body.type : 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      ...(body !== undefined ? { body: raw ? body : JSON.stringify(body) } : {}),
    });
  } catch {
    throw new HubRefusal(0, UNREACHABLE, 'the hub did not answer');
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // a proxy's or a captive portal's page: the hub itself was not reached
    throw new HubRefusal(0, UNREACHABLE, 'the hub did not answer');
  }
  if (!res.ok) {
    const e = (parsed as ApiErrorBody | null)?.error;
    if (e && SIGNED_OUT.has(e.code) && token) forgetSignIn();
    if (e?.code === 'screen_not_paired') phoneToken.forget();
    throw new HubRefusal(res.status, e?.code ?? 'internal', e?.message ?? res.statusText, e?.field);
  }
  return parsed as T;
}

export interface TaskFilter {
  status?: CleaningTaskStatus;
  date?: string;
  mine?: boolean;
}

const query = (f: TaskFilter) => {
  const p = new URLSearchParams();
  if (f.status) p.set('status', f.status);
  if (f.date) p.set('date', f.date);
  if (f.mine) p.set('mine', 'true');
  const s = p.toString();
  return s ? `?${s}` : '';
};

export const cleaning = {
  /** Pairs this phone with a manager's 8-digit code; keeps the token it is given. */
  pair: async (code: string): Promise<void> => {
    phoneToken.keep((await call<{ token: string }>('POST', '/api/screens/pair', { code })).token);
  },
  signIn: (pin: string) => call<SignedIn>('POST', '/api/auth/sign-in', { pin }),
  signOut: () => call<unknown>('POST', '/api/auth/sign-out'),
  /** Who is signed in; a sign-in the hub has ended is forgotten by asking. */
  me: () => call<{ staff: SignedIn['staff'] }>('GET', '/api/auth/me'),
  health: () => call<{ time: string }>('GET', '/api/health'),
  store: () => call<StoreView>('GET', '/api/store'),
  /** The tasks still to do (open and taken by anyone) unless a status is asked for. */
  tasks: (f: TaskFilter = {}) => call<CleaningTaskView[]>('GET', `/api/cleaning/tasks${query(f)}`),
  task: (id: string) => call<CleaningTaskView>('GET', `/api/cleaning/tasks/${id}`),
  take: (id: string) => call<CleaningTaskView>('POST', `/api/cleaning/tasks/${id}/take`),
  release: (id: string) => call<CleaningTaskView>('POST', `/api/cleaning/tasks/${id}/release`),
  done: (id: string, body: CleaningDone) =>
    call<CleaningTaskView>('POST', `/api/cleaning/tasks/${id}/done`, body),
  /** A JPEG or PNG of the cleaned room, sent as it is. */
  photo: (id: string, image: Blob) =>
    call<CleaningTaskView>('POST', `/api/cleaning/tasks/${id}/photo`, image),
  openDoor: (roomId: string, reason: string) =>
    call<DoorOpened>('POST', `/api/rooms/${roomId}/door/open`, { reason }),
};
