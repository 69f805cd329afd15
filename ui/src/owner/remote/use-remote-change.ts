// A change the owner sends a store from afar (an item of the menu, a campaign, a deal), told as
// the store's own settings pages tell theirs: made, refused in the store's words, or waiting for
// the offline store and told again once it answers. `read` is the page's query it makes stale.
import type { IntentView } from '@roomhub/shared-types';
import { useTranslation } from 'react-i18next';
import { remoteChange } from '../../api/owner-remote-client';
import { useChangeAnswers } from '../change-answers';

export function useRemoteChange(storeId: string, read: readonly unknown[]) {
  const { t } = useTranslation('owner');
  const answers = useChangeAnswers([read], t('changes.waiting'));
  return {
    /** Sends the change and tells how it went. */
    send(send: () => Promise<IntentView>, done: string): void {
      remoteChange(storeId, send()).then((a) => answers.answered(a, done), answers.refused);
    },
    /** Sends the change; a refusal is thrown for the caller's dialog to say, the rest told. */
    async sendOrThrow(send: () => Promise<IntentView>, done: string): Promise<void> {
      answers.answered(await remoteChange(storeId, send()), done);
    },
  };
}
