// An entry of the audit log in the owner's words. The hub records an action by its route
// (`PATCH /api/rooms/:id`) or by its own name (`invoice.issue`); the owner reads 修改房间 and
// 开具发票. An action without words yet (a hub newer than these screens) shows as the hub named it.
// Who did it: a staff member by name, the owner acting from afar (`remote:<account>`), or one of
// the hub's own jobs (`first-start`, `nightly-backup`) by what it is.
import type { TFunction } from 'i18next';
import zhWords from '../../locales/zh-CN/audit-actions.json';
import enWords from '../../locales/en-US/audit-actions.json';

const WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'zh-CN': zhWords,
  'en-US': enWords,
};

/** The words for `action` in `language` (zh-CN when that language lacks them), else the action. */
export function actionWords(action: string, language: string): string {
  return WORDS[language]?.[action] ?? WORDS['zh-CN']![action] ?? action;
}

/** Who an entry names: `staffName` when the store knows the staff member, else its id. */
export function actorWords(
  t: TFunction,
  actor: { kind: string; id: string },
  staffName: string | undefined,
): string {
  if (actor.kind === 'system') {
    return t(`owner:audit.systems.${actor.id}`, {
      defaultValue: t('owner:audit.system', { id: actor.id }),
    });
  }
  if (actor.id.startsWith('remote:')) {
    return t('owner:audit.remote', { who: staffName ?? actor.id.slice('remote:'.length) });
  }
  return staffName ?? actor.id;
}
