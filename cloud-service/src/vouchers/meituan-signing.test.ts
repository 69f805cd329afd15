// Meituan's signature against the platform's own published example (the 签名规则 of its open
// platform: secret "test", the parameters below, the string it shows before hashing) and the
// rules that example states: `sign` and empty values left out, names in ASCII order.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { meituanSign, meituanSigningString } from './meituan-signing';

const PUBLISHED = {
  secret: 'test',
  params: {
    appkey: 'test',
    timestamp: '1477395862',
    version: '1.0',
    number: '123',
    string: '测试',
    double: '123.123',
    boolean: 'true',
    empty: '',
  },
  signingString:
    'testappkeytestbooleantruedouble123.123number123string测试timestamp1477395862version1.0',
};

describe("Meituan's request signature", () => {
  it('hashes the string of the published example', () => {
    expect(meituanSigningString(PUBLISHED.secret, PUBLISHED.params)).toBe(PUBLISHED.signingString);
    const sha1 = createHash('sha1').update(PUBLISHED.signingString, 'utf8').digest('hex');
    expect(meituanSign(PUBLISHED.secret, PUBLISHED.params)).toBe(sha1);
    expect(sha1).toMatch(/^[0-9a-f]{40}$/);
  });

  it('leaves out sign itself and empty values, and does not depend on the order given', () => {
    const a = meituanSign('k', { b: '2', a: '1', sign: 'x', c: undefined, d: '' });
    const b = meituanSign('k', { a: '1', b: '2' });
    expect(a).toBe(b);
    expect(meituanSign('k2', { a: '1', b: '2' })).not.toBe(b);
  });
});
