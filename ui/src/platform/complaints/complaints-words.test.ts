// The complaints page says everything in both languages: the same keys in zh-CN and English, none
// empty, a name for every status, outcome and speaker of a complaint and every status of an order.
import { describe, expect, it } from 'vitest';
import {
  BookingStatusSchema,
  COMPLAINT_OUTCOMES,
  COMPLAINT_OUTCOME_WORDS,
  COMPLAINT_STATUSES,
} from '@roomhub/shared-types';
import zh from '../../locales/zh-CN/platform-complaints.json';
import en from '../../locales/en-US/platform-complaints.json';

const entriesOf = (o: unknown, prefix = ''): [string, unknown][] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => entriesOf(v, prefix ? `${prefix}.${k}` : k))
    : [[prefix, o]];

describe('the complaints page’s words', () => {
  it('has every key in both languages, none empty', () => {
    const keys = (o: unknown) => entriesOf(o).map(([k]) => k);
    expect(keys(en).sort()).toEqual(keys(zh).sort());
    for (const lang of [zh, en])
      for (const [key, v] of entriesOf(lang)) expect(String(v).trim(), key).not.toBe('');
  });

  it('names every status, outcome and order status, outcomes as the messages say them', () => {
    for (const s of COMPLAINT_STATUSES) expect(zh.status[s]).toBeTruthy();
    for (const o of COMPLAINT_OUTCOMES) expect(zh.outcome[o]).toBe(COMPLAINT_OUTCOME_WORDS[o]);
    for (const s of BookingStatusSchema.options) expect(zh.orderStatus[s]).toBeTruthy();
  });
});
