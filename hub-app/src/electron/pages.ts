// What the store's screens show while the hub is not serving: a plain page, in Chinese first and
// English second, saying what is happening and, when the hub cannot start, what the staff should
// do. Pure: HTML text only, shown by the shell as a data: URL (no file, no server needed).
import type { HubServiceState } from './hub-service';

/** Quick deaths in a row before the screens stop saying "restarting" and say what to do. */
export const FAILED_STARTS_BEFORE_ERROR = 3;

export interface PageContext {
  /** The desktop app's settings file, named when the hub refuses its settings. */
  settingsFile: string;
  /** The desktop app's log, where support reads the whole story. */
  logFile: string;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    '<style>body{font:24px/1.5 sans-serif;margin:48px;max-width:1000px;color:#222;background:#fff}' +
    'h1{font-size:36px}h2{font-size:26px;margin-top:40px;color:#555}ol{padding-left:1.2em}' +
    'pre{font-size:16px;background:#f4f4f4;padding:16px;white-space:pre-wrap}</style></head>' +
    `<body>${body}</body></html>`
  );
}

export function startingPage(): string {
  return page(
    '正在启动 · Starting',
    '<h1>门店系统正在启动，请稍候…</h1><h2 lang="en">The store system is starting, please wait…</h2>',
  );
}

export function restartingPage(attempt: number): string {
  return page(
    '正在重新启动 · Restarting',
    `<h1>门店系统正在重新启动（第 ${attempt} 次），请稍候…</h1>` +
      `<h2 lang="en">The store system is restarting (attempt ${attempt}), please wait…</h2>`,
  );
}

export interface CannotStart {
  reason: string;
  /** The hub or the app refused its settings: retrying will not help until they are fixed. */
  settingsRefused: boolean;
  settingsFile: string;
  logFile: string;
  /** Null when the app does not retry by itself (its own settings file is wrong). */
  retryInSec: number | null;
}

export function cannotStartPage(p: CannotStart): string {
  const file = `<code>${escapeHtml(p.settingsFile)}</code>`;
  const zhSteps = p.settingsRefused
    ? `<li>设置有误：按下面的提示修改设置文件 ${file}。</li><li>改好后重新启动这台电脑。</li>` +
      '<li>不清楚怎么改，请联系技术支持，并把下面的信息拍照发给他们。</li>'
    : '<li>检查这台电脑的网线、门锁和设备控制器、扫码枪是否接好并通电。</li>' +
      '<li>重新启动这台电脑。</li>' +
      '<li>仍然无法启动，请联系技术支持，并把下面的信息拍照发给他们。</li>';
  const enSteps = p.settingsRefused
    ? `<li>A setting is wrong: fix the settings file ${file} as the message below says.</li>` +
      '<li>Then restart this computer.</li>' +
      '<li>If unsure, call support and send them a photo of the message below.</li>'
    : "<li>Check that this computer's network cable, the door and device controllers and the scanner are plugged in and powered.</li>" +
      '<li>Restart this computer.</li>' +
      '<li>If it still cannot start, call support and send them a photo of the message below.</li>';
  const zhRetry = p.retryInSec === null ? '' : `<p>系统会每 ${p.retryInSec} 秒自动再试一次。</p>`;
  const enRetry =
    p.retryInSec === null
      ? ''
      : `<p lang="en">The system tries again by itself every ${p.retryInSec} s.</p>`;
  return page(
    '无法启动 · Cannot start',
    `<h1>门店系统无法启动</h1><p>请这样做：</p><ol>${zhSteps}</ol>${zhRetry}` +
      `<h2 lang="en">The store system cannot start</h2><div lang="en"><p>What to do:</p><ol>${enSteps}</ol></div>${enRetry}` +
      `<pre>${escapeHtml(p.reason)}</pre>` +
      `<p>完整记录 · Full log: <code>${escapeHtml(p.logFile)}</code></p>`,
  );
}

/** The page the screens show for the hub's state, or null while it serves (the screens load). */
export function pageForState(state: HubServiceState, ctx: PageContext): string | null {
  switch (state.kind) {
    case 'serving':
      return null;
    case 'starting':
      return state.failedStarts === 0 ? startingPage() : null;
    case 'restarting':
      if (state.settingsRefused || state.failedStarts >= FAILED_STARTS_BEFORE_ERROR) {
        return cannotStartPage({
          reason: state.reason,
          settingsRefused: state.settingsRefused,
          settingsFile: ctx.settingsFile,
          logFile: ctx.logFile,
          retryInSec: Math.round(state.retryInMs / 1000),
        });
      }
      return restartingPage(state.failedStarts + 1);
    case 'stopped':
      return null;
  }
}

export const dataUrl = (html: string) => `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
