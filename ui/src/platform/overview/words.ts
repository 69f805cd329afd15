// The overview's and the anomalies' words, zh-CN first, in their own namespace (the sentence
// that explains an anomaly is the shared list's: components/anomaly-list.tsx).
import i18next from 'i18next';
import zh from '../../locales/zh-CN/platform-overview.json';
import en from '../../locales/en-US/platform-overview.json';

export const NS = 'platform-overview';
i18next.addResourceBundle('zh-CN', NS, zh, true, true);
i18next.addResourceBundle('en-US', NS, en, true, true);
