// The hub's live event stream (GET /api/events, server-sent) feeding the query cache: the board,
// a booking and the cloud line refetch when the hub says they changed, never on a timer. The
// browser's EventSource cannot send the screen's token, so the stream is read with fetch; after
// a drop it reconnects and refetches everything, so nothing missed while away stays stale.
import type { QueryClient } from '@tanstack/react-query';
import { createParser } from 'eventsource-parser';
import type { HubEvent } from '@roomhub/shared-types';
import { screenToken } from './screen-token';

export type StreamState = 'connecting' | 'live' | 'down';

/**
 * The hub writes at least every 15 s (a keep-alive); this long without a byte the line is taken
 * as gone: a phone that walked out of the store's Wi-Fi keeps a dead connection open for minutes.
 */
export const SILENT_MS = 40_000;

/** The query keys each event makes stale. */
export function staleKeysOf(e: HubEvent): unknown[][] {
  switch (e.type) {
    case 'board.changed':
    case 'room.changed':
    case 'calendar.changed':
      return [['board']];
    case 'booking.status':
      return [['board'], ['booking', e.bookingId]];
    case 'door.opened':
      return e.bookingId ? [['board'], ['booking', e.bookingId]] : [['board']];
    case 'voucher.redeemed':
      return [['booking', e.bookingId]];
    case 'session.reminder':
      return [['notifications', e.bookingId]];
    case 'sync.status':
      return [['sync']];
    case 'payment.channels':
      return [['payment-methods']];
    default:
      return [];
  }
}

function screenCredentials(): Record<string, string> {
  const token = screenToken();
  return token ? { 'x-screen-token': token } : {};
}

export function followHub(
  client: QueryClient,
  onState: (s: StreamState) => void,
  onEvent: (e: HubEvent) => void = () => {},
  /** Who is listening: this screen's token unless told (the counter sends its staff sign-in). */
  credentials: () => Record<string, string> = screenCredentials,
): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  let retryMs = 3_000;

  const connect = async () => {
    controller = new AbortController();
    onState('connecting');
    const parser = createParser({
      onEvent(msg) {
        if (!msg.event || msg.event === 'hello') return;
        let e: HubEvent;
        try {
          e = JSON.parse(msg.data) as HubEvent;
        } catch {
          return;
        }
        for (const key of staleKeysOf(e)) void client.invalidateQueries({ queryKey: key });
        onEvent(e);
      },
      onRetry(ms) {
        retryMs = ms;
      },
    });
    try {
      const res = await fetch('/api/events', {
        headers: credentials(),
        signal: controller.signal,
      });
      if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
      onState('live');
      // What happened while the stream was down is read again now.
      void client.invalidateQueries();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const line = controller;
      let silence = window.setTimeout(() => line.abort(), SILENT_MS);
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          window.clearTimeout(silence);
          silence = window.setTimeout(() => line.abort(), SILENT_MS);
          parser.feed(value);
        }
      } finally {
        window.clearTimeout(silence);
      }
    } catch {
      // dropped or refused: fall through to the retry
    }
    if (stopped) return;
    onState('down');
    window.setTimeout(() => void connect(), retryMs);
  };
  void connect();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
