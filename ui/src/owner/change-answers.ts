// What an owner's change came to, told to the owner: made, or refused (in the store's own words
// when it refused a change sent from afar), or waiting for the offline store and told again once
// the store has answered. What the page reads is read again each time, since only the store's
// own data says what holds (a refusal from afar may be for something changed there meanwhile).
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChangeAnswer } from '../api/owner-client';
import { ownerRefusal } from './refusal-text';

/** `reads`: the query keys the change makes stale; `waiting`: what the page says meanwhile. */
export function useChangeAnswers(reads: (readonly unknown[])[], waiting: string) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const reread = () => {
    for (const queryKey of reads) void client.invalidateQueries({ queryKey });
  };
  const refused = (e: unknown) => {
    void message.error(ownerRefusal(t, e));
    reread();
  };
  const made = (done: string) => {
    void message.success(done);
    reread();
  };
  return {
    answered(answer: ChangeAnswer, done: string) {
      if (answer.state === 'done') return made(done);
      void message.info(waiting);
      reread();
      answer.made.then(() => made(done), refused);
    },
    refused,
  };
}
