// Starts a whole hub: database, demo store on first start, the simulated payment gateway, the
// HTTP API and the scheduler. `main.ts` calls it with the environment; tests call it with a
// temporary folder and their own clock.
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Clock, OnlinePaymentMethod } from '@roomhub/shared-types';
import type { OnlineChannel } from './payments/channel';
import type { NewId } from './clock';
import { systemClock } from './clock';
import { createHub, type Hub } from './hub';
import type { PlatformVoucherClient } from './vouchers/platform-redemptions';
import type { VoucherMoveClient } from './vouchers/voucher-moves';
import type { DealStockClient } from './vouchers/deal-stock';
import type { WalletMoveClient } from './wallet/wallet-moves';
import type { ChatRelay } from './chat/chat-relay';
import type { StoreInbox } from './messages/store-inbox';
import type { ReviewStatesClient } from './reviews/review-states';
import { createApp } from './http/app';
import { defaultScreensDir, mountScreens } from './http/screens';
import { logger, openLog } from './log';
import { seedDemoStore } from './demo/seed';
import { AlipayChannel, UnionPayChannel, WechatPayChannel } from '@roomhub/payment-gateways';
import {
  startSimulatedAlipay,
  type AlipayKeys,
  type SimulatedAlipay,
} from '@roomhub/payment-gateways/alipay-simulator';
import {
  generateUnionPayKeys,
  startSimulatedUnionPay,
  type SimulatedUnionPay,
  type UnionPayKeys,
} from '@roomhub/payment-gateways/unionpay-simulator';
import {
  startSimulatedGateway,
  type GatewayKeys,
  type SimulatedGateway,
} from '@roomhub/payment-gateways/simulator';
import { startDevices, type DevicesSource, type StartedDevices } from './devices/devices-setup';
import { loadScannersConfig, startHubScanners } from './devices/scanners-setup';
import type { Scanners } from '@roomhub/firmware-bridge';
import type { CloudLink, CloudSync } from './sync/cloud-sync-setup';
import { removeHubAddress, writeHubAddress } from './hub-address';
import { SIMULATOR_KEYS_FILE, simulatorKeys, type SimulatorKeys } from './payments/simulator-keys';
import type { Channels } from './payments/channel';
import { markChannel } from './payments/channel-kinds';

export interface HubServerOptions {
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  clock?: Clock;
  newId?: NewId;
  /** Run the local stand-in for an online payment gateway (the default). */
  simulatedGateway?:
    | boolean
    | {
        port?: number;
        keys?: GatewayKeys;
        autoPayDelayMs?: number | null;
        retryDelaysMs?: number[];
        /** The Alipay simulator's keys (it runs beside the WeChat one). */
        alipayKeys?: AlipayKeys;
        /**
         * The UnionPay simulator's keys. Given none of the three simulators' keys, a hub uses
         * those kept in its data folder; given some, it makes the others (UnionPay's once per
         * process).
         */
        unionpayKeys?: UnionPayKeys;
      };
  /** Online channels over the embedded simulators' (gateways a test keeps across a restart). */
  channels?: Partial<Record<OnlinePaymentMethod, OnlineChannel>>;
  /** Start the scheduler's alarm; tests with a manual clock run due jobs themselves. */
  runScheduler?: boolean;
  seedDemo?: boolean;
  /** Relay boards and AC: a devices file, the Modbus simulator (the default), or none. */
  devices?: DevicesSource;
  /** How often the bridge polls relays, contacts and AC; 0 turns polling off (tests). */
  devicePollMs?: number;
  /** A scanners file (serial and HID scanners, door scanners); none by default. */
  scannersFile?: string;
  /**
   * The cloud's CouchDB with the store's own user (provisioned: the hub creates no database), its
   * intent keys and the customer id key; no sync when absent.
   */
  cloud?: CloudLink;
  /** The owner's PIN when the store has no owner yet (first start); generated if absent. */
  ownerPin?: string | undefined;
  /** How long a staff sign-in lasts; 12 hours unless set. */
  tokenTtlMs?: number;
  /** The cloud's Meituan / Douyin voucher calls (cloud-sync's `CloudPlatformVouchers`). */
  platformVouchers?: PlatformVoucherClient;
  /** The cloud's move of the owner's other stores' vouchers (cloud-sync's `CloudVoucherMoves`). */
  voucherMoves?: VoucherMoveClient;
  /** The cloud's one stock of our own deals (cloud-sync's `CloudDealStock`). */
  dealStock?: DealStockClient;
  /** The cloud's moves of shared wallets (cloud-sync's `CloudWalletMoves`). */
  walletMoves?: WalletMoveClient;
  /** The cloud's customer-service chat, relayed for the store's staff (cloud-sync's `CloudChats`). */
  chats?: ChatRelay;
  /** The store's inbox in the cloud, relayed for the owner and managers (`CloudStoreInbox`). */
  inbox?: StoreInbox;
  /** The platform's review states of the store's items (cloud-sync's `CloudReviews`). */
  reviews?: ReviewStatesClient;
  /** The built screens (ui/dist unless HUB_SCREENS_DIR says otherwise), served at /kiosk/. */
  screensDir?: string;
}

