// The store's end of our own vouchers sold online: the cloud's `voucher_issued` intent makes the
// hub keep the voucher with its buyer's phone, and its `voucher_refund` intent marks an unused
// voucher refunded (never redeemable here again) or is refused because it was used; each answered
// once. A voucher payment the store publishes names the voucher, so the cloud can show it used.
import { randomUUID } from 'node:crypto';
import { IntentKeys } from '@roomhub/cloud-sync';
import {
  IntentDocSchema,
  intentDocId,
  ledgerDocId,
  luhnDigit,
  VoucherPassBodySchema,
  type VoucherPass,
  voucherQrText,
} from '@roomhub/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDocument } from '../src/sync/documents';
import { answerIntent } from '../src/sync/intents';
import { as, at, CLOUD_KEYS, signedByCloud, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
const CASHIER = as('cashier');
const PHONE = '13912345678';

beforeEach(async () => {
  h = await startTestHub();
  // As the server does with a cloud link: the cloud's keys check its vouchers too.
  h.hub.voucherKeys.trustCloud(new IntentKeys([CLOUD_KEYS.publicKey]));
});
afterEach(async () => {
  await h.close();
});

async function ownDeal(): Promise<{ id: string; rev: string }> {
  const r = await h.api(
    'POST',
    '/api/deals',
    {
      source: 'own',
      title: '任意包间 2 小时',
      entitlement: { kind: 'hours', minutes: 120, maxPartySize: 4 },
      price: 6800,
      status: 'on_sale',
    },
    STAFF,
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { id: r.body.id, rev: r.body.rev };
}

let codeSeq = 0;
/** A voucher as the cloud sells it: its pass signed with the cloud's key. */
function cloudPass(
  deal: { id: string; rev: string },
  store = h.hub.store.getStore().id,
): VoucherPass {
  const digits = `5${String((codeSeq += 1)).padStart(10, '0')}`;
  return signedByCloud(
    VoucherPassBodySchema.parse({
      type: 'voucher',
      id: randomUUID().replaceAll('-', ''),
      code: digits + String(luhnDigit(digits)),
      store,
      dealId: deal.id,
      rev: deal.rev,
      price: 6800,
      validFrom: Date.parse(at('09:00')) / 1000,
      validUntil: Date.parse(at('09:00', 30)) / 1000,
      issuer: 'cloud',
    }),
  ) as VoucherPass;
}

function intent(kind: 'voucher_issued' | 'voucher_refund', body: object) {
  const intentId = randomUUID();
  return IntentDocSchema.parse({
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: h.hub.store.getStore().id,
    customerId: 'c-online',
    createdAt: new Date(h.clock.now()).toISOString(),
    kind,
    body,
  });
}

const redeem = (pass: VoucherPass, roomId: string) =>
  h.api(
    'POST',
    '/api/vouchers/redeem',
    {
      text: voucherQrText(pass),
      use: { kind: 'book', roomId, partySize: 2, customer: { phone: PHONE } },
      requestId: randomUUID(),
    },
    CASHIER,
  );

describe('a voucher the cloud sold', () => {
  it("is kept with its buyer's phone when the cloud sends it, once; a forged one is not", async () => {
    const deal = await ownDeal();
    const pass = cloudPass(deal);
    const issued = intent('voucher_issued', { pass, phone: PHONE });
    expect(await answerIntent(h.hub, issued)).toEqual({ outcome: 'done' });
    expect(h.hub.vouchers.find(pass.id)).toMatchObject({
      code: pass.code,
      customer_phone: PHONE,
      issuer: 'cloud',
    });
    expect(await answerIntent(h.hub, issued)).toEqual({ outcome: 'done' });

    const forged = { ...cloudPass(deal), price: 1 };
    const refused = await answerIntent(
      h.hub,
      intent('voucher_issued', { pass: forged, phone: null }),
    );
    expect(refused).toMatchObject({ outcome: 'rejected' });
    expect(h.hub.vouchers.find(forged.id)).toBeUndefined();
    const elsewhere = cloudPass(deal, 'another-store');
    expect(
      await answerIntent(h.hub, intent('voucher_issued', { pass: elsewhere, phone: null })),
    ).toMatchObject({ outcome: 'rejected' });
  });

  it('is marked refunded for the cloud when unused, never to be redeemed here again', async () => {
    const deal = await ownDeal();
    const pass = cloudPass(deal);
    const refund = intent('voucher_refund', { pass, why: 'asked' });
    expect(await answerIntent(h.hub, refund)).toEqual({ outcome: 'done' });
    expect(await answerIntent(h.hub, refund)).toEqual({ outcome: 'done' });
    const [room] = await h.roomIds();
    const r = await redeem(pass, room!);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('voucher_refunded');
  });

  it('is refused a refund once used, and its payment names it for the cloud', async () => {
    const deal = await ownDeal();
    const pass = cloudPass(deal);
    const [room] = await h.roomIds();
    const used = await redeem(pass, room!);
    expect(used.status, JSON.stringify(used.body)).toBe(200);
    const refused = await answerIntent(h.hub, intent('voucher_refund', { pass, why: 'asked' }));
    expect(refused).toEqual({ outcome: 'rejected', reason: 'the voucher has been used' });

    const bookingId = used.body.booking.id as string;
    const entry = h.hub.db
      .prepare(`SELECT id FROM ledger WHERE booking_id = ? AND method = 'voucher'`)
      .get(bookingId) as { id: number };
    const doc = buildDocument(h.hub, ledgerDocId(bookingId, String(entry.id)), undefined);
    expect(doc).toMatchObject({ method: 'voucher', kind: 'payment', voucherId: pass.id });
  });
});
