// The owner's device schedules through the cloud, with a real hub behind it on the embedded
// CouchDB: the hub publishes its schedules and the owner's API lists them; adding, changing and
// removing one are owner intents the hub makes by its own rules and audits as the owner; a
// schedule that breaks a rule is refused before anything is sent, naming the field, and one the
// store refuses comes back in the store's words; another owner is refused the store.
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud, type CloudAnswer, addOwner } from './fixtures';

let running: Awaited<ReturnType<typeof startStoreAndCloud>> | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const FRESH_AIR = {
  roomId: null,
  devices: ['freshAir'],
  weekdays: EVERY_DAY,
  start: '10:00',
  end: '10:20',
  on: true,
};

describe("the owner's device schedules through the cloud", () => {
  it('are listed, added, changed and removed as owner intents the store answers', async () => {
    running = await startStoreAndCloud('remote-schedules');
    const { hub, api, sms, couch, provisioner } = running;
    const storeId = hub.hub.store.getStore().id;
    /** `npm run owner -- add <phone> --store <id>` as the CouchDB admin, then a sign-in. */
    const ownerOf = async (phone: string, store: string) => {
      await addOwner(couch.adminUrl, phone, store);
      hub.clock.advance(61_000);
      expect((await api('POST', '/api/auth/sms/send', { phone })).status).toBe(202);
      const login = await api('POST', '/api/owner/login', { phone, code: sms.lastCode(phone) });
      expect(login.status).toBe(200);
      return login.body.token as string;
    };
    const owner = await ownerOf('13700000011', storeId);
    const path = `/api/owner/stores/${storeId}/device-schedules`;
    /** The intent's answer: at once, or once the store has answered a 202. */
    const answered = async (r: CloudAnswer) =>
      r.status !== 202
        ? r
        : until('the store answered', async () => {
            const again = await api(
              'GET',
              `/api/owner/stores/${storeId}/intents/${r.body.intentId}`,
              undefined,
              owner,
            );
            return again.body.state === 'waiting' ? undefined : again;
          });
    /** The schedules the cloud lists once they read as `wanted`. */
    const listed = (wanted: (schedules: { id: string }[]) => boolean) =>
      until('the schedules in the remote view', async () => {
        const r = await api('GET', path, undefined, owner);
        expect(r.status).toBe(200);
        return r.body.updatedAt !== null && wanted(r.body.schedules) ? r.body : undefined;
      });
    const onHub = () => hub.hub.devices.schedules.list();

    // Published by the hub as it starts, before the owner has any.
    expect((await listed(() => true)).schedules).toEqual([]);

    const added = await answered(await api('POST', path, FRESH_AIR, owner));
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kind: 'device_schedule_add', state: 'done' });
    const [made] = onHub();
    expect(made).toMatchObject({ ...FRESH_AIR, ac: null, note: '' });
    const first = await listed((s) => s.length === 1);
    expect(first.schedules).toEqual([
      {
        ...FRESH_AIR,
        dayTypes: [],
        ac: null,
        note: '',
        id: made!.id,
        updatedAt: expect.any(String),
      },
    ]);

    // Changed whole: the weekend's AC over midnight in one room.
    const roomId = (await hub.roomIds())[0]!;
    const weekendAc = {
      roomId,
      devices: ['ac'],
      weekdays: [6, 7],
      dayTypes: ['weekend', 'holiday'],
      start: '22:00',
      end: '02:00',
      on: true,
      ac: { mode: 'cool', setpoint: 24, fan: 'auto' },
      note: '周末夜场',
    };
    const changed = await answered(await api('PUT', `${path}/${made!.id}`, weekendAc, owner));
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ kind: 'device_schedule_change', state: 'done' });
    expect(onHub()).toEqual([{ ...weekendAc, id: made!.id, updatedAt: expect.any(Number) }]);
    await listed((s) => s.length === 1 && (s[0] as { start?: string }).start === '22:00');

    // The hub's own rule, checked by the cloud with the same schema: nothing is sent.
    const same = await api('PUT', `${path}/${made!.id}`, { ...weekendAc, end: '22:00' }, owner);
    expect(same.status).toBe(400);
    expect(same.body.error).toMatchObject({ code: 'invalid_input', field: 'end' });
    expect(same.body.error.message).toContain('must differ from the start time');
    const noDevice = await api('POST', path, { ...FRESH_AIR, devices: [] }, owner);
    expect(noDevice.status).toBe(400);
    expect(noDevice.body.error).toMatchObject({ field: 'devices' });

    // What only the store can know it refuses in its own words: a room it does not have.
    const noRoom = await answered(
      await api('PUT', `${path}/${made!.id}`, { ...weekendAc, roomId: 'no-such-room' }, owner),
    );
    expect(noRoom.status).toBe(409);
    expect(noRoom.body).toMatchObject({ state: 'rejected', kind: 'device_schedule_change' });
    expect(noRoom.body.error.message).toMatch(/room/);
    expect(noRoom.body.error.message).toContain('no-such-room');
    expect(onHub()[0]).toMatchObject({ roomId, start: '22:00' });

    const removed = await answered(await api('DELETE', `${path}/${made!.id}`, undefined, owner));
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ kind: 'device_schedule_remove', state: 'done' });
    expect(onHub()).toEqual([]);
    await listed((s) => s.length === 0);
    const gone = await answered(await api('DELETE', `${path}/${made!.id}`, undefined, owner));
    expect(gone.status).toBe(409);
    expect(gone.body.error.message).toContain(made!.id);

    // Each change audited on the hub as the owner's, the refusals too.
    const audit = hub.hub.audit
      .list({ action: 'device.schedule', limit: 20 }, 'Asia/Shanghai')
      .map((e) => [e.action, e.outcome, e.actor.id.startsWith('remote:')]);
    expect(audit.reverse()).toEqual([
      ['device.schedule.add', 'done', true],
      ['device.schedule.change', 'done', true],
      ['device.schedule.change', 'refused', true],
      ['device.schedule.remove', 'done', true],
      ['device.schedule.remove', 'refused', true],
    ]);

    // Another owner is refused this store, reading and changing alike, and nothing is sent.
    await provisioner.store('zz-other-owner');
    const other = await ownerOf('13700000012', 'zz-other-owner');
    expect((await api('GET', path, undefined, other)).status).toBe(403);
    const theirs = await api('POST', path, FRESH_AIR, other);
    expect(theirs.status).toBe(403);
    expect(theirs.body.error.code).toBe('not_your_store');
    expect(onHub()).toEqual([]);
  });
});
