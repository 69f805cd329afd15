// Numbered migrations, applied in order, each in its own transaction. Append only: never edit
// one that has shipped; add the next number instead.
import init from './001-init';
import sessions from './002-sessions';
import sync from './003-sync';
import oneWord from './004-one-word';
import staff from './005-staff';
import storeRules from './006-store-rules';
import roomNumbers from './007-room-numbers';
import cancelFreesRoom from './008-cancel-frees-room';
import vouchers from './009-vouchers';
import voucherMoves from './010-voucher-moves';
import menu from './011-menu';
import unionpay from './012-unionpay';
import paymentCodes from './013-payment-codes';
import members from './014-members';
import wallet from './015-wallet';
import coupons from './016-coupons';
import orderCharges from './017-order-charges';
import walletRefundOperation from './018-wallet-refund-operation';
import sharedWallet from './019-shared-wallet';
import ordersByCodeAndBundle from './021-orders-by-code-and-bundle';
import cleaning from './022-cleaning';
import campaignPointsPrice from './023-campaign-points-price';
import statsIndexes from './024-stats-indexes';
import energy from './025-energy';
import staffPhones from './026-staff-phones';
import memberCodes from './027-member-codes';
import storeTheme from './028-store-theme';
import tables from './029-tables';
import teaOrderIntents from './030-tea-order-intents';
import invoices from './031-invoices';
import paymentChannelSwitches from './032-payment-channel-switches';
import speakersAndMaintenance from './033-speakers-and-maintenance';
import anomalies from './034-anomalies';
import orderDiscounts from './035-order-discounts';
import deviceSchedules from './036-device-schedules';
import orderMembers from './037-order-members';
import scheduleDayTypes from './038-schedule-day-types';
import roomVideos from './039-room-videos';
import winBackCampaigns from './040-win-back-campaigns';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'init', sql: init },
  { version: 2, name: 'sessions', sql: sessions },
  { version: 3, name: 'sync', sql: sync },
  { version: 4, name: 'one-word', sql: oneWord },
  { version: 5, name: 'staff', sql: staff },
  { version: 6, name: 'store-rules', sql: storeRules },
  { version: 7, name: 'room-numbers', sql: roomNumbers },
  { version: 8, name: 'cancel-frees-room', sql: cancelFreesRoom },
  { version: 9, name: 'vouchers', sql: vouchers },
  { version: 10, name: 'voucher-moves', sql: voucherMoves },
  { version: 11, name: 'menu', sql: menu },
  { version: 12, name: 'unionpay', sql: unionpay },
  { version: 13, name: 'payment-codes', sql: paymentCodes },
  { version: 14, name: 'members', sql: members },
  { version: 15, name: 'wallet', sql: wallet },
  { version: 16, name: 'coupons', sql: coupons },
  { version: 17, name: 'order-charges', sql: orderCharges },
  { version: 18, name: 'wallet-refund-operation', sql: walletRefundOperation },
  { version: 19, name: 'shared-wallet', sql: sharedWallet },
  { version: 21, name: 'orders-by-code-and-bundle', sql: ordersByCodeAndBundle },
  { version: 22, name: 'cleaning', sql: cleaning },
  { version: 23, name: 'campaign-points-price', sql: campaignPointsPrice },
  { version: 24, name: 'stats-indexes', sql: statsIndexes },
  { version: 25, name: 'energy', sql: energy },
  { version: 26, name: 'staff-phones', sql: staffPhones },
  { version: 27, name: 'member-codes', sql: memberCodes },
  { version: 28, name: 'store-theme', sql: storeTheme },
  { version: 29, name: 'tables', sql: tables },
  { version: 30, name: 'tea-order-intents', sql: teaOrderIntents },
  { version: 31, name: 'invoices', sql: invoices },
  { version: 32, name: 'payment-channel-switches', sql: paymentChannelSwitches },
  { version: 33, name: 'speakers-and-maintenance', sql: speakersAndMaintenance },
  { version: 34, name: 'anomalies', sql: anomalies },
  { version: 35, name: 'order-discounts', sql: orderDiscounts },
  { version: 36, name: 'device-schedules', sql: deviceSchedules },
  { version: 37, name: 'order-members', sql: orderMembers },
  { version: 38, name: 'schedule-day-types', sql: scheduleDayTypes },
  { version: 39, name: 'room-videos', sql: roomVideos },
  { version: 40, name: 'win-back-campaigns', sql: winBackCampaigns },
];
