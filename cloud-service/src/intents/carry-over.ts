// The cloud's records from before the one-word rename lived in the database `requests`, as
// `request:<customerId>:<intentId>` (type `request`, the held payment's `channel`), beside the
// `refund-paid:` and `refund-due:` marks. This copies them once into `intents` in today's words,
// so a hold still open is settled, a refused refund is retried and a paid one is never paid again.
// Idempotent: a record already there is left alone, so every instance may run it at start.
import { CLOUD_DBS } from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';

/** The database's former name; read here only. */
export const FORMER_DB = 'requests';

export async function carryOverFormerRecords(couch: CouchClient): Promise<number> {
  if (!(await couch.exists(FORMER_DB))) return 0;
  let copied = 0;
  const copy = async (doc: CouchDoc) => {
    const { _rev: _, ...rest } = doc;
    try {
      await couch.put(CLOUD_DBS.intents, rest as CouchDoc);
      copied += 1;
    } catch (error) {
      if (!isConflict(error)) throw error; // copied already, by this instance or another
    }
  };
  for (const doc of await couch.byPrefix(FORMER_DB, 'request:')) {
    const { payment, ...record } = doc as CouchDoc & {
      type?: string;
      payment?: Record<string, unknown> & { channel?: string };
    };
    let held = payment;
    if (payment && 'channel' in payment) {
      const { channel, ...restOfPayment } = payment;
      held = { ...restOfPayment, method: channel === 'simulated' ? 'wechat' : channel };
    }
    await copy({
      ...record,
      _id: `intent:${doc._id.slice('request:'.length)}`,
      type: 'intent_record',
      ...(held ? { payment: held } : {}),
    });
  }
  for (const prefix of ['refund-paid:', 'refund-due:']) {
    for (const doc of await couch.byPrefix(FORMER_DB, prefix)) await copy(doc);
  }
  return copied;
}
