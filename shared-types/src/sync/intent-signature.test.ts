import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, intentKeyId, intentSigningText } from './intent-signature';

describe('the text an intent is signed over', () => {
  it('is one text for one value, whatever the order of keys', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
    expect(canonicalJson({ b: 1, a: [2, { d: 'x', c: null }], e: undefined })).toBe(
      '{"a":[2,{"c":null,"d":"x"}],"b":1}',
    );
  });

  it("covers the id and every field, but not the signature nor CouchDB's own fields", () => {
    const doc = { _id: 'intent:i1', type: 'intent', body: { bookingId: 'k1' } };
    const text = intentSigningText(doc);
    expect(intentSigningText({ ...doc, _rev: '3-abc', signature: { keyId: 'k', sig: 's' } })).toBe(
      text,
    );
    expect(intentSigningText({ ...doc, _id: 'intent:i2' })).not.toBe(text);
    expect(intentSigningText({ ...doc, body: { bookingId: 'k2' } })).not.toBe(text);
    expect(intentSigningText({ ...doc, extra: 1 })).not.toBe(text);
  });

  it('names a key by the start of the SHA-256 of its SPKI bytes', () => {
    const spki = new Uint8Array([1, 2, 3]);
    expect(intentKeyId(spki)).toBe(createHash('sha256').update(spki).digest('hex').slice(0, 16));
  });
});
