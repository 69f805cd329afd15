// A refusal the hub answers, as one sentence for the cleaner holding the phone: the cleaner's own
// words for the codes this page meets, otherwise the general sentence with the hub's code, which
// the manager can look up.
import type { TFunction } from 'i18next';
import { refusalKey } from '../components/refusal';

export function cleanerRefusal(t: TFunction, e: unknown, holder?: string | null): string {
  const key = refusalKey(e);
  if (key === 'cleaning_task_taken') {
    return holder
      ? t('cleaner:errors.cleaning_task_taken', { name: holder })
      : t('cleaner:errors.cleaning_task_taken_somebody');
  }
  return t(`cleaner:errors.${key}`, { defaultValue: t('cleaner:errors.fallback', { code: key }) });
}
