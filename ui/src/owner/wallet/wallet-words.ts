// The 储值 page's words, zh-CN first, in their own namespace; the dashboard's main adds them once
// the words are started. A refusal the page meets is said in the page's own words where it has
// them (the wallet's refusals), otherwise as the dashboard says any refusal.
import { useTranslation } from 'react-i18next';
import zh from '../../locales/zh-CN/owner-wallet.json';
import en from '../../locales/en-US/owner-wallet.json';
import { refusalKey } from '../../components/refusal';
import { ownerRefusal } from '../refusal-text';

export const NS = 'owner-wallet';
export const walletWords = { 'zh-CN': zh, 'en-US': en } as const;

export function useWalletRefusal(): (e: unknown) => string {
  const { t } = useTranslation(NS);
  const owner = useTranslation('owner').t;
  return (e) => {
    const key = refusalKey(e);
    return key in zh.errors ? t(`errors.${key}`) : ownerRefusal(owner, e);
  };
}
