// The merchant application pages' words (the `merchant` namespace, zh-CN first), added the first
// time one of those pages draws, and their refusals in one plain sentence: their own words for the
// codes only these pages meet, else the cloud's Chinese sentence (it names the field, the kinds a
// document may be and the size it may have), else the customer pages' words.
import i18next, { type TFunction } from 'i18next';
import { CloudRefusal } from '../api/cloud-client';
import { customerRefusal } from './refusal-text';
import zhMerchant from '../locales/zh-CN/merchant.json';
import enMerchant from '../locales/en-US/merchant.json';

export function useMerchantWords(): void {
  if (i18next.hasResourceBundle('zh-CN', 'merchant')) return;
  i18next.addResourceBundle('zh-CN', 'merchant', zhMerchant, true, true);
  i18next.addResourceBundle('en-US', 'merchant', enMerchant, true, true);
}

const chinese = /[\u4e00-\u9fff]/u;

export function merchantRefusal(t: TFunction, e: unknown): string {
  if (e instanceof CloudRefusal) {
    const own = t(`merchant:refusals.${e.code}`, { defaultValue: '' });
    if (own) return own;
    if (chinese.test(e.message)) return /[。！？]$/u.test(e.message) ? e.message : `${e.message}。`;
  }
  return customerRefusal(t, e);
}
