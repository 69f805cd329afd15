// The receipt's words, zh-CN first, in their own namespace: loaded with the screen that prints it,
// not with the board.
import i18next from 'i18next';
import zh from '../../locales/zh-CN/receipt.json';
import en from '../../locales/en-US/receipt.json';

export const NS = 'receipt';
i18next.addResourceBundle('zh-CN', NS, zh, true, true);
i18next.addResourceBundle('en-US', NS, en, true, true);
