// The composition root: one database, one write queue, one scheduler, the services wired
// together. `server.ts` and the tests build a hub here; nothing else constructs services.
// A new domain is built and registered here (see docs/new-domain.md).
import { join } from 'node:path';
import {
  MENU_DOC_ID,
  type Actor,
  type Clock,
  type OnlinePaymentMethod,
} from '@roomhub/shared-types';
import type { AfterCommit } from './db/write-queue';
import { randomId, systemClock, type NewId } from './clock';
import type { Db } from './db/database';
import { WriteQueue } from './db/write-queue';
import { EventBus } from './events/event-bus';
import { Scheduler } from './scheduler/scheduler';
import { Outbox } from './sync/outbox';
import { StoreService } from './store/store.service';
import { CalendarService } from './calendar/calendar.service';
import { BookingRecords } from './booking/booking-records';
import { RoomPrices } from './booking/room-prices';
import { BookingViews } from './booking/booking-views';
import { BookingService } from './booking/booking.service';
import { RefundReview } from './booking/refund-review';
import { Availability } from './booking/availability';
import { Ledger } from './payments/ledger';
import { Refunds } from './payments/refunds';
import { PaymentService } from './payments/payment.service';
import { PaymentCodes } from './payments/payment-codes';
import { ChannelSwitches } from './payments/channel-switches';
import type { OnlineChannel } from './payments/channel';
import { DoorCodes } from './sessions/door-codes';
import { SessionService } from './sessions/session.service';
import { DoorAccess } from './sessions/door-access';
import { Extensions } from './sessions/extensions';
import { DeviceControl } from './devices/device-control';
import { AuditLog } from './audit/audit-log';
import { publishAuditHours } from './audit/audit-publish';
import { BookingPasses } from './booking/booking-passes';
import { MemberActivity } from './members/member-activity';
import { MemberCodes } from './members/member-codes';
import { MembersPricing } from './members/member-pricing';
import { MemberRecords } from './members/member-records';
import { MemberService } from './members/member.service';
import { MemberViews } from './members/member-views';
import { MemberSettings } from './members/member-settings';
import { PointsLedger } from './members/points-ledger';
import { pointsTender } from './members/points-tender';
import { Promotions } from './promotions/promotions';
import { Campaigns } from './coupons/campaigns';
import { Coupons, noAudience, type MemberAudience } from './coupons/coupons';
import type { MemberPricing } from './booking/discount-sources';
import { SecretKey } from './security/secret-key';
import { StaffService } from './staff/staff.service';
import { SignIn } from './staff/sign-in';
import { Screens } from './staff/screens';
import { Deals } from './vouchers/deals';
import { OwnVouchers } from './vouchers/own-vouchers';
import { Redemptions } from './vouchers/redemptions';
import { VoucherOrders } from './vouchers/voucher-orders';
import { PlatformRedemptions, type PlatformVoucherClient } from './vouchers/platform-redemptions';
import { RedemptionRecords } from './vouchers/redemption-records';
import { VoucherUses } from './vouchers/voucher-uses';
import { VoucherKeys, type CloudSignatureCheck } from './vouchers/voucher-keys';
import { VoucherMoves, type VoucherMoveClient } from './vouchers/voucher-moves';
import { DealStock, type DealStockClient } from './vouchers/deal-stock';
import { throughCloud } from './menu/menu-intents';
import { Menu } from './menu/menu';
import { menuChangeNotice } from './menu/menu-publish';
import { openRestoring } from './backup/restore-request';
import { NightlyBackup } from './backup/nightly-backup';
import { OrderMoney } from './menu/order-money';
import { OrderRecords } from './menu/order-records';
import { OrderService } from './menu/order.service';
import { OrderCharges } from './menu/order-charges';
import { BundleOrders } from './promotions/bundle-orders';
import { tenders } from './menu/order-tenders';
import { StockLedger } from './menu/stock-ledger';
import { WalletLedger } from './wallet/wallet-ledger';
import { WalletService } from './wallet/wallet.service';
import { WalletRefunds } from './wallet/wallet-refunds';
import { walletTender } from './wallet/wallet-tender';
import { WalletMoves, type WalletMoveClient } from './wallet/wallet-moves';
import type { ChatRelay } from './chat/chat-relay';
import type { StoreInbox } from './messages/store-inbox';
import type { ReviewStatesClient } from './reviews/review-states';
import { CleaningRecords } from './cleaning/cleaning-records';
import { CleaningPhotos } from './cleaning/cleaning-photos';
import { CleaningService } from './cleaning/cleaning.service';
import { CleaningReports } from './cleaning/cleaning-report';
import { StatsService } from './stats/stats.service';
import { EnergyReadings } from './energy/energy-readings';
import { EnergyService } from './energy/energy.service';
import { InvoiceService } from './invoices/invoice.service';
import { InvoiceFiles } from './invoices/invoice-pdf';
import { RoomMaintenance } from './booking/room-maintenance';
import { LowStockNotice } from './menu/low-stock-notice';
import { AnomalyRecords } from './anomalies/anomaly-records';
import { StoreWatch } from './anomalies/store-watch';
import { TableService } from './tables/table.service';

