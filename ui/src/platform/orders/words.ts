// The orders page's words, zh-CN first, in their own namespace.
import i18next from 'i18next';
import zh from '../../locales/zh-CN/platform-orders.json';
import en from '../../locales/en-US/platform-orders.json';

export const NS = 'platform-orders';
i18next.addResourceBundle('zh-CN', NS, zh, true, true);
i18next.addResourceBundle('en-US', NS, en, true, true);

export { slot, when, yuan } from './format';
