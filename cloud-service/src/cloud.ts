// The composition root: one CouchDB client, one clock, the services wired together. `app.ts`
// builds the cloud here; nothing else constructs services. Knows nothing of HTTP.
import { randomUUID, type KeyObject } from 'node:crypto';
import { CLOUD_DBS, REGISTRY_DB, type Clock } from '@roomhub/shared-types';
import { AccountService } from './account/account.service';
import { PhoneLinks } from './auth/phone-links';
import { SignInService } from './auth/sign-in';
import { SenderLimits } from './auth/send-limits';
import { SmsCodes, type SmsProvider } from './auth/sms';
import { Tokens } from './auth/tokens';
import { SimulatedWechatLogin, type WechatLogin } from './auth/wechat';
import { createCouchClient, type CouchClient } from './couch';
import { createDeals, type DealParts } from './deals/deals-setup';
import { DesignDocs } from './design-docs';
import { Follower } from './follower';
import { AnswerWatch } from './intents/answer-watch';
import { IntentSigner } from './intents/intent-signer';
import { IntentService } from './intents/intents';
import { MemberCodes } from './member-codes/member-codes';
import { Messages, type MessageChannels } from './messages/messages';
import { tellPenalty } from './messages/penalty-notices';
import { Chats } from './chat/chats';
import { Complaints } from './chat/complaints';
import { CustomerIndex } from './orders/customers';
import { OrderService } from './orders/order.service';
import { CustomerOrders } from './orders/orders';
import { CloudWallet } from './wallet/cloud-wallet';
import { CloudTeaOrders } from './menu/tea-orders';
import { CloudTables } from './tables/cloud-tables';
import { CloudCoupons } from './coupons/cloud-coupons';
import { CloudWalletMoves } from './wallet/wallet-moves';
import { OwnerIntents } from './owner/owner-intents';
import { OwnerView } from './owner/owner-view';
import type { CloudPaymentChannel } from './payments/payment-channel';
import { CloudRefunds } from './payments/refunds';
import { switchedChannel, type SwitchedChannel } from './payments/switched-channel';
import { Catalogue } from './stores/catalogue';
import { ReviewIndex } from './stores/reviews';
import { StoreCache } from './stores/store-cache';
import { StoreService } from './stores/store.service';
import { StoreZones } from './stores/store-zones';
import {
  createPlatformVouchers,
  type PlatformVoucherParts,
  type VoucherPlatformsConfig,
} from './vouchers/platform-voucher-setup';
import { logger } from '@roomhub/logging';
import { CloudInvoices } from './invoices/invoice.service';
import { createPlatform, type PlatformParts } from './platform/platform-setup';
import {
  createPlatformWatch,
  type PlatformWatchParts,
} from './platform/anomalies/platform-watch-setup';

export interface CloudOptions {
  /** CouchDB base URL with the cloud user's credentials (`npm run provision -- --cloud`). */
  couchUrl: string;
  /** HS256 key for tokens; at least 32 characters. */
  jwtSecret: string;
  /** The Ed25519 private key every intent is signed with (a KeyObject or its PEM). */
  signingKey: KeyObject | string;
  /** Keys customer ids (`CUSTOMER_ID_KEY`); every hub must have the same. */
  customerIdKey: string;
  sms: SmsProvider;
  payments: CloudPaymentChannel;
  wechat?: WechatLogin;
  clock?: Clock;
  newId?: () => string;
  /**
   * A booking request or extension not confirmed within this expires; its payment is released.
   * Unset, the platform's setting (payment.holdMinutes, 2 minutes unless changed).
   */
  confirmTimeoutMs?: number;
  /**
   * A door-open intent, or an owner's device switch, not answered within this expires: a door
   * must not open, nor a light come on, minutes later.
   */
  doorTimeoutMs?: number;
  /** An owner's change to a store not answered within this expires. */
  ownerChangeTimeoutMs?: number;
  /**
   * How long after an intent's expiry the cloud still takes the hub's answer before it gives the
   * money back: the hub confirms until the expiry by its own clock, and its answer needs this
   * long at most to reach CouchDB. 15 s unless set.
   */
  expiryGraceMs?: number;
  /** How long a booking POST waits for the hub's answer before answering 202. */
  answerWaitMs?: number;
  /** How long a door, extension, refund or review POST waits for the answer. */
  intentWaitMs?: number;
  /**
   * How long a store's hub asking for a voucher of another store of the owner waits for that
   * store's answer before it is told the store is offline; 5 s unless set.
   */
  voucherMoveWaitMs?: number;
  /**
   * A waiting call learns of its answer from the change feed at once; it also re-reads this often
   * in case the feed misses it.
   */
  answerRecheckMs?: number;
  /** Per phone (an interval, an hourly count, a code's life) and per sender (a minute, an hour). */
  smsLimits?: {
    minIntervalMs?: number;
    perHour?: number;
    ttlMs?: number;
    senderPerMinute?: number;
    senderPerHour?: number;
  };
  /**
   * Express's `trust proxy`: which proxies' `X-Forwarded-For` names the caller. Behind a load
   * balancer it must be set, or every caller is the balancer to the per-sender limits.
   */
  trustProxy?: boolean | number | string;
  /** Meituan / Douyin voucher platforms: our app's credentials for each one configured. */
  voucherPlatforms?: VoucherPlatformsConfig;
  /** The cloud's address as the platforms reach it (their OAuth callback); else each request's. */
  publicUrl?: string;
  /** Where messages go besides the inbox: SMS by template, WeChat subscribe messages. */
  messageChannels?: MessageChannels;
  /** The token the SMS service's push of customers' replies carries (`?token=`). */
  smsPushToken?: string;
  /**
   * `CLOUD_PLATFORM_COUCHDB_URL`: CouchDB with credentials the registry accepts (an admin's),
   * held by the platform's console alone; unset, its changes are refused.
   */
  platformCouchUrl?: string;
  log?: (error: unknown) => void;
}

