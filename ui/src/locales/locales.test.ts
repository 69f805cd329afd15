// Both languages say everything: the same keys in zh-CN and English, no empty sentence, and a
// sentence for every refusal the kiosk's calls may meet.
import { describe, expect, it } from 'vitest';
import { resources } from './i18n';

const keysOf = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

const valueAt = (o: unknown, key: string): unknown =>
  key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

describe('the screens’ words', () => {
  for (const ns of Object.keys(resources['zh-CN']) as (keyof (typeof resources)['zh-CN'])[]) {
    it(`has every ${ns} key in both languages, none empty`, () => {
      const zh = keysOf(resources['zh-CN'][ns]).sort();
      const en = keysOf(resources['en-US'][ns]).sort();
      expect(en).toEqual(zh);
      for (const key of zh) {
        expect(String(valueAt(resources['zh-CN'][ns], key)).trim()).not.toBe('');
        expect(String(valueAt(resources['en-US'][ns], key)).trim()).not.toBe('');
      }
    });
  }

  it('has a plain sentence for each refusal of booking, paying and the door', () => {
    const codes = [
      'slot_taken',
      'too_many_holds',
      'off_step',
      'too_short',
      'too_long',
      'party_too_large',
      'method_not_offered',
      'channel_unavailable',
      'gateway_unavailable',
      'wrong_code',
      'too_early',
      'booking_over',
      'door_locked_out',
      'door_failed',
      'no_lock',
      'pass_expired',
      'screen_not_paired',
      'pairing_code_invalid',
      'hub_unreachable',
      'fallback',
    ];
    for (const code of codes) {
      const zh = resources['zh-CN'].errors[code as keyof (typeof resources)['zh-CN']['errors']];
      expect(zh, code).toMatch(/[\u4e00-\u9fff].*。$/);
    }
  });
});