export interface HubOptions {
  /** Folder for hub.db and backups. */
  dataDir: string;
  clock?: Clock;
  newId?: NewId;
  channels?: Partial<Record<OnlinePaymentMethod, OnlineChannel>>;
  /** How gateways reach this hub's notification endpoint, e.g. http://127.0.0.1:8080. */
  publicUrl?: string;
  /** The hub's secret key; the data folder's `secret.key` (or HUB_SECRET_KEY) unless given. */
  key?: SecretKey;
  /** How long a staff sign-in lasts; 12 hours unless set. */
  tokenTtlMs?: number;
  /** The cloud's keys, which check the vouchers the cloud sold (the same keys as its intents). */
  cloudKeys?: CloudSignatureCheck;
  /**
   * The key customer ids are made with (`CUSTOMER_ID_KEY`): a member code names its member by
   * customer id. None: member codes are refused.
   */
  customerIdKey?: string;
  /** The cloud's Meituan / Douyin voucher calls; none: platform vouchers are refused. */
  platformVouchers?: PlatformVoucherClient;
  /** The cloud's move of a voucher of the owner's other stores; none: such vouchers are refused. */
  voucherMoves?: VoucherMoveClient;
  /** The cloud's one stock of our own deals; none: this hub's own count is the stock. */
  dealStock?: DealStockClient;
  /** The cloud's moves of shared wallets; none: a wallet is spent only with what it holds here. */
  walletMoves?: WalletMoveClient;
  /** The cloud's customer-service chat, relayed for the store's staff; none: not connected. */
  chats?: ChatRelay;
  /** The store's inbox in the cloud, relayed for the owner and managers; none: not connected. */
  inbox?: StoreInbox;
  /** The platform's review states of the store's rooms, deals and products; none: not linked. */
  reviews?: ReviewStatesClient;
}