export interface Cloud {
  clock: Clock;
  couch: CouchClient;
  views: DesignDocs;
  tokens: Tokens;
  smsCodes: SmsCodes;
  wechat: WechatLogin;
  catalogue: Catalogue;
  reviews: ReviewIndex;
  customers: CustomerIndex;
  customerOrders: CustomerOrders;
  intents: IntentService;
  refunds: CloudRefunds;
  ownerView: OwnerView;
  ownerIntents: OwnerIntents;
  signIn: SignInService;
  stores: StoreService;
  orders: OrderService;
  /** Customers' wallet top-ups paid online, credited by the store. */
  wallet: CloudWallet;
  /** Stores' menus and tea orders from the phone, placed by the store. */
  tea: CloudTeaOrders;
  /** Tables of players (C14): open tables, my tables, starting and joining one. */
  tables: CloudTables;
  /** Claimable campaigns, claims, joining a store, my coupons, coupons and points on a bill. */
  coupons: CloudCoupons;
  /** A shared wallet's money moved between the owner's stores, each writing its own part. */
  walletMoves: CloudWalletMoves;
  /** The member codes (会员码) customers show a store's scanner to pay from their wallet. */
  memberCodes: MemberCodes;
  /** Messages to customers and owners: inboxes, sending, contacts, stores' settings. */
  messages: Messages;
  /** Customer-service conversations between customers and stores. */
  chats: Chats;
  /** Complaints between customers and stores, and the platform stepping in. */
  complaints: Complaints;
  /** The token the SMS service's reply push must carry; unset, replies are refused. */
  smsPushToken: string | undefined;
  /** The channel customers' payments are held through; its gateway notifies the cloud. */
  payments: CloudPaymentChannel;
  /** The same channel as customers meet it: closed to new payments while the platform says so. */
  onlinePayments: SwitchedChannel;
  /** Platform vouchers: the hub's prepare / consume / undo, the stores' grants, the hub check. */
  platformVouchers: PlatformVoucherParts;
  /** Our own deals online: the deals on sale, purchases, vouchers and their refunds. */
  deals: DealParts;
  /** Reads the stores' change feeds and drives the index, refunds, settles and catalogue. */
  follower: Follower;
  /** The customer's profile, their data and deleting their account. */
  account: AccountService;
  /** Electronic invoices customers ask their stores for, and the issued PDFs. */
  invoices: CloudInvoices;
  /** The platform operator's console: its staff, guard, audit trail and routes. */
  platform: PlatformParts;
  /** The platform's anomalies, figures, system settings and backups. */
  platformWatch: PlatformWatchParts;
  /** Where errors nobody answers for go: a failed SMS gateway, a bug behind a 500. */
  log: (error: unknown) => void;
  /** Checks that the cloud's databases were provisioned and carries old records over; once. */
  init(): Promise<void>;
  /** Ends the change feeds waiting calls listen on. */
  close(): void;
}

const systemClock: Clock = { now: () => Date.now() };

