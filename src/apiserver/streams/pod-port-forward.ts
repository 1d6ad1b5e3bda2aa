// `pods/portforward`: SPDY/3.1 with portforward.k8s.io, tunnelled through a WebSocket (`SPDY/3.1+portforward.k8s.io`), or the kubelet's WebSocket channels.
import type { Duplex } from 'node:stream';
import { StatusError } from '../../machinery/status-error.ts';
import type { SubresourceRequest } from '../registry/resource.ts';
import { getPod, nodeUnreachable, requireNode } from './pod-target.ts';
import type { StreamDeps } from './pod-remote-command.ts';
import { takeUpgrade, upgradeOf } from './upgrade.ts';
import { chooseSubprotocol, isWebSocketRequest, offeredSubprotocols, switchingProtocolsResponse, validateHandshake, WebSocketHandshakeError } from './websocket/handshake.ts';
import { WebSocketConnection } from './websocket/websocket-connection.ts';
import { webSocketByteStream } from './websocket/websocket-byte-stream.ts';
import { isSpdyRequest, negotiateStreamProtocol, spdySwitchingProtocols } from './spdy/spdy-upgrade.ts';
import { SpdySession } from './spdy/session.ts';
import { forwardedPorts, serveWebSocketPortForward, webSocketPortForwardProtocols } from './portforward/websocket-port-forward.ts';
import { acceptPortForwardStream, portForwardProtocol, PortForwardServer, type PortForwardTarget } from './portforward/port-forward-server.ts';

/** client-go's WebsocketsSPDYTunnelingPrefix. */
const tunnelPrefix = 'SPDY/3.1+';

type Transport =
  | { kind: 'tunnel'; key: string; protocol: string }
  | { kind: 'websocket'; key: string; protocol: string; ports: number[] }
  | { kind: 'spdy'; protocol: string };

function negotiate(r: SubresourceRequest): Transport {
  const req = r.req;
  if (isWebSocketRequest(req)) {
    let key: string;
    try {
      key = validateHandshake(req);
    } catch (e) {
      if (e instanceof WebSocketHandshakeError) throw new StatusError(e.status, 'BadRequest', e.message);
      throw e;
    }
    const offered = offeredSubprotocols(req);
    const spdyProtocols = offered.filter((p) => p.startsWith(tunnelPrefix) && p.endsWith('.k8s.io')).map((p) => p.slice(tunnelPrefix.length));
    if (spdyProtocols.length === 0) {
      // No tunnelling asked for: the kubelet's own WebSocket protocol (the Python client's).
      const protocol = offered.length === 0 ? '' : chooseSubprotocol(offered, webSocketPortForwardProtocols);
      if (protocol === undefined) {
        throw StatusError.badRequest(
          `websocket: requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${webSocketPortForwardProtocols.join(' ')}]`,
        );
      }
      return { kind: 'websocket', key, protocol, ports: forwardedPorts(r.url) };
    }
    if (!spdyProtocols.includes(portForwardProtocol)) {
      throw new StatusError(
        403,
        'Forbidden',
        `unable to upgrade: unable to negotiate protocol: client supports [${spdyProtocols.join(' ')}], server accepts [${portForwardProtocol}]`,
      );
    }
    return { kind: 'tunnel', key, protocol: portForwardProtocol };
  }
  if (isSpdyRequest(req)) return { kind: 'spdy', protocol: negotiateStreamProtocol(req, [portForwardProtocol]) };
  throw StatusError.badRequest('Upgrade request required');
}

function serve(socket: Duplex, head: Buffer, target: PortForwardTarget): void {
  const server = new PortForwardServer(target);
  const session = new SpdySession(socket, head, {
    role: 'server',
    accept: acceptPortForwardStream,
    onStream: (s) => server.onStream(s),
  });
  session.on('close', () => server.close());
}

/** Serves pods/portforward (the SubresourceHandler's work): upgrades and forwards each requested port. */
export async function servePortForward(deps: StreamDeps, r: SubresourceRequest): Promise<void> {
  const pod = await getPod(r);
  requireNode(pod);
  if (!upgradeOf(r.req)) throw StatusError.badRequest('Upgrade request required');
  const transport = negotiate(r);
  const proxy = deps.nodeProxy();
  if (!proxy) throw nodeUnreachable(pod.nodeName);
  const meta = pod.pod.metadata;
  const where = { namespace: meta.namespace ?? '', pod: meta.name!, podUid: meta.uid ?? '' };
  const target: PortForwardTarget = {
    dial: (port) => proxy.portForward(where, port),
    pod: meta.name!,
    uid: meta.uid ?? '',
  };
  const { socket, head } = takeUpgrade(r.req);
  try {
    if (transport.kind === 'websocket') {
      socket.write(switchingProtocolsResponse(transport.key, transport.protocol || undefined));
      serveWebSocketPortForward(new WebSocketConnection(socket, head), transport.protocol, transport.ports, target);
    } else if (transport.kind === 'tunnel') {
      socket.write(switchingProtocolsResponse(transport.key, tunnelPrefix + transport.protocol));
      serve(webSocketByteStream(new WebSocketConnection(socket, head)), Buffer.alloc(0), target);
    } else {
      socket.write(spdySwitchingProtocols(transport.protocol));
      serve(socket, head, target);
    }
  } catch (e) {
    socket.destroy();
    deps.log('port-forward stream failed', { pod: `${r.namespace}/${r.name}`, error: String(e) });
  }
}
