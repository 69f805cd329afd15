// The complaint documents, beside the conversations in the cloud-private `chats` database:
//   complaint:<storeId>:<chatId>   one per conversation turned into a complaint
// Filed once (put-if-absent: a second filing is a conflict); every later change goes through the
// shared state machine (`complaintNext`) inside a compare-and-set, so two instances, or two staff
// members at once, never both step in first nor both close it. Owns these documents; never writes
// a conversation or its lines (chats.ts does).
import {
  CLOUD_DBS,
  DomainError,
  complaintNext,
  type ComplaintAction,
  type ComplaintState,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';

const CHATS_DB = CLOUD_DBS.chats;

export interface ComplaintDoc extends CouchDoc, ComplaintState {
  type: 'complaint';
  storeId: string;
  chatId: string;
  bookingId: string;
  customerId: string;
}

export const complaintDocId = (storeId: string, chatId: string) => `complaint:${storeId}:${chatId}`;

const notFound = () =>
  new DomainError('not_found', 'complaint_not_found', 'no such complaint', 'chatId');

export async function getComplaint(
  couch: CouchClient,
  storeId: string,
  chatId: string,
): Promise<ComplaintDoc | undefined> {
  return couch.get<ComplaintDoc>(CHATS_DB, complaintDocId(storeId, chatId));
}

export async function mustGetComplaint(
  couch: CouchClient,
  storeId: string,
  chatId: string,
): Promise<ComplaintDoc> {
  const doc = await getComplaint(couch, storeId, chatId);
  if (!doc) throw notFound();
  return doc;
}

/** A store's complaints, or every store's (`storeId` undefined). */
export function complaintsOf(couch: CouchClient, storeId?: string): Promise<ComplaintDoc[]> {
  return couch.byPrefix<ComplaintDoc>(CHATS_DB, storeId ? `complaint:${storeId}:` : 'complaint:');
}

/** The complaints of these conversations that are complaints, by `storeId:chatId`. */
export async function complaintsByChat(
  couch: CouchClient,
  chats: readonly { storeId: string; chatId: string }[],
): Promise<Map<string, ComplaintDoc>> {
  const docs = await couch.byIds<ComplaintDoc>(
    CHATS_DB,
    chats.map((c) => complaintDocId(c.storeId, c.chatId)),
  );
  return new Map(docs.map((d) => [`${d.storeId}:${d.chatId}`, d]));
}

/** Files a complaint; a conversation that is one already is refused. */
export async function putNewComplaint(couch: CouchClient, doc: ComplaintDoc): Promise<void> {
  try {
    await couch.put(CHATS_DB, doc);
  } catch (error) {
    if (!isConflict(error)) throw error;
    throw new DomainError(
      'conflict',
      'already_complaint',
      'this conversation is a complaint already: the platform has it',
    );
  }
}

/**
 * Applies `action` through the state machine against the latest revision; answers the complaint
 * before and after, or throws the machine's refusal.
 */
export async function changeComplaint(
  couch: CouchClient,
  doc: ComplaintDoc,
  action: ComplaintAction,
): Promise<{ before: ComplaintDoc; after: ComplaintDoc }> {
  let current = doc;
  for (;;) {
    const next = { ...current, ...complaintNext(current, action) } as ComplaintDoc;
    try {
      return { before: current, after: { ...next, _rev: await couch.put(CHATS_DB, next) } };
    } catch (error) {
      if (!isConflict(error)) throw error;
      current = (await getComplaint(couch, doc.storeId, doc.chatId)) ?? current;
    }
  }
}
