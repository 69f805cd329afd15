// The words of messages and customer-service chat say everything in both languages.
import { describe, expect, it } from 'vitest';
import zh from '../locales/zh-CN/talk.json';
import en from '../locales/en-US/talk.json';

const keysOf = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

const valueAt = (o: unknown, key: string): unknown =>
  key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

describe('the talk words', () => {
  it('has every key in zh-CN and English, none empty', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zh).sort());
    for (const key of keysOf(zh)) {
      expect(String(valueAt(zh, key)).trim()).not.toBe('');
      expect(String(valueAt(en, key)).trim()).not.toBe('');
    }
  });
});
