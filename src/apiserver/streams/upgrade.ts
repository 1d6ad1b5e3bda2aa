// Hands the raw connection of an HTTP Upgrade request (WebSocket, SPDY) to the subresource handler that accepts it.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** The kubelet's default streamingConnectionIdleTimeout: a stream silent this long is dropped. */
export const streamIdleTimeoutMs = 4 * 60 * 60 * 1000;

export interface UpgradeConnection {
  socket: Duplex;
  /** Bytes the client sent after the request head (the first frames of the new protocol). */
  head: Buffer;
}

const held = new WeakMap<IncomingMessage, UpgradeConnection>();

/** Called by the HTTP server for every Upgrade request, before it is served like any other. */
export function holdUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
  held.set(req, { socket, head });
}

/** The request's connection, if it asked for an upgrade and nobody took it yet. */
export function upgradeOf(req: IncomingMessage): UpgradeConnection | undefined {
  return held.get(req);
}

/**
 * Takes the connection: from now on the handler owns the socket and must never let an error reach the HTTP
 * response path (which would write an HTTP reply into the new protocol).
 */
export function takeUpgrade(req: IncomingMessage): UpgradeConnection {
  const c = held.get(req);
  if (!c) throw new Error('not an upgrade request, or its connection was already taken');
  held.delete(req);
  const socket = c.socket as Partial<Socket>;
  socket.setTimeout?.(streamIdleTimeoutMs, () => c.socket.destroy());
  return c;
}
