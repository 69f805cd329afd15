// What the hub's events change on the cleaner's page: a task appearing, taken, given back, done,
// handed over or called off refreshes the lists and that task; nothing here polls.
import type { HubEvent } from '@roomhub/shared-types';

export function staleOnCleanerPage(e: HubEvent): unknown[][] {
  if (e.type === 'cleaning.task')
    return [
      ['cleaning', 'tasks'],
      ['cleaning', 'task', e.taskId],
    ];
  return [];
}
