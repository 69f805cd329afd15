// What an entry of the audit log did, in the owner's words: the hub records an action by its
// route (`PATCH /api/rooms/:id`) or by its own name (`door.open`); the owner reads 修改房间 and
// 开门. An action without words yet (a hub newer than these screens) shows as the hub named it.
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
