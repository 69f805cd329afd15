// Finding players (C14) on the customer's pages: the cloud's table calls, typed with its shapes,
// and the pages' own words (the `tables` namespace, zh-CN first), loaded with this module so any
// page that links to a table can say so.
import i18next from 'i18next';
import type { TFunction } from 'i18next';
import type { IntentView, MyTable, StoreTables, TableView } from '@roomhub/shared-types';
import { call, CloudRefusal } from '../api/cloud-client';
import { customerRefusal, refusalCode } from './refusal-text';
import zhTables from '../locales/zh-CN/tables.json';
import enTables from '../locales/en-US/tables.json';

/**
 * Adds the table words to i18next the first time a table page draws (i18next is started by the
 * page's entry, after this module loads). Called at the top of every component that says them.
 */
export function useTablesWords(): void {
  if (i18next.hasResourceBundle('zh-CN', 'tables')) return;
  i18next.addResourceBundle('zh-CN', 'tables', zhTables, true, true);
  i18next.addResourceBundle('en-US', 'tables', enTables, true, true);
}

export type TableIntent = IntentView & { tableId: string };

export interface TableStartAsk {
  roomId: string;
  start: string;
  end: string;
  seats: number;
  deadline: string;
  title: string;
  name: string;
  ageConfirmed: true;
}

const enc = encodeURIComponent;

export const tablesCloud = {
  list: (storeId: string) => call<StoreTables>('GET', `/api/stores/${enc(storeId)}/tables`),
  one: (storeId: string, tableId: string) =>
    call<TableView>('GET', `/api/stores/${enc(storeId)}/tables/${enc(tableId)}`),
  mine: () => call<MyTable[]>('GET', '/api/me/tables'),
  start: (storeId: string, ask: TableStartAsk, key: string) =>
    call<TableIntent>('POST', `/api/stores/${enc(storeId)}/tables`, { body: ask, key }),
  join: (storeId: string, tableId: string, name: string, key: string) =>
    call<TableIntent>('POST', `/api/stores/${enc(storeId)}/tables/${enc(tableId)}/join`, {
      body: { name, ageConfirmed: true },
      key,
    }),
};

const TABLE_REASONS: [RegExp, string][] = [
  [/table is full/, 'table_full'],
  [/did not fill/, 'table_closed'],
  [/already have a seat/, 'already_at_table'],
  [/game hours|tables are played/, 'outside_table_hours'],
];

/** A refusal of a table call in one sentence: the table's own words first. */
export function tableRefusal(
  t: TFunction,
  e: unknown,
  hours?: { from: string; to: string } | null,
): string {
  let code = refusalCode(e);
  // The store's own refusals of a seat, in the table's words.
  const reason = e instanceof CloudRefusal ? (e.intent?.reason ?? '') : '';
  const known = TABLE_REASONS.find(([re]) => re.test(reason));
  if (code === 'rejected' && known) code = known[1];
  if (code === 'rejected' && e instanceof CloudRefusal) {
    return t('tables:errors.rejected', { reason: e.intent?.reason ?? e.message });
  }
  const own = t(`tables:errors.${code}`, { defaultValue: '', ...(hours ?? {}) });
  return own || customerRefusal(t, e);
}

/** `MM-DD`, `HH:mm` of an instant the store wrote in its own zone (2026-11-23T14:00:00+08:00). */
export const dayOf = (iso: string) => iso.slice(5, 10);
export const timeOf = (iso: string) => iso.slice(11, 16);
