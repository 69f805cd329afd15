// What the owner's remote view reads of a store's settings and changes from afar: its staff
// (names, roles, enabled or not; never a PIN or its hash) and its member levels (with how many hold
// each) and points rules. Built from the services' own views when the outbox publishes them; the
// hub's answers to the owner's changes are in owner-answers.ts. Read only.
import {
  MEMBER_SETTINGS_ID,
  MemberSettingsDocSchema,
  STAFF_LIST_ID,
  StaffListDocSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';

/** The document `docId` names, or null when it names none of these. */
export function settingsDocument(
  hub: Hub,
  docId: string,
  base: { storeId: string; updatedAt: string },
): object | null {
  if (docId === STAFF_LIST_ID) {
    return StaffListDocSchema.parse({
      ...{ _id: docId, type: 'staff_list', ...base },
      staff: hub.staff.list().map(({ id, name, role, status }) => ({ id, name, role, status })),
    });
  }
  if (docId === MEMBER_SETTINGS_ID) {
    return MemberSettingsDocSchema.parse({
      ...{ _id: docId, type: 'member_settings', ...base },
      ...hub.members.settingsView(),
    });
  }
  return null;
}
