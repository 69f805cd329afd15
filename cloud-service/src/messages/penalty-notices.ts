// What a merchant hears when the platform gives it a penalty (platform-penalties.ts) and when the
// platform lifts one early: one message in the owner's inbox per penalty and event, naming the
// penalty, the stores, the reason, the period and, for 限制曝光 and 暂停线上接单, what it means for
// customers. Made through the messages' own machinery (messages.ts: once per recipient, sent by
// SMS to the owner's phone like the other owner notices); keyed by the penalty and the event, so
// telling it again, on any instance, makes no second message. Never writes a penalty.
import {
  formatInstant,
  parseInstant,
  type MessageKind,
  type MessageParams,
} from '@roomhub/shared-types';
import type { PenaltyDoc } from '../platform/penalty-gate';
import type { MessageEvent } from './message-events';
import type { Messages } from './messages';

export type PenaltyEvent = 'set' | 'lifted';

const PENALTY_WORDS: Readonly<Record<string, string>> = {
  warning: '警告',
  hidden: '限制曝光',
  no_online_booking: '暂停线上接单',
};

/** What the penalty means for customers (and the rating), in one plain sentence. */
const SET_MEANING: Readonly<Record<string, string>> = {
  warning: '警告期间商家评分减 0.2 分。',
  hidden: '期间这些门店不出现在顾客的附近门店和推荐里，顾客仍能打开门店页面、在线预订和到店。',
  no_online_booking:
    '期间顾客不能在线预订这些门店（也不能发起拼桌），已有的预订照常进行，顾客仍可到店预订。',
};

const LIFTED_MEANING: Readonly<Record<string, string>> = {
  warning: '这次警告不再影响商家评分。',
  hidden: '这些门店已重新出现在顾客的附近门店和推荐里。',
  no_online_booking: '顾客已可以重新在线预订这些门店。',
};

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** `2026-12-01 10:00`, in the store's time. */
const minuteWords = (iso: string, tz: string) =>
  formatInstant(parseInstant(iso), tz).slice(0, 16).replace('T', ' ');

/** `2026-12-01 10:00 至 2026-12-01 12:00`, or `2026-12-01 10:00 起，直至解除`. */
export function periodWords(p: Pick<PenaltyDoc, 'from' | 'until'>, tz: string): string {
  const from = minuteWords(p.from, tz);
  return p.until === null ? `${from} 起，直至解除` : `${from} 至 ${minuteWords(p.until, tz)}`;
}

/**
 * The events of a penalty set or lifted: the same message for the owners of each of its stores,
 * one key for all, so an owner of several of them gets it once. Pure.
 */
export function penaltyEvents(
  p: PenaltyDoc,
  event: PenaltyEvent,
  stores: { names: ReadonlyMap<string, string>; timeZone: string },
): MessageEvent[] {
  if (event === 'lifted' && !p.lifted) return [];
  const kind: MessageKind = event === 'set' ? 'platform_penalty' : 'platform_penalty_lifted';
  const params: MessageParams = {
    stores: `（${p.storeIds.map((s) => stores.names.get(s) ?? s).join('、')}）`,
    penalty: PENALTY_WORDS[p.kind] ?? p.kind,
    reason: (event === 'set' ? p.reason : p.lifted!.reason).trim().replace(/[。.]+$/, ''),
    period: periodWords(p, stores.timeZone),
    meaning: (event === 'set' ? SET_MEANING : LIFTED_MEANING)[p.kind] ?? '',
  };
  const at = event === 'set' ? p.at : p.lifted!.at;
  return p.storeIds.map((storeId) => ({
    key: `penalty:${p.penaltyId}:${event}`,
    kind,
    storeId,
    at,
    params,
  }));
}

/** Tells the merchant's owners of a penalty set or lifted; how many messages were new. */
export async function tellPenalty(
  messages: Messages,
  p: PenaltyDoc,
  event: PenaltyEvent,
): Promise<number> {
  const names = new Map<string, string>();
  let timeZone: string | undefined;
  for (const storeId of p.storeIds) {
    const words = await messages.stores.storeWords(storeId);
    if (!words) continue;
    names.set(storeId, words.name);
    timeZone ??= words.timeZone;
  }
  return messages.record(
    penaltyEvents(p, event, { names, timeZone: timeZone ?? DEFAULT_TIME_ZONE }),
  );
}