export interface Hub {
  dataDir: string;
  dbFile: string;
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  events: EventBus;
  scheduler: Scheduler;
  outbox: Outbox;
  store: StoreService;
  calendar: CalendarService;
  records: BookingRecords;
  prices: RoomPrices;
  views: BookingViews;
  bookings: BookingService;
  refundReview: RefundReview;
  availability: Availability;
  ledger: Ledger;
  refunds: Refunds;
  payments: PaymentService;
  paymentCodes: PaymentCodes;
  /** The owner's switches for the ways to pay at the kiosk and the counter. */
  channelSwitches: ChannelSwitches;
  sessions: SessionService;
  doors: DoorAccess;
  doorCodes: DoorCodes;
  extensions: Extensions;
  devices: DeviceControl;
  audit: AuditLog;
  key: SecretKey;
  staff: StaffService;
  signIn: SignIn;
  screens: Screens;
  passes: BookingPasses;
  deals: Deals;
  vouchers: OwnVouchers;
  voucherKeys: VoucherKeys;
  redemptions: Redemptions;
  voucherOrders: VoucherOrders;
  dealStock: DealStock;
  menu: Menu;
  orders: OrderService;
  orderCharges: OrderCharges;
  /** The money ledger of tea-and-snacks orders (an order paid from the phone is written here). */
  orderMoney: OrderMoney;
  stock: StockLedger;
  members: MemberService;
  /** The member codes (会员码) this store takes to pay from a member's wallet. */
  memberCodes: MemberCodes;
  memberViews: MemberViews;
  promotions: Promotions;
  campaigns: Campaigns;
  coupons: Coupons;
  /** Cleaning after each session: the tasks, the rooms that skip it. */
  cleaning: CleaningService;
  cleaningReports: CleaningReports;
  /** The owner's statistics, counted from the ledgers and bookings when asked. */
  stats: StatsService;
  /** The rooms' energy meters' readings, kWh and cost per room per day and per session. */
  energy: EnergyService;
  /** Electronic invoices customers ask for, issued by the owner with the tax system's PDF. */
  invoices: InvoiceService;
  /** Rooms taken out for maintenance, and the bookings each covers. */
  maintenance: RoomMaintenance;
  /** What the store flagged by itself (B8): doors and power with no session, rooms held unused. */
  anomalies: AnomalyRecords;
  /** Tables of players (C14): one booking held until every seat's share is paid. */
  tables: TableService;
  /**
   * Who has a birthday, who has been away, for birthday and win-back coupons (the members
   * domain's once it is built); what a caller names replaces only that.
   */
  setMemberAudience(audience: Partial<MemberAudience>): void;
  wallet: WalletService;
  walletRefunds: WalletRefunds;
  /** A shared wallet's money brought from, and given up to, the owner's other stores. */
  walletMoves: WalletMoves;
  /** Links the cloud's wallet moves once the cloud link is set up. */
  setWalletMoves(client: WalletMoveClient | undefined): void;
  /** The cloud's customer-service chat as the store's staff reach it; none until linked. */
  chats(): ChatRelay | undefined;
  setChats(client: ChatRelay | undefined): void;
  /** The store's inbox in the cloud as the owner and managers reach it; none until linked. */
  inbox(): StoreInbox | undefined;
  setInbox(client: StoreInbox | undefined): void;
  /** The platform's review states of the store's rooms, deals and products; none until linked. */
  reviews(): ReviewStatesClient | undefined;
  setReviews(client: ReviewStatesClient | undefined): void;
  /** Links the cloud's voucher calls once the cloud link is set up. */
  setPlatformVouchers(client: PlatformVoucherClient | undefined): void;
  /** Links the cloud's voucher moves once the cloud link is set up. */
  setVoucherMoves(client: VoucherMoveClient | undefined): void;
  /** Links the cloud's stock of our own deals once the cloud link is set up. */
  setDealStock(client: DealStockClient | undefined): void;
  channels: Partial<Record<OnlinePaymentMethod, OnlineChannel>>;
  setPublicUrl(url: string): void;
  close(): void;
}

