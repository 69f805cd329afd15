// Every error a server can answer has its zh-CN sentence, and input errors say the field and the
// rule in words, not in the validator's terms.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StoreSearchQuerySchema } from '../api/customer';
import { DomainError, errorAnswer, parseInput } from '../errors';
import { pickLanguage } from './messages';
import zhCN from './messages.zh-CN.json';

const root = resolve(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('the words of errors', () => {
  it('have a zh-CN sentence for every code a server throws', () => {
    const codes = new Set<string>();
    for (const pkg of ['hub-app', 'cloud-service', 'cloud-sync', 'shared-types']) {
      for (const file of sources(join(root, pkg, 'src'))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/new DomainError\(\s*'[a-z_]+',\s*'([a-z_]+)'/g))
          codes.add(m[1]!);
        for (const m of text.matchAll(/\binvalid\(\s*'([a-z_]+)'/g)) codes.add(m[1]!);
      }
    }
    expect(codes.size).toBeGreaterThan(50);
    const missing = [...codes].filter((c) => !(c in zhCN.errors));
    expect(missing).toEqual([]);
  });

  it('say a missing field is required and a wrong one breaks which rule, in both languages', () => {
    const schema = z.object({
      date: z.string(),
      partySize: z.number().int().max(12),
      kind: z.enum(['cash', 'wechat']),
    });
    const missing = refusal(() => parseInput(schema, { partySize: 2, kind: 'cash' }, 'query'));
    expect(missing.message).toBe('date: is required');
    expect(errorAnswer(missing, 'zh-CN')!.body.error.message).toBe('日期：必填');
    const big = refusal(() =>
      parseInput(schema, { date: 'x', partySize: 40, kind: 'cash' }, 'body'),
    );
    expect(big.message).toBe('partySize: must be at most 12');
    expect(big.messageIn('zh-CN')).toBe('人数：不能大于 12');
    const word = refusal(() =>
      parseInput(schema, { date: 'x', partySize: 'two', kind: 'cash' }, 'body'),
    );
    expect(word.message).toBe('partySize: must be a number');
    const kind = refusal(() =>
      parseInput(schema, { date: 'x', partySize: 2, kind: 'card' }, 'body'),
    );
    expect(kind.message).toBe('kind: must be one of: cash, wechat');
    expect(kind.messageIn('zh-CN')).toBe('kind：须为以下之一：cash、wechat');
  });

  it('say a number out of range is out of range, not "not a number"', () => {
    const far = refusal(() =>
      parseInput(StoreSearchQuerySchema, { lat: '31.2', lng: '121.4', maxKm: '100000' }, 'query'),
    );
    expect(far.message).toBe('maxKm: must be at most 20000');
    expect(far.messageIn('zh-CN')).toBe('距离：不能大于 20000');
    const word = refusal(() =>
      parseInput(StoreSearchQuerySchema, { lat: '31.2', lng: '121.4', maxKm: 'far' }, 'query'),
    );
    expect(word.message).toBe('maxKm: must be a number');
  });

  it('keep a rule the schema words itself', () => {
    const pin = z.object({ pin: z.string().regex(/^\d{6,12}$/, 'a PIN is 6 to 12 digits') });
    const e = refusal(() => parseInput(pin, { pin: '1' }, 'body'));
    expect(e.message).toBe('pin: a PIN is 6 to 12 digits');
    expect(e.messageIn('zh-CN')).toBe('PIN：PIN 为 6 到 12 位数字');
  });

  it('fill a sentence with its values, money in yuan and statuses in words', () => {
    const fee = new DomainError('conflict', 'fee_changed', 'the fee is now 1520 fen').with({
      fee: 1520,
      shown: 0,
    });
    expect(fee.messageIn('zh-CN')).toBe('现在的手续费是 ¥15.20，不是之前显示的 ¥0.00；请重新确认');
    expect(fee.messageIn('en')).toBe('the fee is now 1520 fen');
    const state = new DomainError('conflict', 'illegal_transition', 'cannot').with({
      status: 'cancelled',
    });
    expect(state.messageIn('zh-CN')).toBe('这个预订当前是「已取消」，不能这样操作');
  });

  it('answer in the language the caller asks for first', () => {
    expect(pickLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLanguage('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(pickLanguage('en;q=0.5, zh;q=0.9')).toBe('zh-CN');
    expect(pickLanguage(undefined)).toBe('en');
  });
});
