// The complaints page's words, zh-CN first, in their own namespace.
import i18next from 'i18next';
import zh from '../../locales/zh-CN/platform-complaints.json';
import en from '../../locales/en-US/platform-complaints.json';

export const NS = 'platform-complaints';
i18next.addResourceBundle('zh-CN', NS, zh, true, true);
i18next.addResourceBundle('en-US', NS, en, true, true);

/** Money in fen as yuan, two decimals. */
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** A moment as the platform's staff read it (Shanghai time). */
export const when = (at: string) =>
  new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
