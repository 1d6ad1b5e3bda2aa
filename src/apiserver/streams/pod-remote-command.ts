// `pods/exec` and `pods/attach`: upgrades to WebSocket (v5 … channel.k8s.io) or SPDY/3.1 and bridges to the node agent.
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../../machinery/status-error.ts';
import type { NodeProxy } from '../node-proxy.ts';
import type { SubresourceRequest } from '../registry/resource.ts';
import type { ExecSession, TerminalSize } from '../../node/runtime/runtime.ts';
import { chooseContainer, getPod, nodeUnreachable, requireNode, streamTarget } from './pod-target.ts';
import { remoteCommandOptions, type RemoteCommandOptions } from './stream-options.ts';
import { takeUpgrade, upgradeOf } from './upgrade.ts';
import { chooseSubprotocol, isWebSocketRequest, offeredSubprotocols, switchingProtocolsResponse, validateHandshake, WebSocketHandshakeError } from './websocket/handshake.ts';
import { WebSocketConnection } from './websocket/websocket-connection.ts';
import { isSpdyRequest, negotiateStreamProtocol, spdySwitchingProtocols } from './spdy/spdy-upgrade.ts';
import { exitStatus, spdyRemoteCommandProtocols, webSocketRemoteCommandProtocols } from './remotecommand/protocols.ts';
import { attachRun, bufferOutput, execRun, runRemoteCommand, type RemoteCommandStreams } from './remotecommand/remote-command.ts';
import { webSocketRemoteCommandStreams } from './remotecommand/websocket-streams.ts';
import { spdyRemoteCommandStreams } from './remotecommand/spdy-streams.ts';

export interface StreamDeps {
  nodeProxy(): NodeProxy | undefined;
  log(msg: string, fields?: Record<string, unknown>): void;
}

/** How long an exec with a terminal waits, once the streams are up, for the client's size before it starts without. */
const firstSizeWaitMs = 500;

interface FirstTerminalSize {
  promise: Promise<TerminalSize | undefined>;
  resolve(size: TerminalSize | undefined): void;
}

function firstTerminalSize(): FirstTerminalSize {
  let resolve: (size: TerminalSize | undefined) => void = () => {};
  const promise = new Promise<TerminalSize | undefined>((r) => (resolve = r));
  return { promise, resolve: (size) => resolve(size) };
}

type Transport = { kind: 'websocket'; key: string; protocol: string } | { kind: 'spdy'; protocol: string };

/** Picks the transport and subprotocol before anything starts, so a refusal is still a plain HTTP answer. */
export function negotiateRemoteCommand(req: IncomingMessage): Transport {
  if (isWebSocketRequest(req)) {
    let key: string;
    try {
      key = validateHandshake(req);
    } catch (e) {
      if (e instanceof WebSocketHandshakeError) throw new StatusError(e.status, 'BadRequest', e.message);
      throw e;
    }
    const offered = offeredSubprotocols(req);
    // No subprotocol at all is the unversioned binary channel protocol, as wsstream treats it.
    const protocol = offered.length === 0 ? '' : chooseSubprotocol(offered, webSocketRemoteCommandProtocols);
    if (protocol === undefined) {
      throw StatusError.badRequest(
        `websocket: requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${webSocketRemoteCommandProtocols.join(' ')}]`,
      );
    }
    return { kind: 'websocket', key, protocol };
  }
  if (isSpdyRequest(req)) return { kind: 'spdy', protocol: negotiateStreamProtocol(req, spdyRemoteCommandProtocols) };
  throw StatusError.badRequest('Upgrade request required');
}

/** Takes the socket and speaks the negotiated transport; never throws into the HTTP path. */
async function serveRemoteCommand(
  r: SubresourceRequest,
  transport: Transport,
  opts: RemoteCommandOptions,
  session: ExecSession,
  kind: 'exec' | 'attach',
  deps: StreamDeps,
  firstSize: FirstTerminalSize | undefined,
): Promise<void> {
  const { socket, head } = takeUpgrade(r.req);
  try {
    let io: RemoteCommandStreams;
    if (transport.kind === 'websocket') {
      socket.write(switchingProtocolsResponse(transport.key, transport.protocol || undefined));
      const ws = new WebSocketConnection(socket, head);
      io = webSocketRemoteCommandStreams(ws, transport.protocol || 'channel.k8s.io', opts);
    } else {
      socket.write(spdySwitchingProtocols(transport.protocol));
      io = await spdyRemoteCommandStreams(socket, head, transport.protocol, opts);
    }
    if (firstSize) {
      io.onResize(firstSize.resolve);
      setTimeout(() => firstSize.resolve(undefined), firstSizeWaitMs).unref();
    }
    const protocol = transport.protocol;
    const run = kind === 'exec' ? execRun((code) => exitStatus(code, opts.command, protocol)) : attachRun;
    await runRemoteCommand(session, io, run);
  } catch (e) {
    firstSize?.resolve(undefined);
    session.kill();
    socket.destroy();
    deps.log('remote command stream failed', { kind, pod: `${r.namespace}/${r.name}`, error: String(e) });
  }
}

/** Serves pods/exec or pods/attach (the SubresourceHandler's work): validates the options, upgrades, runs the session. */
export async function serveExecOrAttach(kind: 'exec' | 'attach', deps: StreamDeps, r: SubresourceRequest): Promise<void> {
  const opts = remoteCommandOptions(r.url, kind);
  const pod = await getPod(r);
  const container = chooseContainer(pod, opts.container, false);
  requireNode(pod);
  if (!upgradeOf(r.req)) throw StatusError.badRequest('Upgrade request required');
  const transport = negotiateRemoteCommand(r.req);
  const proxy = deps.nodeProxy();
  if (!proxy) throw nodeUnreachable(pod.nodeName);
  const target = streamTarget(pod, container);
  // The kubelet starts an exec once the client's streams are there, its first resize close behind: a terminal has
  // the client's size from the start.
  const firstSize = kind === 'exec' && opts.tty ? firstTerminalSize() : undefined;
  const session =
    kind === 'exec'
      ? await proxy.exec(target, opts.command, { stdin: opts.stdin, tty: opts.tty, ...(firstSize ? { terminalSize: firstSize.promise } : {}) })
      : await proxy.attach(target, { stdin: opts.stdin, tty: opts.tty });
  await serveRemoteCommand(r, transport, opts, bufferOutput(session), kind, deps, firstSize);
}
