// The server side of the RFC 6455 opening handshake: recognising an upgrade, choosing a subprotocol, the 101 reply.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** RFC 6455 §1.3: appended to the client's key before hashing. */
const acceptGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + acceptGuid).digest('base64');
}

const headerList = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : [v ?? ''])
    .flatMap((h) => h.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');

/** `Connection: Upgrade` with `Upgrade: websocket` (both case-insensitive, in lists). */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  const connection = headerList(req.headers.connection).map((v) => v.toLowerCase());
  const upgrade = headerList(req.headers.upgrade).map((v) => v.toLowerCase());
  return connection.includes('upgrade') && upgrade.includes('websocket');
}

/** The subprotocols the client offered, in its order of preference. */
export function offeredSubprotocols(req: IncomingMessage): string[] {
  return headerList(req.headers['sec-websocket-protocol']);
}

/** Why a handshake cannot proceed (written as a plain HTTP error by the caller). */
export class WebSocketHandshakeError extends Error {
  readonly code = 'STREAMS_ERR_WEBSOCKET_HANDSHAKE';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'WebSocketHandshakeError';
    this.status = status;
  }
}

/** Checks the client's handshake (RFC 6455 §4.2.1) and returns its key. */
export function validateHandshake(req: IncomingMessage): string {
  if (req.method !== 'GET') throw new WebSocketHandshakeError(400, 'websocket: the client must use GET');
  const version = String(req.headers['sec-websocket-version'] ?? '');
  if (version !== '13') throw new WebSocketHandshakeError(426, 'websocket: unsupported version: only 13 is supported');
  const key = String(req.headers['sec-websocket-key'] ?? '').trim();
  if (Buffer.from(key, 'base64').length !== 16) throw new WebSocketHandshakeError(400, 'websocket: not a websocket handshake: "Sec-WebSocket-Key" is missing or invalid');
  return key;
}

/** The first of the client's subprotocols the server supports (the client's preference wins, as wsstream does). */
export function chooseSubprotocol(offered: string[], supported: readonly string[]): string | undefined {
  return offered.find((p) => supported.includes(p));
}

/** The raw 101 response that completes the handshake. */
export function switchingProtocolsResponse(key: string, protocol: string | undefined): string {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`];
  if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
