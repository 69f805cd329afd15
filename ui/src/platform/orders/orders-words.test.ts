// The orders page says everything in both languages: the same keys in zh-CN and English, none
// empty, a name for every order status; and a slot reads as its start and end.
import { describe, expect, it } from 'vitest';
import { BookingStatusSchema } from '@roomhub/shared-types';
import zh from '../../locales/zh-CN/platform-orders.json';
import en from '../../locales/en-US/platform-orders.json';
import { slot, yuan } from './format';

const entriesOf = (o: unknown, prefix = ''): [string, unknown][] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => entriesOf(v, prefix ? `${prefix}.${k}` : k))
    : [[prefix, o]];

describe('the orders page’s words', () => {
  it('has every key in both languages, none empty, and every order status named', () => {
    const keys = (o: unknown) => entriesOf(o).map(([k]) => k);
    expect(keys(en).sort()).toEqual(keys(zh).sort());
    for (const lang of [zh, en])
      for (const [key, v] of entriesOf(lang)) expect(String(v).trim(), key).not.toBe('');
    for (const s of BookingStatusSchema.options) {
      expect(zh.status[s]).toBeTruthy();
      expect(en.status[s]).toBeTruthy();
    }
  });

  it('reads money in yuan and a slot within one day without its end’s date', () => {
    expect(yuan(12000)).toBe('¥120.00');
    expect(slot('2026-12-03T06:00:00.000Z', '2026-12-03T08:00:00.000Z')).toBe(
      '2026/12/3 14:00:00 – 16:00:00',
    );
  });
});
