// The receipt's words in both languages: the same keys, none empty, a name for every way to pay;
// and what a paid booking's receipt says, in zh-CN and English, from the hub's booking and code.
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { PaymentMethodSchema } from '@roomhub/shared-types';
import type { BookingDetail, DoorCodeView, StoreView } from '@roomhub/shared-types';
import zh from '../../locales/zh-CN/receipt.json';
import en from '../../locales/en-US/receipt.json';
import zhKiosk from '../../locales/zh-CN/kiosk.json';
import enKiosk from '../../locales/en-US/kiosk.json';
import zhCommon from '../../locales/zh-CN/common.json';
import enCommon from '../../locales/en-US/common.json';
import { receiptContent } from './receipt-content';

const entriesOf = (o: unknown, prefix = ''): [string, unknown][] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => entriesOf(v, prefix ? `${prefix}.${k}` : k))
    : [[prefix, o]];

const store = {
  id: 's1',
  name: '清风茶室',
  phone: '021-5555 0100',
  timeZone: 'Asia/Shanghai',
} as StoreView;

const booking = {
  id: 'b1',
  number: '202611230007',
  room: { id: 'r1', name: '听雨' },
  start: '2026-11-23T14:00:00+08:00',
  end: '2026-11-23T16:00:00+08:00',
  partySize: 3,
  lines: [
    {
      kind: 'time',
      label: 'workday · 下午 · 120 min',
      date: '2026-11-23',
      dayType: 'workday',
      band: '下午',
      start: '2026-11-23T14:00:00+08:00',
      end: '2026-11-23T16:00:00+08:00',
      minutes: 120,
      rate: 4800,
      amount: 9600,
    },
    {
      kind: 'member',
      label: 'member',
      date: '2026-11-23',
      dayType: 'workday',
      band: null,
      start: '2026-11-23T14:00:00+08:00',
      end: '2026-11-23T16:00:00+08:00',
      minutes: 0,
      rate: 0,
      amount: -960,
    },
  ],
  total: 8640,
  paid: 8640,
  due: 0,
  ledger: [
    { id: 1, kind: 'payment', method: 'voucher', amount: 6800, paymentId: 'p1', refundId: null },
    { id: 2, kind: 'payment', method: 'wechat', amount: 1840, paymentId: 'p2', refundId: null },
  ],
} as unknown as BookingDetail;

const code: DoorCodeView = {
  code: '123456',
  qrPayload: 'RH1:202611230007:123456',
  validUntil: '2026-11-23T16:15:00+08:00',
  entryCode: '482913',
  window: { from: '2026-11-23T13:50:00+08:00', until: '2026-11-24T00:15:00+08:00' },
};

async function words(lng: 'zh-CN' | 'en-US') {
  return i18next.createInstance().init({
    lng,
    resources: {
      'zh-CN': { receipt: zh, kiosk: zhKiosk, common: zhCommon },
      'en-US': { receipt: en, kiosk: enKiosk, common: enCommon },
    },
    interpolation: { escapeValue: false },
  });
}

describe('the receipt’s words', () => {
  it('has every key in both languages, none empty, and a name for every way to pay', () => {
    const keys = (o: unknown) => entriesOf(o).map(([k]) => k);
    expect(keys(en).sort()).toEqual(keys(zh).sort());
    for (const lang of [zh, en])
      for (const [key, v] of entriesOf(lang)) expect(String(v).trim(), key).not.toBe('');
    for (const m of PaymentMethodSchema.options) {
      expect(zh.method[m], m).toBeTruthy();
      expect(en.method[m], m).toBeTruthy();
    }
  });

  it('says a printer that failed in one Chinese sentence that sends the customer to the code', () => {
    expect(zh.print.failed).toMatch(/开门码/);
    expect(zh.print.failed).toMatch(/。$/);
  });

  it('says what a paid booking’s receipt holds, in yuan with two decimals and the store’s time', async () => {
    const printedAt = Date.parse('2026-11-23T14:03:00+08:00');
    const c = receiptContent(await words('zh-CN'), booking, code, store, printedAt);
    expect(c).toEqual({
      store: '清风茶室',
      number: '202611230007',
      room: '听雨',
      date: '2026-11-23',
      span: '14:00–16:00',
      party: '3 人',
      fees: [
        { text: '工作日 · 下午 · 120 分钟', amount: '¥96.00' },
        { text: '会员折扣', amount: '-¥9.60' },
      ],
      total: '¥86.40',
      payments: [
        { text: '团购券', amount: '¥68.00' },
        { text: '微信支付', amount: '¥18.40' },
      ],
      paid: '¥86.40',
      code: '482913',
      qr: 'RH1:202611230007:123456',
      valid: '13:50 – 11-24 00:15',
      phone: '021-5555 0100',
      printedAt: '2026-11-23 14:03',
    });
    const e = receiptContent(await words('en-US'), booking, code, store, printedAt);
    expect(e.party).toBe('3');
    expect(e.payments.map((p) => p.text)).toEqual(['Voucher', 'WeChat Pay']);
  });

  it('shows a refund as money going back, and no phone when the store has none', async () => {
    const refunded = {
      ...booking,
      paid: 6800,
      ledger: [
        ...booking.ledger,
        { id: 3, kind: 'refund', method: 'wechat', amount: -1840, paymentId: 'p2', refundId: 'r1' },
      ],
    } as unknown as BookingDetail;
    const c = receiptContent(
      await words('zh-CN'),
      refunded,
      code,
      { ...store, phone: ' ' },
      Date.parse('2026-11-23T14:03:00+08:00'),
    );
    expect(c.payments.at(-1)).toEqual({ text: '退款 · 微信支付', amount: '-¥18.40' });
    expect(c.paid).toBe('¥68.00');
    expect(c.phone).toBeNull();
  });
});