export function createCloud(options: CloudOptions): Cloud {
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? (() => randomUUID().replaceAll('-', ''));
  const log =
    options.log ?? ((error: unknown) => logger().error({ err: error }, 'unhandled error'));
  const couch = createCouchClient(options.couchUrl);
  const views = new DesignDocs({ couch });
  // What the stores' databases hold, kept in memory while the follower's feeds say it is unchanged.
  const storeCache = new StoreCache({ couch, views });
  const tokens = new Tokens({ secret: options.jwtSecret, clock });
  // The platform's system settings (P5) as its settings store caches them; read at call time, after
  // the platform's parts below exist.
  const platformSettings = () => platformWatch.settings.current();
  // A way to pay online the platform switched off takes no new payment (money held still settles).
  const payments = switchedChannel(
    options.payments,
    async () => (await platformSettings()).payment,
  );
  // How long an online payment is held for the store's answer: fixed by the deployment (tests), or
  // the platform's setting.
  const fixedHold = options.confirmTimeoutMs;
  const holdMs =
    fixedHold !== undefined
      ? async () => fixedHold
      : async () => (await platformSettings()).payment.holdMinutes * 60_000;
  const { senderPerMinute, senderPerHour, ...perPhone } = options.smsLimits ?? {};
  const senders = new SenderLimits({
    couch,
    secret: options.jwtSecret,
    clock,
    ...(senderPerMinute !== undefined ? { perMinute: senderPerMinute } : {}),
    ...(senderPerHour !== undefined ? { perHour: senderPerHour } : {}),
  });
  const smsCodes = new SmsCodes({
    provider: options.sms,
    couch,
    senders,
    secret: options.jwtSecret,
    clock,
    ...perPhone,
    // Unless the deployment fixed it, a phone's hourly codes are what the platform set.
    perHour: perPhone.perHour ?? (async () => (await platformSettings()).sms.perPhonePerHour),
  });
  const wechat = options.wechat ?? new SimulatedWechatLogin();
  const catalogue = new Catalogue({ couch, views, clock, log });
  const zones = new StoreZones({ couch, clock });
  const reviews = new ReviewIndex({ couch, zones, clock });
  const customers = new CustomerIndex({ couch });
  const customerOrders = new CustomerOrders({ couch, views, customers });
  const answers = new AnswerWatch({ couch, log });
  const intents = new IntentService({
    couch,
    payments,
    signer: new IntentSigner(options.signingKey),
    clock,
    newId,
    views,
    answers,
    customers,
    log,
    ...(options.answerRecheckMs !== undefined ? { answerRecheckMs: options.answerRecheckMs } : {}),
    expiryGraceMs: options.expiryGraceMs ?? 15_000,
  });
  const refunds = new CloudRefunds({
    couch,
    payments,
    intents,
    views,
    clock,
    log,
  });
  const ownerView = new OwnerView({ couch, views, clock, storeCache });
  const ownerIntents = new OwnerIntents({
    couch,
    intents,
    zones,
    changeTimeoutMs: options.ownerChangeTimeoutMs ?? 10 * 60_000,
    deviceTimeoutMs: options.doorTimeoutMs ?? 60_000,
    waitMs: options.intentWaitMs ?? 3_000,
    storeCache,
  });
  const signIn = new SignInService({
    couch,
    tokens,
    smsCodes,
    wechat,
    customerIdKey: options.customerIdKey,
    log,
    seen: (c) => messages.seen(c),
    links: new PhoneLinks(couch, clock),
    // The account is made below; a link is made only once the cloud answers requests.
    linked: (from, to) => account.carryProfile(from, to),
  });
  const stores = new StoreService({ couch, views, catalogue, reviews, clock, storeCache });
  const coupons = new CloudCoupons({
    couch,
    views,
    intents,
    stores,
    zones,
    customers,
    orders: customerOrders,
    clock,
    answerWaitMs: options.intentWaitMs ?? 3_000,
    customerIdKey: options.customerIdKey,
  });
  const orders = new OrderService({
    intents,
    orders: customerOrders,
    stores,
    zones,
    confirmTimeoutMs: holdMs,
    doorTimeoutMs: options.doorTimeoutMs ?? 60_000,
    answerWaitMs: options.answerWaitMs ?? 5_000,
    intentWaitMs: options.intentWaitMs ?? 3_000,
    customerIdKey: options.customerIdKey,
    offers: (storeId, phone, couponIds, points) =>
      coupons.offersFor(storeId, phone, couponIds, points),
    heldCoupons: (storeId, bookingId, customerIds) =>
      coupons.heldBy(storeId, bookingId, customerIds),
  });
  const wallet = new CloudWallet({
    intents,
    stores,
    zones,
    confirmTimeoutMs: holdMs,
    answerWaitMs: options.answerWaitMs ?? 5_000,
  });
  const tables = new CloudTables({
    couch,
    views,
    intents,
    stores,
    orders: customerOrders,
    zones,
    clock,
    customerIdKey: options.customerIdKey,
    confirmTimeoutMs: holdMs,
    answerWaitMs: options.answerWaitMs ?? 5_000,
  });
  const tea = new CloudTeaOrders({
    couch,
    intents,
    orders: customerOrders,
    stores,
    zones,
    clock,
    confirmTimeoutMs: holdMs,
    answerWaitMs: options.answerWaitMs ?? 5_000,
  });
  const walletMoves = new CloudWalletMoves({
    couch,
    views,
    intents,
    customerIdKey: options.customerIdKey,
    waitMs: options.voucherMoveWaitMs ?? 5_000,
    expiresInMs: 10 * 60_000,
  });
  const memberCodes = new MemberCodes({ signer: new IntentSigner(options.signingKey), clock });
  const platformVouchers = createPlatformVouchers({
    couch,
    couchUrl: options.couchUrl,
    clock,
    zones,
    secret: options.jwtSecret,
    config: options.voucherPlatforms ?? {},
  });
  const deals = createDeals({
    couch,
    clock,
    newId,
    signingKey: options.signingKey,
    intents,
    payments,
    zones,
    registry: catalogue.registry,
    intentWaitMs: options.intentWaitMs ?? 3_000,
    moveWaitMs: options.voucherMoveWaitMs ?? 5_000,
    log,
  });
  // A deal purchase's payment is the deals' own: the intents' sweep must not give it back.
  intents.claimedElsewhere = (paymentId) => deals.sales.claimsPayment(paymentId);
  // Joining a store through a deal's share link credits its sharer.
  coupons.shares = deals.shares;
  const messages = new Messages({
    couch,
    clock,
    customerIdKey: options.customerIdKey,
    channels: options.messageChannels ?? {},
    log,
  });
  const chats = new Chats({ couch, clock, newId });
  const follower = new Follower({
    messages,
    couch,
    customers,
    reviews,
    refunds,
    intents,
    catalogue,
    deals,
    views,
    storeCache,
    clock,
    log,
    platformWatch: {
      fromChange: (storeId, doc) => platformWatch.fromChange(storeId, doc),
      fromChanges: (storeId, docs) => platformWatch.fromChanges(storeId, docs),
    },
  });

  const account = new AccountService({
    couch,
    clock,
    intents,
    orders,
    coupons,
    deals: deals.sales,
    customers,
    stores,
    zones,
  });

  const platform = createPlatform({
    couch,
    views,
    platformCouchUrl: options.platformCouchUrl,
    smsCodes,
    catalogue,
    customerIdKey: options.customerIdKey,
    secret: options.jwtSecret,
    clock,
    newId,
  });
  // A frozen customer cannot sign in or call (asked of the registry as this instance keeps it);
  // each sign-in is noted for the platform. What the platform writes here is kept before it answers.
  signIn.freezes = {
    frozenReason: (customerId) => catalogue.registry.frozenReason(customerId),
    signedIn: (customerId, via) => platform.users.signedIn(customerId, via),
  };
  platform.store.registryWritten = () => catalogue.registry.catchUp();
  // A merchant hears of a penalty set or lifted; the penalty stands even if the telling fails.
  platform.penalties.tell = (p, event) => tellPenalty(messages, p, event).catch(log);
  const platformWatch = createPlatformWatch({
    couch,
    couchUrl: options.couchUrl,
    platformCouchUrl: options.platformCouchUrl,
    clock,
    platform,
    customerIdKey: options.customerIdKey,
  });
  // What the platform's settings govern besides payments and sign-in codes: whether marketing
  // texts go at all, and what a merchant may upload.
  messages.marketingOn = async () => (await platformSettings()).sms.marketing;
  platform.merchants.uploadRules = async () => (await platformSettings()).uploads;
  const complaints = new Complaints({
    couch,
    clock,
    chats,
    messages,
    platform: { store: platform.store, audit: platform.audit },
  });

  const invoices = new CloudInvoices({
    couch,
    intents,
    orders: customerOrders,
    zones,
    waitMs: options.intentWaitMs ?? 3_000,
  });

  return {
    clock,
    couch,
    views,
    tokens,
    smsCodes,
    wechat,
    catalogue,
    reviews,
    customers,
    customerOrders,
    intents,
    refunds,
    ownerView,
    ownerIntents,
    signIn,
    stores,
    orders,
    wallet,
    tea,
    tables,
    coupons,
    walletMoves,
    memberCodes,
    messages,
    chats,
    complaints,
    smsPushToken: options.smsPushToken,
    payments: options.payments,
    onlinePayments: payments,
    platformVouchers,
    deals,
    follower,
    account,
    invoices,
    platform,
    platformWatch,
    log,
    async init() {
      await Promise.all([
        couch.requireDb(CLOUD_DBS.catalogue),
        couch.requireDb(CLOUD_DBS.owners),
        couch.requireDb(CLOUD_DBS.vouchers),
        couch.requireDb(REGISTRY_DB),
        intents.init(),
        smsCodes.init(),
        customers.init(),
        reviews.init(),
        follower.init(),
        deals.init(),
        messages.init(),
        chats.init(),
        platform.init(),
        platformWatch.init(),
      ]);
    },
    close() {
      answers.close();
      void catalogue.close();
    },
  };
}
