// The screens' words: every string through a key, zh-CN the default and complete, English
// complete beside it (namespaces as Ant Design Pro lays them out: locales/<lang>/<namespace>.json).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCommon from './zh-CN/common.json';
import zhErrors from './zh-CN/errors.json';
import zhKiosk from './zh-CN/kiosk.json';
import enCommon from './en-US/common.json';
import enErrors from './en-US/errors.json';
import enKiosk from './en-US/kiosk.json';

export const resources = {
  'zh-CN': { common: zhCommon, kiosk: zhKiosk, errors: zhErrors },
  'en-US': { common: enCommon, kiosk: enKiosk, errors: enErrors },
} as const;

export function startI18n(lng: 'zh-CN' | 'en-US' = 'zh-CN') {
  void i18next.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: 'zh-CN',
    defaultNS: 'common',
    interpolation: { escapeValue: false },
  });
  return i18next;
}
