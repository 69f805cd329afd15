// Live events for the board and booking screens (their shapes: `HubEvent` in shared-types).
// Emitted only after the change is committed, so a listener never sees a change that a crash could
// take back: services emit through `afterCommit`.
import { EventEmitter } from 'node:events';
import type { HubEvent } from '@roomhub/shared-types';

export type { HubEvent };

export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    // One listener per open event stream; a busy store has a few screens and phones.
    this.emitter.setMaxListeners(1000);
  }
  emit(event: HubEvent): void {
    this.emitter.emit('event', event);
  }
  subscribe(fn: (e: HubEvent) => void): () => void {
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }
}
