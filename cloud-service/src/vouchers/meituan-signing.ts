// Meituan's request signature (developer.meituan.com, 签名规则): every parameter but `sign` and the
// empty ones, sorted by name, written name then value with nothing between, the app's signKey put
// in front, and the SHA-1 of that in lower-case hex. Pure.
import { createHash } from 'node:crypto';

export type MeituanParams = Record<string, string | number | boolean | undefined | null>;

/** The string that is hashed, signKey first. */
export function meituanSigningString(signKey: string, params: MeituanParams): string {
  const pairs = Object.entries(params)
    .filter(([k, v]) => k !== 'sign' && v !== undefined && v !== null && String(v) !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}${String(v)}`);
  return `${signKey}${pairs.join('')}`;
}

export function meituanSign(signKey: string, params: MeituanParams): string {
  return createHash('sha1').update(meituanSigningString(signKey, params), 'utf8').digest('hex');
}
