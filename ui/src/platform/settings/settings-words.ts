// The settings screen's words, zh-CN first, in their own namespace, added as the page loads.
import i18next from 'i18next';
import zh from '../../locales/zh-CN/platform-settings.json';
import en from '../../locales/en-US/platform-settings.json';

export const NS = 'platform-settings';
i18next.addResourceBundle('zh-CN', NS, zh, true, true);
i18next.addResourceBundle('en-US', NS, en, true, true);