export interface HubServer {
  hub: Hub;
  url: string;
  /** Set when this start made the owner with a generated PIN: shown once, then never again. */
  generatedOwnerPin: string | null;
  gateway: SimulatedGateway | null;
  alipay: SimulatedAlipay | null;
  unionpay: SimulatedUnionPay | null;
  devices: StartedDevices;
  scanners: Scanners | null;
  cloud: CloudSync | null;
  server: Server;
  close(): Promise<void>;
}

/** The UnionPay simulator's keys for hubs given other keys, made once per process. */
let devUnionPayKeys: Promise<UnionPayKeys> | null = null;

export async function startHubServer(opts: HubServerOptions): Promise<HubServer> {
  const clock = opts.clock ?? systemClock;
  const host = opts.host ?? '127.0.0.1';
  // Set inside startSimulators (`as`: so the checker does not take them for null for good).
  let gateway = null as SimulatedGateway | null;
  let alipay = null as SimulatedAlipay | null;
  let unionpay = null as SimulatedUnionPay | null;
  const gw = opts.simulatedGateway ?? true;
  const g = typeof gw === 'object' ? gw : {};
  // The hub's services read the channels when money moves: the stand-ins' are added to this one
  // object, before the hub serves or (at a store's first start) a moment after.
  const channels: Channels = { ...opts.channels };
  const startSimulators = async (kept: SimulatorKeys | null) => {
    alipay = await startSimulatedAlipay({
      host: '127.0.0.1',
      clock,
      keys: g.alipayKeys ?? kept?.alipay,
      ...(g.autoPayDelayMs !== undefined ? { autoPayDelayMs: g.autoPayDelayMs } : {}),
      ...(g.retryDelaysMs ? { retryDelaysMs: g.retryDelaysMs } : {}),
    });
    unionpay = await startSimulatedUnionPay({
      host: '127.0.0.1',
      clock,
      keys:
        g.unionpayKeys ?? kept?.unionpay ?? (await (devUnionPayKeys ??= generateUnionPayKeys())),
      ...(g.autoPayDelayMs !== undefined ? { autoPayDelayMs: g.autoPayDelayMs } : {}),
      ...(g.retryDelaysMs ? { retryDelaysMs: g.retryDelaysMs } : {}),
    });
    gateway = await startSimulatedGateway({
      // A simulator lets anyone "pay": it listens on loopback only, whatever the hub's host.
      host: '127.0.0.1',
      port: g.port ?? 0,
      clock,
      keys: g.keys ?? kept?.wechat,
      ...(g.autoPayDelayMs !== undefined ? { autoPayDelayMs: g.autoPayDelayMs } : {}),
      ...(g.retryDelaysMs ? { retryDelaysMs: g.retryDelaysMs } : {}),
    });
    const simulated: Channels = {
      wechat: new WechatPayChannel({
        gatewayUrl: gateway.url,
        platformPublicKeyPem: gateway.platformPublicKeyPem,
        platformSerial: gateway.platformSerial,
        apiV3Key: gateway.apiV3Key,
        merchant: gateway.merchant,
        clock,
      }),
      alipay: new AlipayChannel({
        gatewayUrl: alipay.gatewayUrl,
        appId: alipay.appId,
        appPrivateKeyPem: alipay.appPrivateKeyPem,
        alipayPublicKeyPem: alipay.alipayPublicKeyPem,
        cashierBaseUrl: alipay.url,
      }),
      unionpay: new UnionPayChannel({
        gatewayUrl: unionpay.url,
        merId: unionpay.merId,
        signCertId: unionpay.signCertId,
        merchantPrivateKeyPem: unionpay.merchantPrivateKeyPem,
        gatewayRootCertPem: unionpay.rootCertPem,
        gatewayMiddleCertPem: unionpay.middleCertPem,
        cashierBaseUrl: unionpay.url,
        clock,
      }),
    };
    markChannel(simulated.wechat!, 'simulator', gateway.url);
    markChannel(simulated.alipay!, 'simulator', alipay.gatewayUrl);
    markChannel(simulated.unionpay!, 'simulator', unionpay.url);
    // Channels the caller gave stay over the stand-ins'.
    Object.assign(channels, simulated, opts.channels);
  };
  // Given none of their keys, the stand-ins use those kept in the data folder. Kept already, they
  // are read at once; at a store's first start they are made (most of a second) while the hub
  // serves, and the stand-ins join a moment after it answers.
  const givenKeys = Boolean(g.alipayKeys || g.unionpayKeys || g.keys);
  const simulatorsLater =
    Boolean(gw) && !givenKeys && !existsSync(join(opts.dataDir, SIMULATOR_KEYS_FILE));
  if (gw && !simulatorsLater) {
    await startSimulators(givenKeys ? null : await simulatorKeys(opts.dataDir));
  }

  let devices: StartedDevices | null = null;
  let scanners: Scanners | null = null;
  let cloud: CloudSync | null = null;
  const hubLog = openLog(join(opts.dataDir, 'logs'));
  let hub: Hub;
  try {
    hub = createHub({
      dataDir: opts.dataDir,
      clock,
      ...(opts.newId ? { newId: opts.newId } : {}),
      ...(opts.tokenTtlMs ? { tokenTtlMs: opts.tokenTtlMs } : {}),
      ...(opts.cloud?.intentKeys ? { cloudKeys: opts.cloud.intentKeys } : {}),
      ...(opts.cloud?.customerIdKey ? { customerIdKey: opts.cloud.customerIdKey } : {}),
      ...(opts.platformVouchers ? { platformVouchers: opts.platformVouchers } : {}),
      ...(opts.voucherMoves ? { voucherMoves: opts.voucherMoves } : {}),
      ...(opts.dealStock ? { dealStock: opts.dealStock } : {}),
      ...(opts.walletMoves ? { walletMoves: opts.walletMoves } : {}),
      ...(opts.chats ? { chats: opts.chats } : {}),
      ...(opts.inbox ? { inbox: opts.inbox } : {}),
      ...(opts.reviews ? { reviews: opts.reviews } : {}),
      channels,
    });
  } catch (e) {
    // A hub that cannot open its database (another hub holds it) leaves nothing running.
    await gateway?.close();
    await alipay?.close();
    await unionpay?.close();
    await hubLog.close();
    throw e;
  }
  let ownerPin: string | null = null;
  try {
    await hub.writes.run(() => hub.doorCodes.sealPlain());
    if (opts.seedDemo ?? true) await seedDemoStore(hub);
    ownerPin = await ensureOwner(hub, opts.ownerPin);
    await hub.redemptions.start();
    const roomIds = hub.store.hasStore()
      ? hub.store.listRooms({ includeRetired: true }).map((r) => r.id)
      : [];
    const started = await startDevices(
      opts.devices ?? { kind: 'simulator' },
      roomIds,
      clock,
      opts.devicePollMs,
    );
    devices = started;
    hub.devices.attach(started.devices);
    // Relays forget their state in a power cut: put every device where the sessions need it.
    await hub.devices
      .boot()
      .catch((e: unknown) => logger().warn({ err: e }, 'devices could not all be set at start'));
    if (opts.scannersFile) {
      scanners = await startHubScanners(hub, await loadScannersConfig(opts.scannersFile));
    }
    // Every deal's rules as they now are, for vouchers sold after an edit made by an older hub.
    await hub.writes.run(() => hub.deals.keepCurrentRevisions());
    if (opts.cloud && hub.store.hasStore()) {
      // Publish the store, its rooms, its member settings and staff at every start, so a hub that synced
      // nothing yet (or was restored from a backup) is listed in the cloud with what it has now.
      await hub.writes.run(() => {
        hub.store.publishAll();
        hub.outbox.markMemberSettings();
        hub.outbox.markStaffList();
      });
      // Loaded only by a hub that syncs: PouchDB and its kin take a while to load.
      const { startCloudSync } = await import('./sync/cloud-sync-setup');
      cloud = await startCloudSync(hub, opts.cloud);
    }
    const app = createApp(hub, {
      scanners: () => scanners?.status() ?? [],
      sync: () => cloud?.status() ?? null,
      exposed: !isLoopbackHost(host),
    });
    // The store's screens come from the hub too: no other server in the store.
    mountScreens(app, opts.screensDir ?? defaultScreensDir());
    const server = await new Promise<Server>((resolve, reject) => {
      // Express 5 calls back with the error too (a port taken): that is a refusal, not a start.
      const s = app.listen(opts.port ?? 8080, host, (err?: Error) =>
        err ? reject(err) : resolve(s),
      );
      s.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${host}:${port}`;
    // Links a phone opens (a payment page) name an address the store's network reaches.
    hub.setPublicUrl(process.env.HUB_PUBLIC_URL ?? `http://${reachableHost(host)}:${port}`);
    logger().info({ url, dataDir: opts.dataDir }, 'hub started');
    writeHubAddress(opts.dataDir, host, port);
    if (simulatorsLater) {
      try {
        await startSimulators(await simulatorKeys(opts.dataDir));
      } catch (e) {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        removeHubAddress(opts.dataDir);
        throw e;
      }
    }
    if (opts.runScheduler ?? true) hub.scheduler.start();
    return {
      hub,
      url,
      generatedOwnerPin: ownerPin,
      gateway,
      alipay,
      unionpay,
      devices: started,
      scanners,
      cloud,
      server,
      async close() {
        hub.scheduler.stop();
        hub.devices.attach(null);
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await gateway?.close();
        await alipay?.close();
        await unionpay?.close();
        await cloud?.stop();
        await scanners?.close();
        await started.close();
        removeHubAddress(opts.dataDir);
        hub.close();
        await hubLog.close();
      },
    };
  } catch (e) {
    hub.close();
    await hubLog.close();
    await gateway?.close();
    await alipay?.close();
    await unionpay?.close();
    await cloud?.stop();
    await scanners?.close();
    await devices?.close();
    throw e;
  }
}

/** The address others reach a hub on: its first LAN address when it listens on every one. */
function reachableHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host;
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal);
  return lan?.address ?? '127.0.0.1';
}

const isLoopbackHost = (host: string) =>
  host === 'localhost' || host === '::1' || host.startsWith('127.');

/**
 * The first start makes the store's owner, with `pin` (HUB_OWNER_PIN) or a generated one, which
 * is returned to be shown once. A store that has an owner is left alone.
 */
async function ensureOwner(hub: Hub, pin: string | undefined): Promise<string | null> {
  if (hub.staff.hasOwner()) return null;
  const chosen = pin ?? String(randomInt(0, 100_000_000)).padStart(8, '0');
  const pinHash = await hub.staff.hashPin(chosen);
  const firstStart = { kind: 'system', id: 'first-start', role: 'owner' } as const;
  await hub.writes.run(() =>
    hub.staff.create({ name: '店主', role: 'owner', pin: chosen, pinHash }, firstStart),
  );
  return pin ? null : chosen;
}
