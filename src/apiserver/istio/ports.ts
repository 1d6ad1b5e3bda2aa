// Ports, port names and protocols as istiod validates them.
import { isDNS1123Label } from './hosts.ts';

export function validatePort(port: number): string | undefined {
  return port >= 1 && port <= 65535 ? undefined : `port number ${port} must be in the range 1..65535`;
}

export function validatePortName(name: string): string | undefined {
  return isDNS1123Label(name) ? undefined : `invalid port name: ${name}`;
}

export type Protocol =
  | 'TCP' | 'UDP' | 'GRPC' | 'GRPC-Web' | 'HTTP' | 'HTTP_PROXY' | 'HTTP2' | 'HTTPS' | 'TLS' | 'Mongo' | 'Redis' | 'MySQL'
  | 'UnsupportedProtocol';

const protocols: Record<string, Protocol> = {
  tcp: 'TCP', udp: 'UDP', grpc: 'GRPC', 'grpc-web': 'GRPC-Web', http: 'HTTP', http_proxy: 'HTTP_PROXY', http2: 'HTTP2',
  https: 'HTTPS', tls: 'TLS', mongo: 'Mongo', redis: 'Redis', mysql: 'MySQL',
};

/** protocol.Parse: case-insensitive; anything else (including HBONE) is unsupported. */
export const parseProtocol = (s: string | undefined): Protocol => protocols[(s ?? '').toLowerCase()] ?? 'UnsupportedProtocol';

export const isHTTP = (p: Protocol) => p === 'HTTP' || p === 'HTTP2' || p === 'HTTP_PROXY' || p === 'GRPC' || p === 'GRPC-Web';
export const isTLS = (p: Protocol) => p === 'HTTPS' || p === 'TLS';
export const isTCP = (p: Protocol) => p === 'TCP' || p === 'HTTPS' || p === 'TLS' || p === 'Mongo' || p === 'Redis' || p === 'MySQL';

/** Empty means "sniff the protocol" and is allowed. */
export function validateProtocol(p: string | undefined): string | undefined {
  return p && parseProtocol(p) === 'UnsupportedProtocol' ? `unsupported protocol: ${p}` : undefined;
}
