// gRPC probes: one grpc.health.v1.Health/Check call over cleartext HTTP/2, with the kubelet's result texts.
import { connect, constants } from 'node:http2';
import { isIPv6 } from 'node:net';
import type { ProbeOutcome } from './prober.ts';

const servingStatus = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/** HealthCheckRequest { string service = 1; } framed as one uncompressed gRPC message. */
function encodeRequest(service: string): Buffer {
  const s = Buffer.from(service, 'utf8');
  const body = s.length ? Buffer.concat([Buffer.from([0x0a]), varint(s.length), s]) : Buffer.alloc(0);
  const frame = Buffer.alloc(5);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(body.length, 1);
  return Buffer.concat([frame, body]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** HealthCheckResponse { ServingStatus status = 1; } → the status number (0 when absent). */
function decodeStatus(frame: Buffer): number {
  const msg = frame.subarray(5);
  let i = 0;
  while (i < msg.length) {
    const tag = msg[i++];
    if (tag === 0x08) {
      let v = 0;
      let shift = 0;
      while (i < msg.length) {
        const b = msg[i++];
        v |= (b & 0x7f) << shift;
        if (!(b & 0x80)) break;
        shift += 7;
      }
      return v;
    }
    break;
  }
  return 0;
}

const goSeconds = (ms: number) => `${ms / 1000}s`;

export async function grpcHealthCheck(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeOutcome> {
  const addr = isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      session.destroy();
      resolve(o);
    };
    const session = connect(`http://${addr}`);
    let connected = false;
    const timer = setTimeout(() => {
      finish(
        connected
          ? { result: 'failure', output: `timeout: health rpc did not complete within ${goSeconds(timeoutMs)}` }
          : { result: 'failure', output: `timeout: failed to connect service "${addr}" within ${goSeconds(timeoutMs)}: context deadline exceeded` },
      );
    }, timeoutMs);
    session.on('error', (e) => finish({ result: 'failure', output: `error: failed to connect service at "${addr}": ${e.message}` }));
    session.on('connect', () => {
      connected = true;
      const req = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: '/grpc.health.v1.Health/Check',
        'content-type': 'application/grpc',
        te: 'trailers',
        'user-agent': 'kube-probe/1.33',
      });
      const chunks: Buffer[] = [];
      let grpcStatus: string | undefined;
      let grpcMessage = '';
      req.on('response', (h) => {
        if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
        if (h['grpc-message'] !== undefined) grpcMessage = decodeURIComponent(String(h['grpc-message']));
      });
      req.on('trailers', (t) => {
        if (t['grpc-status'] !== undefined) grpcStatus = String(t['grpc-status']);
        if (t['grpc-message'] !== undefined) grpcMessage = decodeURIComponent(String(t['grpc-message']));
      });
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('error', (e) => finish({ result: 'failure', output: `error: health rpc probe failed: ${e.message}` }));
      req.on('end', () => {
        if (grpcStatus && grpcStatus !== '0') {
          if (grpcStatus === '12') {
            return finish({ result: 'failure', output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${grpcMessage}` });
          }
          return finish({ result: 'failure', output: `error: health rpc probe failed: rpc error: code = ${grpcCodeName(grpcStatus)} desc = ${grpcMessage}` });
        }
        const status = decodeStatus(Buffer.concat(chunks));
        if (status !== 1) return finish({ result: 'failure', output: `service unhealthy (responded with "${servingStatus[status] ?? String(status)}")` });
        finish({ result: 'success', output: 'service healthy' });
      });
      req.end(encodeRequest(service));
    });
  });
}

const codeNames = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];
const grpcCodeName = (s: string) => codeNames[Number(s)] ?? `Code(${s})`;
