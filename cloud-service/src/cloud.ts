// The composition root: one CouchDB client, one clock, the services wired together. `app.ts`
// builds the cloud here; nothing else constructs services. Knows nothing of HTTP.
import { randomUUID } from 'node:crypto';
import type { Clock } from '@roomhub/shared-types';
import { SignInService } from './auth/sign-in';
import { SmsCodes, type SmsProvider } from './auth/sms';
import { Tokens } from './auth/tokens';
import { SimulatedWechatLogin, type WechatLogin } from './auth/wechat';
import { createCouchClient, type CouchClient } from './couch';
import { DesignDocs } from './design-docs';
import { Follower } from './follower';
import { AnswerWatch } from './intents/answer-watch';
import { IntentService } from './intents/intents';
import { CustomerIndex } from './orders/customers';
import { OrderService } from './orders/order.service';
import { CustomerOrders } from './orders/orders';
import { OwnerView } from './owner/owner-view';
import type { CloudPaymentChannel } from './payments/payment-channel';
import { CloudRefunds } from './payments/refunds';
import { Catalogue } from './stores/catalogue';
import { ReviewIndex } from './stores/reviews';
import { StoreService } from './stores/store.service';

export interface CloudOptions {
  /** CouchDB base URL, credentials included when needed. */
  couchUrl: string;
  /** HS256 key for tokens; at least 32 characters. */
  jwtSecret: string;
  sms: SmsProvider;
  payments: CloudPaymentChannel;
  wechat?: WechatLogin;
  clock?: Clock;
  newId?: () => string;
  /** A booking request or extension not confirmed within this expires; its payment is released. */
  confirmTimeoutMs?: number;
  /** A door-open intent not answered within this expires: a door must not open minutes later. */
  doorTimeoutMs?: number;
  /** How long a booking POST waits for the hub's answer before answering 202. */
  answerWaitMs?: number;
  /** How long a door, extension, refund or review POST waits for the answer. */
  intentWaitMs?: number;
  /**
   * A waiting call learns of its answer from the change feed at once; it also re-reads this often
   * in case the feed misses it.
   */
  answerRecheckMs?: number;
  smsLimits?: { minIntervalMs?: number; perHour?: number; ttlMs?: number };
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
  signIn: SignInService;
  stores: StoreService;
  orders: OrderService;
  /** Reads the stores' change feeds and drives the index, refunds, settles and catalogue. */
  follower: Follower;
  /** Where errors nobody answers for go: a failed SMS gateway, a bug behind a 500. */
  log: (error: unknown) => void;
  /** Creates the cloud's own databases; call once before serving. */
  init(): Promise<void>;
  /** Ends the change feeds waiting calls listen on. */
  close(): void;
}

const systemClock: Clock = { now: () => Date.now() };

export function createCloud(options: CloudOptions): Cloud {
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? (() => randomUUID().replaceAll('-', ''));
  const log = options.log ?? ((error: unknown) => console.error(error));
  const couch = createCouchClient(options.couchUrl);
  const views = new DesignDocs({ couch });
  const tokens = new Tokens({ secret: options.jwtSecret, clock });
  const smsCodes = new SmsCodes({
    provider: options.sms,
    couch,
    secret: options.jwtSecret,
    clock,
    ...options.smsLimits,
  });
  const wechat = options.wechat ?? new SimulatedWechatLogin();
  const catalogue = new Catalogue({ couch, views, clock });
  const reviews = new ReviewIndex({ couch });
  const customers = new CustomerIndex({ couch });
  const customerOrders = new CustomerOrders({ couch, views, customers });
  const answers = new AnswerWatch({ couch, log });
  const intents = new IntentService({
    couch,
    payments: options.payments,
    clock,
    newId,
    views,
    answers,
    ...(options.answerRecheckMs !== undefined ? { answerRecheckMs: options.answerRecheckMs } : {}),
  });
  const refunds = new CloudRefunds({ couch, payments: options.payments, clock, log });
  const ownerView = new OwnerView({ couch, views, clock });
  const signIn = new SignInService({ couch, tokens, smsCodes, wechat, log });
  const stores = new StoreService({ couch, catalogue, reviews, clock });
  const orders = new OrderService({
    intents,
    orders: customerOrders,
    stores,
    confirmTimeoutMs: options.confirmTimeoutMs ?? 2 * 60_000,
    doorTimeoutMs: options.doorTimeoutMs ?? 60_000,
    answerWaitMs: options.answerWaitMs ?? 5_000,
    intentWaitMs: options.intentWaitMs ?? 3_000,
  });
  const follower = new Follower({
    couch,
    customers,
    reviews,
    refunds,
    intents,
    catalogue,
    views,
    clock,
    log,
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
    signIn,
    stores,
    orders,
    follower,
    log,
    async init() {
      await Promise.all([
        intents.init(),
        smsCodes.init(),
        customers.init(),
        reviews.init(),
        follower.init(),
      ]);
    },
    close() {
      answers.close();
    },
  };
}
