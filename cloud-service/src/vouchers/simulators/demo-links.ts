// For `npm start` with the local simulators: links the demo store to each simulator's demo shop
// the way an owner would, through the platform's authorise page and the cloud's callback, so a
// developer can redeem the demo codes at once. Asks the simulator (its /__sim/demo, which no real
// platform has) which shop is the demo's; never run against a real platform.
import type { VoucherPlatform } from '@roomhub/shared-types';
import type { PlatformGrants } from '../platform-grants';

export async function linkDemoStore(
  grants: PlatformGrants,
  cloudUrl: string,
  storeId: string,
  simulators: Partial<Record<VoucherPlatform, string>>,
): Promise<VoucherPlatform[]> {
  const linked: VoucherPlatform[] = [];
  for (const [platform, simUrl] of Object.entries(simulators) as [VoucherPlatform, string][]) {
    const demo = (await (await fetch(`${simUrl}/__sim/demo`)).json()) as {
      shopId?: string;
      poiId?: string;
    };
    const pick = platform === 'meituan' ? `shop=${demo.shopId}` : `poi_id=${demo.poiId}`;
    const owner = { username: 'demo', storeIds: [storeId] };
    const callbackUrl = `${cloudUrl}/api/platform-auth/${platform}/callback`;
    const { authoriseUrl } = grants.start(owner, storeId, platform, callbackUrl);
    const granted = await fetch(`${authoriseUrl}&${pick}`, { redirect: 'manual' });
    const back = granted.headers.get('location');
    if (!back) throw new Error(`the ${platform} simulator did not send the owner back`);
    const done = await fetch(back);
    if (!done.ok) throw new Error(`linking the ${platform} demo shop failed: ${await done.text()}`);
    linked.push(platform);
  }
  return linked;
}
