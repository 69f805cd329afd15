// What each online channel of the hub talks to, for the owner's settings page: the local stand-in
// (no real money) or the store's real gateway named in the HUB_PAYMENTS file, and whether its
// address answers now. Only the kind and the gateway's host are kept here, never a credential:
// the merchant ids and keys stay inside the channel and the file they came from.
import { connect } from 'node:net';
import type { OnlineChannel } from './channel';

export type ChannelKind = 'simulator' | 'gateway';

interface Known {
  kind: ChannelKind;
  gatewayUrl: string;
}

const known = new WeakMap<OnlineChannel, Known>();

/** Says what a channel talks to; the hub's start calls it as it builds each channel. */
export function markChannel(channel: OnlineChannel, kind: ChannelKind, gatewayUrl: string): void {
  known.set(channel, { kind, gatewayUrl });
}

export interface ChannelReach {
  kind: ChannelKind | null;
  /** The gateway's host (never a path, key or merchant id); null when not known. */
  host: string | null;
  /** Whether the gateway's address took a connection just now; null when not known. */
  reachable: boolean | null;
}

/** Tries a TCP connection to the channel's gateway, giving up after `timeoutMs`. */
export async function reachOf(channel: OnlineChannel, timeoutMs = 1500): Promise<ChannelReach> {
  const k = known.get(channel);
  if (!k) return { kind: null, host: null, reachable: null };
  const url = new URL(k.gatewayUrl);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const reachable = await new Promise<boolean>((done) => {
    const socket = connect({ host: url.hostname, port });
    const end = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => end(false));
    socket.once('connect', () => end(true));
    socket.once('error', () => end(false));
  });
  return { kind: k.kind, host: url.host, reachable };
}
