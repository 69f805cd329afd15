// The validate functions as CouchDB runs them (plain functions of newDoc, oldDoc, userCtx,
// secObj): who may write what where.
import { describe, expect, it } from 'vitest';
import { CLOUD_DBS, REGISTRY_DB, storeDbName, storeInboxDbName } from './databases';
import { CLOUD_USER, cloudAccess, hubUserName, storeAccess } from './access';

type Validate = (newDoc: object, oldDoc: object | null, userCtx: object, secObj: object) => void;

function validator(db: string): Validate {
  const access = [...storeAccess('s1'), ...cloudAccess()].find((a) => a.db === db)!;
  return new Function(`return (${access.design.validate_doc_update})`)() as Validate;
}

/** What the function decides for this user: 'ok' or the refusal it threw. */
function decide(db: string, name: string, doc: object, roles: string[] = []): string {
  try {
    validator(db)({ _id: 'x', ...doc }, null, { name, roles }, {});
    return 'ok';
  } catch (error) {
    return Object.keys(error as object)[0]!;
  }
}

const booking = { _id: 'booking:b1', type: 'booking', storeId: 's1' };

describe('access', () => {
  it("lets a store's hub write its own kinds of facts, and no one else", () => {
    const db = storeDbName('s1');
    expect(decide(db, 'hub-s1', booking)).toBe('ok');
    expect(decide(db, 'hub-s1', { _id: 'booking:b1', _deleted: true })).toBe('ok');
    expect(decide(db, 'hub-s1', { _id: 'answer:i1', type: 'answer' })).toBe('ok');
    expect(decide(db, 'hub-s1', { _id: 'profile:store', type: 'store_profile' })).toBe('ok');
    expect(decide(db, 'hub-s1', { _id: 'profile:room:r1', type: 'room_profile' })).toBe('ok');
    expect(decide(db, 'hub-s1', { _id: 'devices:health', type: 'devices_health' })).toBe('ok');
    expect(decide(db, 'hub-s1', { _id: 'devices:schedules', type: 'device_schedules' })).toBe('ok');
    expect(decide(db, 'hub-s1', { _id: 'devices:schedules', type: 'devices_health' })).toBe(
      'forbidden',
    );
    expect(decide(db, 'hub-s1', { ...booking, type: 'ledger' })).toBe('forbidden');
    expect(decide(db, 'hub-s1', { ...booking, storeId: 's2' })).toBe('forbidden');
    expect(decide(db, 'hub-s1', { _id: 'intent:i1', type: 'intent' })).toBe('forbidden');
    expect(decide(db, 'hub-s1', { _id: 'profile:storefront', type: 'store_profile' })).toBe(
      'forbidden',
    );
    expect(decide(db, 'hub-s2', booking)).toBe('forbidden');
    expect(decide(db, CLOUD_USER, booking)).toBe('forbidden');
    expect(decide(db, 'admin', booking, ['_admin'])).toBe('forbidden');
  });

  it("lets the cloud alone write a store's inbox, intents only", () => {
    const db = storeInboxDbName('s1');
    expect(decide(db, CLOUD_USER, { _id: 'intent:i1', type: 'intent' })).toBe('ok');
    expect(decide(db, CLOUD_USER, { _id: 'answer:i1', type: 'answer' })).toBe('forbidden');
    expect(decide(db, 'hub-s1', { _id: 'intent:i1', type: 'intent' })).toBe('forbidden');
  });

  it('lets the cloud alone write its databases, and admins alone the registry', () => {
    for (const db of Object.values(CLOUD_DBS)) {
      expect(decide(db, CLOUD_USER, { _id: 'owner:x' })).toBe('ok');
      expect(decide(db, 'hub-s1', { _id: 'owner:x' })).toBe('forbidden');
      expect(decide(db, 'admin', { _id: 'owner:x' }, ['_admin'])).toBe('forbidden');
    }
    expect(decide(REGISTRY_DB, 'admin', { _id: 'store:s1' }, ['_admin'])).toBe('ok');
    expect(decide(REGISTRY_DB, CLOUD_USER, { _id: 'store:s1' })).toBe('forbidden');
  });

  it('gives each database its members and no db admins', () => {
    const [facts, inbox] = storeAccess('s1');
    expect(facts!.security).toEqual({
      admins: { names: [], roles: [] },
      members: { names: [CLOUD_USER, hubUserName('s1')].sort(), roles: [] },
    });
    expect(inbox!.security.members.names).toContain(hubUserName('s1'));
    for (const a of cloudAccess()) expect(a.security.members.names).toEqual([CLOUD_USER]);
  });
});
