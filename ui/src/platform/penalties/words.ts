// The words of a merchant's penalties and a customer's profile edits, zh-CN first, in their own
// namespace.
import i18next from 'i18next';
import zh from '../../locales/zh-CN/platform-penalties.json';
import en from '../../locales/en-US/platform-penalties.json';

export const NS = 'platform-penalties';
i18next.addResourceBundle('zh-CN', NS, zh, true, true);
i18next.addResourceBundle('en-US', NS, en, true, true);
