// The member wallet's words (the dashboard's 储值 page, the counter's 储值 tab), zh-CN first, in
// their own namespace; each screen's main adds them once the words are started. A refusal is said
// in the wallet's own words where it has them, otherwise as the screens say any refusal.
import { useTranslation } from 'react-i18next';
import zh from '../../locales/zh-CN/wallet.json';
import en from '../../locales/en-US/wallet.json';
import { refusalKey, refusalText } from '../refusal';

export const NS = 'wallet';
export const walletWords = { 'zh-CN': zh, 'en-US': en } as const;

export function useWalletRefusal(): (e: unknown) => string {
  const { t } = useTranslation(NS);
  return (e) => {
    const key = refusalKey(e);
    return key in zh.errors ? t(`errors.${key}`) : refusalText(t, e);
  };
}
