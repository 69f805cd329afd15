// The bridge to the WeChat mini-program whose web-view hosts the customer's pages: whether the
// page runs there, and WeChat's JS-SDK (`wx.miniProgram`) loaded on first need. Outside WeChat
// there is no bridge and the pages do without it.
import type { MiniProgramShareMessage } from '@roomhub/shared-types';

const JS_SDK = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js';

export interface MiniProgramBridge {
  navigateTo(o: { url: string; fail?: (e: unknown) => void }): void;
  /** Kept by the mini-program and handed to it when it shares (or goes back, or closes). */
  postMessage(o: { data: MiniProgramShareMessage }): void;
}
interface WxWindow {
  __wxjs_environment?: string;
  wx?: { miniProgram?: MiniProgramBridge };
}

/** Whether the page runs in a WeChat mini-program's web-view. */
export function inMiniProgram(): boolean {
  const w = window as unknown as WxWindow;
  return w.__wxjs_environment === 'miniprogram' || /miniProgram/i.test(navigator.userAgent);
}

/** The mini-program bridge of WeChat's JS-SDK, loaded on first need. */
export async function miniProgram(): Promise<MiniProgramBridge | null> {
  const w = window as unknown as WxWindow;
  if (!w.wx?.miniProgram) {
    await new Promise<void>((resolve) => {
      const s = document.createElement('script');
      s.src = JS_SDK;
      s.onload = () => resolve();
      s.onerror = () => resolve();
      document.head.appendChild(s);
    });
  }
  return w.wx?.miniProgram ?? null;
}

/**
 * Where the customer pays from, as the cloud's ways to pay are listed for it: the mini-program,
 * this page opened in WeChat's own browser, or in any other browser.
 */
export function paySurface(): 'mini_program' | 'h5_in_wechat' | 'h5' {
  if (inMiniProgram()) return 'mini_program';
  return /MicroMessenger/i.test(navigator.userAgent) ? 'h5_in_wechat' : 'h5';
}

/** The mini-program's page that runs wx.login() and opens these pages again with its code. */
export const LOGIN_PAGE = '/pages/login/login';
const CODE_KEY = 'roomhub.wechat.code';
const STATE_KEY = 'roomhub.wechat.state';
/** How long a hand-over waits for the mini-program to come back with a code. */
const HAND_OVER_MS = 10 * 60_000;

/**
 * A new hand-over's state: the mini-program's login page gives it back with the code, so a code
 * someone else put in a link is never taken for this customer's.
 */
export function newLoginState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const state = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  localStorage.setItem(STATE_KEY, JSON.stringify({ state, until: Date.now() + HAND_OVER_MS }));
  return state;
}

/**
 * Keeps the login code the mini-program's login page came back with (`?wxcode=&wxstate=`) when
 * the state is this page's own hand-over's, and takes both out of the address either way: a code
 * works once, and a page reloaded or shared must not carry it.
 */
export function keepLoginCode(): void {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('wxcode');
  const state = url.searchParams.get('wxstate');
  if (code === null && state === null) return;
  url.searchParams.delete('wxcode');
  url.searchParams.delete('wxstate');
  window.history.replaceState(window.history.state, '', url.toString());
  let asked: { state?: unknown; until?: unknown } = {};
  try {
    asked = JSON.parse(localStorage.getItem(STATE_KEY) ?? '{}') as typeof asked;
  } catch {
    // A kept state that does not read is no hand-over.
  }
  const ours = state !== null && asked.state === state && Number(asked.until) > Date.now();
  if (ours && code !== null && /^[\w-]{1,128}$/.test(code)) {
    localStorage.removeItem(STATE_KEY);
    sessionStorage.setItem(CODE_KEY, code);
  }
}

/** The kept login code, once: the cloud refuses a code used before. */
export function takeLoginCode(): string | null {
  const code = sessionStorage.getItem(CODE_KEY);
  sessionStorage.removeItem(CODE_KEY);
  return code;
}
