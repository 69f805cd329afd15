// One call to a voucher platform over HTTP: a time limit on every call, and anything that is not
// a readable answer (no connection, a time-out, a 5xx, a body that is not JSON) told as
// `platform_unavailable`. After such a failure the caller cannot know whether the platform did
// what it was asked; the service's records decide what happens next, never this module.
import type { VoucherPlatform } from '@roomhub/shared-types';
import { platformError } from './voucher-platform';

export async function callPlatform(
  platform: VoucherPlatform,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<unknown> {
  let text: string;
  try {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
    if (res.status >= 500) throw new Error(`answered ${res.status}`);
  } catch {
    throw platformError(platform, 'platform_unavailable');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw platformError(platform, 'platform_unavailable');
  }
}
