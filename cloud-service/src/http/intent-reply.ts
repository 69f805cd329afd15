// How an intent's answer is told over HTTP, for customers' and owners' routes alike: the route's
// own status when the store said yes, 202 while it has not answered, 409 when it said no, 410 when
// it did not answer in time (the error shape, with the intent beside it).
import type { IntentRefusal, IntentView } from '@roomhub/shared-types';
import { Reply } from './route';

const words = (kind: string) => kind.replaceAll('_', ' ');

/** The answer to an intent, with the status its state calls for. */
export function intentReply(view: IntentView, okStatus: number): Reply {
  if (view.state === 'rejected' || view.state === 'refused') {
    const message = view.reason ?? `the store ${view.state} the ${words(view.kind)}`;
    const body: IntentRefusal = { error: { code: view.state, message }, ...view };
    return new Reply(409, body);
  }
  if (view.state === 'waiting') return new Reply(202, view);
  if (view.state === 'expired') {
    const message = view.message ?? `the ${words(view.kind)} expired`;
    const body: IntentRefusal = { error: { code: 'expired', message }, ...view };
    return new Reply(410, body);
  }
  return new Reply(okStatus, view);
}
