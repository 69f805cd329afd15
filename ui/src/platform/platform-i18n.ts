// Starts the console's words before any page module loads: a page may add its own namespace as
// its module is read, which needs i18next started first (main.tsx imports this first).
import i18next from 'i18next';
import { startI18n } from '../locales/i18n';
import zhPlatform from '../locales/zh-CN/platform.json';
import enPlatform from '../locales/en-US/platform.json';

startI18n('zh-CN');
i18next.addResourceBundle('zh-CN', 'platform', zhPlatform, true, true);
i18next.addResourceBundle('en-US', 'platform', enPlatform, true, true);
