// Builds the cloud's platform voucher parts from its configuration: an adapter for each platform
// whose credentials are given (none, and that platform answers `platform_unavailable`), the
// store grants, the service and the hub check. cloud.ts calls it once; nothing else does.
import type { Clock, VoucherPlatform } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import type { StoreZones } from '../stores/store-zones';
import { DouyinAdapter, type DouyinConfig } from './douyin-adapter';
import { HubCallers } from './hub-callers';
import { MeituanAdapter, type MeituanConfig } from './meituan-adapter';
import { PlatformGrants } from './platform-grants';
import { PlatformVoucherService } from './platform-vouchers';
import { SealedTokens } from './sealed-tokens';
import type { VoucherPlatformAdapter } from './voucher-platform';

export interface VoucherPlatformsConfig {
  meituan?: Omit<MeituanConfig, 'clock'>;
  douyin?: Omit<DouyinConfig, 'clock'>;
  /** Adapters made elsewhere (tests), in place of the ones the settings above make. */
  adapters?: Partial<Record<VoucherPlatform, VoucherPlatformAdapter>>;
  /** A token is refreshed once it has less than this left. */
  refreshAheadMs?: number;
}

export interface PlatformVoucherParts {
  service: PlatformVoucherService;
  grants: PlatformGrants;
  hubs: HubCallers;
}

export function createPlatformVouchers(d: {
  couch: CouchClient;
  couchUrl: string;
  clock: Clock;
  zones: StoreZones;
  /** The cloud's secret: prepare tokens and OAuth states are signed with keys made from it. */
  secret: string;
  config: VoucherPlatformsConfig;
}): PlatformVoucherParts {
  const { meituan, douyin } = d.config;
  const adapters: Partial<Record<VoucherPlatform, VoucherPlatformAdapter>> = {
    ...(meituan ? { meituan: new MeituanAdapter({ ...meituan, clock: d.clock }) } : {}),
    ...(douyin ? { douyin: new DouyinAdapter({ ...douyin, clock: d.clock }) } : {}),
    ...d.config.adapters,
  };
  const sealed = new SealedTokens(d.secret, d.clock);
  const grants = new PlatformGrants({
    couch: d.couch,
    clock: d.clock,
    sealed,
    adapters,
    ...(d.config.refreshAheadMs !== undefined ? { refreshAheadMs: d.config.refreshAheadMs } : {}),
  });
  return {
    service: new PlatformVoucherService({
      couch: d.couch,
      clock: d.clock,
      grants,
      sealed,
      zones: d.zones,
    }),
    grants,
    hubs: new HubCallers({ couchUrl: d.couchUrl, clock: d.clock }),
  };
}
