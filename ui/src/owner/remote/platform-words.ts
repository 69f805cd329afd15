// The 平台账号 page's words, zh-CN first, in their own namespace; the dashboard's main adds them
// once the words are started.
import zh from '../../locales/zh-CN/owner-platforms.json';
import en from '../../locales/en-US/owner-platforms.json';

export const NS = 'owner-platforms';
export const platformWords = { 'zh-CN': zh, 'en-US': en } as const;
