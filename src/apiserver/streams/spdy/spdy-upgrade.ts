// The HTTP side of a SPDY/3.1 upgrade: recognising it, negotiating X-Stream-Protocol-Version, the 101 reply.
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../../../machinery/status-error.ts';

const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((h) => h.split(',')).map((p) => p.trim()).filter((p) => p !== '');

/** `Connection: Upgrade` and `Upgrade: SPDY/3.1`. */
export function isSpdyRequest(req: IncomingMessage): boolean {
  const connection = list(req.headers.connection).map((v) => v.toLowerCase());
  return connection.includes('upgrade') && String(req.headers.upgrade ?? '').toLowerCase().includes('spdy/3.1');
}

/** httpstream.Handshake: the first protocol in the client's order that the server accepts. */
export function negotiateStreamProtocol(req: IncomingMessage, serverProtocols: readonly string[]): string {
  const raw = req.headers['x-stream-protocol-version'];
  if (raw === undefined) {
    throw StatusError.badRequest(
      `unable to upgrade: header X-Stream-Protocol-Version does not exist in request with ${Object.keys(req.headers).length} headers`,
    );
  }
  const client = list(raw);
  if (client.length === 0) throw StatusError.badRequest('unable to upgrade: header X-Stream-Protocol-Version is empty');
  const chosen = client.find((p) => serverProtocols.includes(p));
  if (!chosen) {
    throw new StatusError(
      403,
      'Forbidden',
      `unable to upgrade: unable to negotiate protocol: client supports [${client.join(' ')}], server accepts [${serverProtocols.join(' ')}]`,
    );
  }
  return chosen;
}

export function spdySwitchingProtocols(protocol: string): string {
  return [
    'HTTP/1.1 101 Switching Protocols',
    'Connection: Upgrade',
    'Upgrade: SPDY/3.1',
    `X-Stream-Protocol-Version: ${protocol}`,
    `Date: ${new Date().toUTCString()}`,
  ].join('\r\n') + '\r\n\r\n';
}
