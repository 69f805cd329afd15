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
const CODE_PARAM = 'wxcode';
const CODE_KEY = 'roomhub.wechat.code';

/**
 * Keeps the login code the mini-program put in the address it opened (`?wxcode=`), and takes it
 * out of the address: a code works once, and a page reloaded or shared must not carry it.
 */
export function keepLoginCode(): void {
  const url = new URL(window.location.href);
  const code = url.searchParams.get(CODE_PARAM);
  if (code === null) return;
  if (/^[\w-]{1,128}$/.test(code)) sessionStorage.setItem(CODE_KEY, code);
  url.searchParams.delete(CODE_PARAM);
  window.history.replaceState(window.history.state, '', url.toString());
}

/** The kept login code, once: the cloud refuses a code used before. */
export function takeLoginCode(): string | null {
  const code = sessionStorage.getItem(CODE_KEY);
  sessionStorage.removeItem(CODE_KEY);
  return code;
}
