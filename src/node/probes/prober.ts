// One probe or lifecycle-handler run (httpGet, tcpSocket, exec, grpc) with the kubelet's result rules and output texts.
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { isIPv6 } from 'node:net';
import type { ContainerRuntime } from '../runtime/runtime.ts';
import type { Container, ProbeHandler } from '../pod-worker-types.ts';
import { grpcHealthCheck } from './grpc-health.ts';

// Not `import … from 'node:http'`: its ES module facade loads undici for the WebSocket getters (see apiserver/http/server.ts).
const { request: httpRequest } = process.getBuiltinModule('node:http');

export type ProbeResult = 'success' | 'failure' | 'warning' | 'unknown';

export interface ProbeOutcome {
  result: ProbeResult;
  output: string;
}

export interface ProbeTarget {
  /** The address httpGet/tcpSocket/grpc reach when the handler names no host: the pod IP. */
  podIP: string;
  container: Container;
  containerID: string;
  runtime: Pick<ContainerRuntime, 'exec'>;
}

/** kube-probe/<major>.<minor> of the Kubernetes version dabba follows. */
export const probeUserAgent = 'kube-probe/1.33';
const maxBodyBytes = 10 * 1024;
const maxRedirects = 10;

const hostPort = (host: string, port: number) => (isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`);

/** probe.ResolveContainerPort: a number, or a container port's name. */
export function resolvePort(port: number | string, container: Container): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port);
  if (named) return named.containerPort;
  const n = Number(port);
  if (Number.isInteger(n) && n > 0 && n < 65536) return n;
  throw new Error(`couldn't find port: ${port} in ${container.name}`);
}

/** Go's net error texts for a failed dial, which users see in probe events. */
export function dialError(e: NodeJS.ErrnoException, addr: string, timedOut = false): string {
  if (timedOut) return `dial tcp ${addr}: i/o timeout`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${addr}: connect: network is unreachable`;
    case 'ECONNRESET':
      return `read tcp ${addr}: read: connection reset by peer`;
    default:
      return `dial tcp ${addr}: ${e.message}`;
  }
}

export async function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  const addr = hostPort(host, port);
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ result: 'failure', output: dialError({ name: 'Error', message: '' }, addr, true) });
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ result: 'success', output: '' });
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ result: 'failure', output: dialError(e, addr) });
    });
  });
}

export interface HttpGetAction {
  scheme?: string;
  host: string;
  port: number;
  path?: string;
  headers?: { name: string; value: string }[];
}

/** DoHTTPProbe: 200–399 is success, a redirect to another host a warning, anything else (or no answer) a failure. */
export async function httpProbe(action: HttpGetAction, timeoutMs: number): Promise<ProbeOutcome> {
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  let path = action.path ?? '';
  if (path && !path.startsWith('/')) path = `/${path}`;
  let url = new URL(`${scheme}://${hostPort(action.host, action.port)}${path || '/'}`);
  const display = (u: URL) => `${u.protocol}//${u.host}${path === '' && u.pathname === '/' ? '' : u.pathname}${u.search}`;
  const headers: Record<string, string> = {};
  for (const h of action.headers ?? []) headers[h.name] = h.value;
  const has = (n: string) => Object.keys(headers).some((k) => k.toLowerCase() === n);
  if (!has('user-agent')) headers['User-Agent'] = probeUserAgent;
  if (!has('accept')) headers.Accept = '*/*';
  headers.Connection = 'close';
  const deadline = Date.now() + timeoutMs;
  const firstHost = url.hostname;
  for (let redirects = 0; ; redirects++) {
    const u = url;
    let res: IncomingMessage;
    let body: string;
    try {
      [res, body] = await new Promise<[IncomingMessage, string]>((resolve, reject) => {
        const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
          u,
          { method: 'GET', headers, agent: false, rejectUnauthorized: false, timeout: Math.max(1, deadline - Date.now()) },
          (r) => {
            const chunks: Buffer[] = [];
            let size = 0;
            r.on('data', (c: Buffer) => {
              if (size < maxBodyBytes) chunks.push(c.subarray(0, maxBodyBytes - size));
              size += c.length;
            });
            r.on('end', () => resolve([r, Buffer.concat(chunks).toString('utf8')]));
            r.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT_PROBE' })));
        req.on('error', reject);
        req.end();
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const addr = hostPort(u.hostname.replace(/^\[|\]$/g, ''), Number(u.port) || (u.protocol === 'https:' ? 443 : 80));
      const why = err.code === 'ETIMEDOUT_PROBE' ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)' : dialError(err, addr);
      return { result: 'failure', output: `Get "${display(u)}": ${why}` };
    }
    const code = res.statusCode ?? 0;
    const location = res.headers.location;
    if (code >= 300 && code < 400 && location) {
      const next = new URL(location, u);
      if (next.hostname === firstHost && redirects + 1 < maxRedirects) {
        url = next;
        continue;
      }
      if (next.hostname === firstHost) return { result: 'failure', output: `Get "${display(next)}": stopped after 10 redirects` };
    }
    if (code >= 200 && code < 400) {
      if (code >= 300) return { result: 'warning', output: `Probe terminated redirects, Response body: ${body}` };
      return { result: 'success', output: body };
    }
    return { result: 'failure', output: `HTTP probe failed with statuscode: ${code}` };
  }
}

/** An exec probe: exit 0 is success; otherwise a failure whose output is what the command printed. */
export async function execProbe(target: ProbeTarget, command: string[], timeoutMs: number): Promise<ProbeOutcome> {
  let session;
  try {
    session = await target.runtime.exec(target.containerID, command, { stdin: false, tty: false });
  } catch (e) {
    return { result: 'unknown', output: (e as Error).message };
  }
  const chunks: Buffer[] = [];
  session.stdout.on('data', (c: Buffer) => chunks.push(c));
  session.stderr?.on('data', (c: Buffer) => chunks.push(c));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
  const code = await Promise.race([session.exit, timedOut]);
  clearTimeout(timer);
  if (code === 'timeout') {
    session.kill();
    return { result: 'failure', output: `command "${command.join(' ')}" timed out` };
  }
  const output = Buffer.concat(chunks).toString('utf8');
  return { result: code === 0 ? 'success' : 'failure', output };
}

/** Runs one probe handler against a container (probes and postStart/preStop hooks share it). */
export async function runHandler(h: ProbeHandler, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  try {
    if (h.exec) return await execProbe(target, h.exec.command ?? [], timeoutMs);
    if (h.httpGet) {
      const port = resolvePort(h.httpGet.port, target.container);
      return await httpProbe(
        { scheme: h.httpGet.scheme, host: h.httpGet.host || target.podIP, port, path: h.httpGet.path, headers: h.httpGet.httpHeaders },
        timeoutMs,
      );
    }
    if (h.tcpSocket) return await tcpProbe(h.tcpSocket.host || target.podIP, resolvePort(h.tcpSocket.port, target.container), timeoutMs);
    if (h.grpc) return await grpcHealthCheck(target.podIP, h.grpc.port, h.grpc.service ?? '', timeoutMs);
    if (h.sleep) {
      await new Promise((r) => setTimeout(r, h.sleep!.seconds * 1000));
      return { result: 'success', output: '' };
    }
  } catch (e) {
    return { result: 'unknown', output: (e as Error).message };
  }
  return { result: 'unknown', output: 'missing probe handler' };
}
