// A refusal the cloud (or the store, through it) answers, as one plain Chinese sentence for the
// customer: the customer's own words for the codes these pages meet; else the cloud's sentence,
// which it writes in Chinese when asked; else the general sentence. Never English to a customer.
import type { TFunction } from 'i18next';
import { CloudRefusal, CLOUD_UNREACHABLE } from '../api/cloud-client';

/**
 * The store's refusal of a booking reaches the cloud as the hub's English words, without its code;
 * the ones these pages know are named from them, so the customer reads their own sentence.
 */
const STORE_REASONS: [RegExp, string][] = [
  [/taken|overlap|no longer free|not free|already booked/i, 'slot_taken'],
  [/past|already started/i, 'start_in_past'],
  [/closed|opening hours|outside/i, 'outside_hours'],
];

export function refusalCode(e: unknown): string {
  if (!(e instanceof CloudRefusal)) return CLOUD_UNREACHABLE;
  if (e.code === 'invalid_input' && e.field === 'phone') return 'phone_invalid';
  if ((e.code === 'rejected' || e.code === 'refused') && e.intent?.reason) {
    const known = STORE_REASONS.find(([re]) => re.test(e.intent!.reason!));
    if (known) return known[1];
  }
  return e.code;
}

const chinese = /[\u4e00-\u9fff]/u;

export function customerRefusal(t: TFunction, e: unknown): string {
  const code = refusalCode(e);
  const own = t(`customer:errors.${code}`, { defaultValue: '' });
  if (own) return own;
  const said = e instanceof CloudRefusal ? (e.intent?.reason ?? e.message) : '';
  if (said && chinese.test(said)) return /[。！？]$/u.test(said) ? said : `${said}。`;
  return t('customer:errors.fallback');
}