export function createHub(opts: HubOptions): Hub {
  const clock = opts.clock ?? systemClock;
  const newId = opts.newId ?? randomId;
  const dbFile = join(opts.dataDir, 'hub.db');
  // A restore asked for from the owner's page goes in before the database opens.
  const db = openRestoring(opts.dataDir, dbFile, clock.now());
  const key = opts.key ?? SecretKey.load(opts.dataDir);
  const events = new EventBus();
  const outbox = new Outbox(db, clock);
  const store = new StoreService({ db, clock, newId, outbox, events });
  const calendar = new CalendarService({ db, clock, outbox, events });
  const timeZone = () => store.getStore().timeZone;
  const writes = new WriteQueue(db, () => {
    // A failed commit may leave caches holding rows that never landed.
    store.invalidate();
    calendar.invalidate();
  });
  const scheduler = new Scheduler(db, clock);
  const audit = new AuditLog(db, clock);
  publishAuditHours(audit, outbox, timeZone);
  const records = new BookingRecords(db, clock, events, outbox, timeZone);
  const prices = new RoomPrices({ store, calendar });
  const ledger = new Ledger(db, clock, outbox);

  let publicUrl = opts.publicUrl ?? 'http://127.0.0.1:8080';
  const channels = opts.channels ?? {};
  const refunds = new Refunds({
    db,
    clock,
    newId,
    writes,
    records,
    ledger,
    scheduler,
    channels,
    timeZone,
  });
  const payments = new PaymentService({
    db,
    clock,
    newId,
    writes,
    records,
    ledger,
    refunds,
    channels,
    notifyUrl: (method) => `${publicUrl}/api/payments/notify/${method}`,
    timeZone,
  });
  const paymentCodes = new PaymentCodes({
    db,
    clock,
    writes,
    scheduler,
    channels,
    payments,
    notifyUrl: (method) => `${publicUrl}/api/payments/notify/${method}`,
  });

  const channelSwitches = new ChannelSwitches(db, clock, audit, timeZone, events);
  const views = new BookingViews({ records, store, ledger, payments, refunds, prices, clock });
  const memberRecords = new MemberRecords(db, clock, newId, timeZone, outbox);
  const memberSettings = new MemberSettings(db, newId);
  const memberPoints = new PointsLedger(db, clock, timeZone, outbox);
  const memberActivity = new MemberActivity(db, clock, outbox);
  const memberViews = new MemberViews({
    db,
    audit,
    records: memberRecords,
    points: memberPoints,
    activity: memberActivity,
    settings: memberSettings,
    timeZone,
  });
  const members = new MemberService({
    db,
    clock,
    newId,
    outbox,
    writes,
    scheduler,
    events,
    audit,
    bookings: records,
    ledger,
    records: memberRecords,
    points: memberPoints,
    activity: memberActivity,
    settings: memberSettings,
    views: memberViews,
    timeZone,
  });
  const passes = new BookingPasses(clock);
  const promotions = new Promotions(db, clock, newId, outbox, timeZone);
  const campaigns = new Campaigns(db, clock, newId, timeZone, outbox);
  let audience: MemberAudience = noAudience;
  const coupons = new Coupons({
    db,
    clock,
    newId,
    writes,
    scheduler,
    campaigns,
    outbox,
    records,
    members: (): MemberPricing => bookings.memberPricing(),
    membership: members,
    audience: () => audience,
    timeZone,
  });
  const bookings = new BookingService({
    clock,
    writes,
    newId,
    records,
    store,
    prices,
    payments,
    refunds,
    ledger,
    scheduler,
    views,
    passes,
    members: new MembersPricing(members, memberRecords, memberSettings),
    coupons,
    promotions,
  });
  const refundReview = new RefundReview({ records, ledger, refunds, views });
  const availability = new Availability({ db, clock, store });
  const maintenance = new RoomMaintenance({ db, clock, newId, store, outbox });

  const sessions = new SessionService({
    db,
    clock,
    writes,
    records,
    store,
    prices,
    ledger,
    scheduler,
    events,
    views,
    refunds,
    promotions,
    members: () => bookings.memberPricing(),
  });
  const devices = new DeviceControl({
    db,
    clock,
    writes,
    records,
    store,
    scheduler,
    events,
    outbox,
    newId,
    dayType: () => calendar.resolver(),
  });
  const doorCodes = new DoorCodes(db, clock, key);
  const doors = new DoorAccess({
    db,
    clock,
    writes,
    records,
    store,
    ledger,
    sessions,
    devices,
    doorCodes,
    events,
    outbox,
    passes,
  });
  const extensions = new Extensions({
    db,
    clock,
    newId,
    writes,
    records,
    store,
    prices,
    promotions,
    members: () => bookings.memberPricing(),
    ledger,
    scheduler,
    sessions,
  });

  const staff = new StaffService({ db, clock, newId, key, audit, outbox, timeZone });
  const signIn = new SignIn({
    db,
    clock,
    writes,
    staff,
    audit,
    timeZone,
    ...(opts.tokenTtlMs ? { tokenTtlMs: opts.tokenTtlMs } : {}),
  });
  const screens = new Screens({ db, clock, newId, writes, store, audit });

  const voucherKeys = new VoucherKeys(key, opts.cloudKeys);
  const deals = new Deals({ db, clock, newId, outbox, timeZone });
  const vouchers = new OwnVouchers({ db, clock, newId, store, deals, keys: voucherKeys, timeZone });
  let platformVouchers = opts.platformVouchers;
  let voucherMoves = opts.voucherMoves;
  let dealStockClient = opts.dealStock;
  const dealStock = new DealStock({
    newId,
    client: () => dealStockClient,
  });
  const redemptionRows = new RedemptionRecords(db, clock, timeZone);
  const uses = new VoucherUses({
    clock,
    store,
    calendar,
    records,
    bookings,
    extensions,
    own: vouchers,
    redemptions: redemptionRows,
    timeZone,
  });
  // The platform side pays through the redemptions' one payer, made just below.
  let payFor: (id: string, actor: Actor, afterCommit: AfterCommit) => void = () => undefined;
  const platform = new PlatformRedemptions({
    clock,
    writes,
    scheduler,
    events,
    deals,
    key,
    records: redemptionRows,
    bookingRecords: records,
    bookings,
    platforms: () => platformVouchers,
    timeZone,
    pay: (id, actor, afterCommit) => payFor(id, actor, afterCommit),
  });
  const redemptions = new Redemptions({
    clock,
    newId,
    writes,
    records,
    bookings,
    views,
    payments,
    refunds,
    ledger,
    scheduler,
    events,
    deals,
    own: vouchers,
    key,
    rows: redemptionRows,
    uses,
    platform,
    moves: new VoucherMoves({
      clock,
      writes,
      store,
      own: vouchers,
      client: () => voucherMoves,
    }),
    timeZone,
    passes,
  });
  payFor = redemptions.payFor;
  const voucherOrders = new VoucherOrders({
    db,
    clock,
    newId,
    writes,
    deals,
    own: vouchers,
    stock: dealStock,
    channels,
    scheduler,
    notifyUrl: () => `${publicUrl}/api/payments/notify/wechat`,
    timeZone,
  });
  payments.onOtherCharge((n) => voucherOrders.notified(n));

  const walletLedger = new WalletLedger(db, clock);
  const wallet = new WalletService({
    db,
    clock,
    newId,
    writes,
    scheduler,
    wallet: walletLedger,
    records,
    ledger,
    payments,
    channels,
    notifyUrl: (method) => `${publicUrl}/api/payments/notify/${method}`,
    storeId: () => store.getStore().id,
    timeZone,
    outbox,
  });
  const walletRefunds = new WalletRefunds({
    db,
    clock,
    newId,
    writes,
    scheduler,
    wallet: walletLedger,
    channels,
    expire: (phone) => wallet.expireFor(phone),
    view: (phone) => wallet.view(phone),
  });
  payments.onOtherCharge((n) => wallet.notified(n));
  let walletMoveClient = opts.walletMoves;
  let chatRelay = opts.chats;
  let storeInbox = opts.inbox;
  let reviewStates = opts.reviews;
  const walletMoves = new WalletMoves({
    db,
    newId,
    now: () => clock.now(),
    writes,
    scheduler,
    ledger: walletLedger,
    wallet,
    client: () => walletMoveClient,
    timeZone,
    // Money of their wallet kept here makes the customer a member here: what this store holds of
    // it is then published (their member document), and the owner's other stores ask it first.
    arrived: (phone, actor) => members.join(phone, null, 'top_up', actor),
  });
  const memberCodes = new MemberCodes({
    db,
    clock,
    writes,
    scheduler,
    members: memberRecords,
    storeId: () => store.getStore().id,
    cloud: opts.cloudKeys,
    customerIdKey: opts.customerIdKey,
  });
  refunds.onWalletReturned((paymentId, amount, refundId, actor) =>
    wallet.giveBack(paymentId, amount, `refund:${refundId}`, 'booking refunded', actor),
  );

  // The menu the customer's phone reads is published again when it or an item's stock changes.
  const menuChanged = menuChangeNotice(() => outbox.mark(MENU_DOC_ID), events, clock);
  const stock = new StockLedger(db, clock, events, timeZone, menuChanged, () =>
    outbox.mark(MENU_DOC_ID),
  );
  const menu = new Menu({ db, clock, newId, stock, changed: menuChanged });
  const orderRecords = new OrderRecords(db, clock, newId, events, timeZone, outbox);
  const orderMoney = new OrderMoney(db, clock, timeZone, outbox);
  const orderCharges = new OrderCharges({
    db,
    clock,
    newId,
    writes,
    scheduler,
    channels,
    records: orderRecords,
    money: orderMoney,
    notifyUrl: (method) => `${publicUrl}/api/payments/notify/${method}`,
    timeZone,
  });
  payments.onOtherCharge((n, afterCommit) => orderCharges.notified(n, afterCommit));
  paymentCodes.payOrders(orderCharges.codePayee());
  const orders = new OrderService({
    db,
    records: orderRecords,
    money: orderMoney,
    menu,
    stock,
    bookings: records,
    tenders: tenders({
      wallet: walletTender(db, newId, wallet),
      points: pointsTender(db, members),
      // An order placed from the phone gives its money back through the cloud that took it.
      wechat: throughCloud(db, orderCharges.tender('wechat')),
      alipay: throughCloud(db, orderCharges.tender('alipay')),
      unionpay: throughCloud(db, orderCharges.tender('unionpay')),
    }),
    // The booking's customer's level takes its percentage off the items, as on a booking's bill.
    memberDiscount: (phone) => bookings.memberPricing().discountFor(phone),
    isMember: (phone) => memberRecords.byPhone(phone) !== undefined,
  });
  new BundleOrders(db, clock, records, orders).register();
  const cleaning = new CleaningService({
    db,
    clock,
    newId,
    tasks: new CleaningRecords(db, clock, newId),
    bookings: records,
    store,
    staff,
    photos: new CleaningPhotos(opts.dataDir),
    events,
  });
  const cleaningReports = new CleaningReports(db, timeZone);
  const invoices = new InvoiceService({
    db,
    clock,
    audit,
    outbox,
    files: new InvoiceFiles(opts.dataDir),
    timeZone,
    netPaid: (bookingId) => views.detail(bookingId).paid,
  });
  const tables = new TableService({ db, clock, records, bookings, payments, store, outbox, audit });
  const stats = new StatsService({
    db,
    clock,
    timeZone,
    audit,
    redemptionStats: (from, to) => redemptions.stats(from, to),
    owed: () => wallet.owed(),
    campaignResults: (id) => coupons.results(id),
  });
  const energy = new EnergyService({
    db,
    clock,
    writes,
    events,
    store,
    readings: new EnergyReadings(db),
    timeZone,
  });

  const anomalies = new AnomalyRecords(db, clock, newId, outbox, timeZone);
  new StoreWatch({ db, clock, writes, events, records, store, anomalies, timeZone }).register();
  new NightlyBackup({
    db,
    dataDir: opts.dataDir,
    clock,
    writes,
    scheduler,
    audit,
    timeZone,
  }).register();

  refunds.register();
  paymentCodes.register();
  bookings.register();
  redemptions.register();
  voucherOrders.register();
  orderCharges.register();
  sessions.register();
  devices.register();
  // Reminders and the time-up are said aloud on the room's speaker, after the write that decided them.
  sessions.announceWith((a) => void devices.announcements.announce(a));
  doors.register();
  extensions.register();
  members.register();
  memberCodes.register();
  coupons.register();
  energy.register();
  // Low stock reaches the owner's and staff's inbox through the cloud.
  new LowStockNotice({ clock, writes, outbox, events }).register();
  wallet.register();
  walletRefunds.register();
  walletMoves.register();
  // After the sessions': a session's end is recorded before its room's cleaning task is made.
  cleaning.register();
  tables.register();
  // What the hub publishes of a wallet (its member's document, the stored value owed) follows
  // every movement of it.
  walletLedger.onMoved((phone) => {
    const member = memberRecords.byPhone(phone);
    if (member) outbox.markMember(member.id);
    outbox.markWalletOwed();
  });
  // A top-up counts toward a level; birthday campaigns ask the members who was born that day,
  // win-back campaigns who has not come since.
  wallet.onTopUp((phone, principal, actor) => members.noteTopUp(phone, principal, actor));
  audience = {
    phonesWithBirthday: (monthDay) => members.phonesWithBirthday(monthDay),
    absentSince: (before) => members.absentSince(before),
  };

  return {
    dataDir: opts.dataDir,
    dbFile,
    db,
    clock,
    writes,
    events,
    scheduler,
    outbox,
    store,
    calendar,
    records,
    prices,
    views,
    bookings,
    refundReview,
    availability,
    ledger,
    refunds,
    payments,
    paymentCodes,
    channelSwitches,
    sessions,
    doors,
    doorCodes,
    extensions,
    devices,
    audit,
    key,
    staff,
    signIn,
    screens,
    passes,
    deals,
    vouchers,
    voucherKeys,
    redemptions,
    voucherOrders,
    dealStock,
    menu,
    orders,
    orderCharges,
    orderMoney,
    stock,
    wallet,
    walletRefunds,
    walletMoves,
    members,
    memberCodes,
    memberViews,
    promotions,
    campaigns,
    coupons,
    cleaning,
    cleaningReports,
    stats,
    energy,
    invoices,
    maintenance,
    anomalies,
    tables,
    setMemberAudience(a) {
      audience = { ...audience, ...a };
    },
    setPlatformVouchers(client) {
      platformVouchers = client;
    },
    setVoucherMoves(client) {
      voucherMoves = client;
    },
    setDealStock(client) {
      dealStockClient = client;
    },
    setWalletMoves(client) {
      walletMoveClient = client;
    },
    chats: () => chatRelay,
    setChats(client) {
      chatRelay = client;
    },
    inbox: () => storeInbox,
    setInbox(client) {
      storeInbox = client;
    },
    reviews: () => reviewStates,
    setReviews(client) {
      reviewStates = client;
    },
    channels,
    setPublicUrl(url) {
      publicUrl = url;
    },
    close() {
      scheduler.stop();
      writes.close();
      db.close();
    },
  };
}
