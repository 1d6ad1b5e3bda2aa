// The kubelet's WebSocket port-forward protocol (the Python client's): per port a data channel 2i and an error channel
// 2i+1, each opened with the port as a little-endian uint16.
import type { Duplex } from 'node:stream';
import { StatusError } from '../../../machinery/status-error.ts';
import type { WebSocketConnection } from '../websocket/websocket-connection.ts';
import type { PortForwardTarget } from './port-forward-server.ts';

export const webSocketPortForwardProtocols: readonly string[] = ['v4.channel.k8s.io', 'v4.base64.channel.k8s.io'];

/** The `ports` query parameter (repeatable, comma-separated), checked as the kubelet's NewV4Options does. */
export function forwardedPorts(url: URL): number[] {
  const values = url.searchParams.getAll('ports');
  if (values.length === 0) throw StatusError.badRequest('query parameter "ports" is required');
  const ports: number[] = [];
  for (const v of values) {
    if (v === '') throw StatusError.badRequest('query parameter "ports" cannot be empty');
    for (const p of v.split(',')) {
      if (!/^\d+$/.test(p) || Number(p) > 65535) throw StatusError.badRequest(`unable to parse "${v}" as a port: strconv.ParseUint: parsing "${p}": invalid syntax`);
      if (Number(p) < 1) throw StatusError.badRequest(`port "${v}" must be > 0`);
      ports.push(Number(p));
    }
  }
  return ports;
}

export function serveWebSocketPortForward(ws: WebSocketConnection, protocol: string, ports: number[], target: PortForwardTarget): void {
  const base64 = protocol.includes('base64');
  const send = (channel: number, data: Buffer) =>
    ws.send(base64 ? String.fromCharCode(48 + channel) + data.toString('base64') : Buffer.concat([Buffer.from([channel]), data]), !base64);
  const conns: (Duplex | undefined)[] = ports.map(() => undefined);
  const pending: Buffer[][] = ports.map(() => []);
  let open = ports.length;
  const done = () => {
    if (--open === 0) ws.close(1000);
  };

  ws.on('message', (raw: Buffer) => {
    if (raw.length === 0) return;
    const channel = base64 ? raw[0] - 48 : raw[0];
    const data = base64 ? Buffer.from(raw.subarray(1).toString('latin1'), 'base64') : raw.subarray(1);
    const i = channel / 2;
    if (!Number.isInteger(i) || i < 0 || i >= ports.length) return;
    const conn = conns[i];
    if (conn) conn.write(data);
    else pending[i].push(data);
  });
  ws.on('close', () => {
    for (const c of conns) c?.destroy();
  });

  ports.forEach((port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port, 0);
    send(2 * i, portBytes);
    send(2 * i + 1, portBytes);
    target.dial(port).then(
      (conn) => {
        if (ws.closed) return conn.destroy();
        conns[i] = conn;
        conn.on('error', () => {});
        for (const d of pending[i]) conn.write(d);
        pending[i] = [];
        conn.on('data', (d: Buffer) => {
          if (!send(2 * i, d)) {
            conn.pause();
            ws.once('drain', () => conn.resume());
          }
        });
        conn.once('close', done);
      },
      (e: unknown) => {
        const why = e instanceof Error ? e.message : String(e);
        send(2 * i + 1, Buffer.from(`error forwarding port ${port} to pod ${target.pod}, uid ${target.uid}: ${why}`));
        done();
      },
    );
  });
}
