import { describe, expect, it } from 'vitest';
import { clockTime, isoInStore, localDate, startChoices } from './store-time';
import { yuan } from './yuan';

describe('money on the screens', () => {
  it('shows fen as yuan with two decimals', () => {
    expect(yuan(7600)).toBe('76.00');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(123456)).toBe('1234.56');
    expect(yuan(-250)).toBe('-2.50');
    expect(yuan(0)).toBe('0.00');
  });
});

describe('times in the store’s zone', () => {
  const t = Date.parse('2026-11-23T17:05:00Z'); // 01:05 the next day in Shanghai

  it('reads the clock and the date in the store’s zone, whatever the screen’s', () => {
    expect(clockTime(t, 'Asia/Shanghai')).toBe('01:05');
    expect(localDate(t, 'Asia/Shanghai')).toBe('2026-11-24');
    expect(clockTime(t, 'Europe/London')).toBe('17:05');
  });

  it('writes an instant as the hub takes it, with the store’s offset', () => {
    expect(isoInStore(t, 'Asia/Shanghai')).toBe('2026-11-24T01:05:00+08:00');
    expect(Date.parse(isoInStore(t, 'Asia/Shanghai'))).toBe(t);
  });

  it('offers starts on the store’s step: the step under way first, then every step after', () => {
    const now = Date.parse('2026-11-23T10:07:00+08:00');
    const until = Date.parse('2026-11-23T12:00:00+08:00');
    expect(startChoices(now, 30, until).map((x) => clockTime(x, 'Asia/Shanghai'))).toEqual([
      '10:00',
      '10:30',
      '11:00',
      '11:30',
    ]);
  });
});
