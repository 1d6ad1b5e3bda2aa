// The Docker-link style environment variables the kubelet gives every container for the Services it can see.
import { isIPv6 } from 'node:net';
import type { Service } from '../pod-worker-types.ts';

/** The namespace and name of the Service every pod sees, even with enableServiceLinks false. */
const masterServices = new Set(['kubernetes']);

const isServiceIPSet = (s: Service): boolean => !!s.spec?.clusterIP && s.spec.clusterIP !== 'None';

const envName = (s: string): string => s.replaceAll('-', '_').toUpperCase();

const joinHostPort = (host: string, port: number): string => (isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`);

/** envvars.FromServices: `<NAME>_SERVICE_HOST`, `_SERVICE_PORT[_<PORT>]` and the `_PORT_<n>_<PROTO>…` link variables. */
export function fromServices(services: readonly Service[]): [string, string][] {
  const out: [string, string][] = [];
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const ports = svc.spec?.ports ?? [];
    if (!ports.length) continue;
    const ip = svc.spec!.clusterIP!;
    const prefix = envName(svc.metadata.name ?? '');
    out.push([`${prefix}_SERVICE_HOST`, ip]);
    const portVar = `${prefix}_SERVICE_PORT`;
    out.push([portVar, String(ports[0].port)]);
    for (const p of ports) if (p.name) out.push([`${portVar}_${envName(p.name)}`, String(p.port)]);
    ports.forEach((p, i) => {
      const protocol = p.protocol || 'TCP';
      const url = `${protocol.toLowerCase()}://${joinHostPort(ip, p.port)}`;
      if (i === 0) out.push([`${prefix}_PORT`, url]);
      const pp = `${prefix}_PORT_${p.port}_${protocol.toUpperCase()}`;
      out.push([pp, url], [`${pp}_PROTO`, protocol.toLowerCase()], [`${pp}_PORT`, String(p.port)], [`${pp}_ADDR`, ip]);
    });
  }
  return out;
}

/**
 * getServiceEnvVarMap: the `kubernetes` Service of `default` always, and every Service of the pod's namespace
 * when enableServiceLinks; a same-named Service of the pod's namespace wins over the master one.
 */
export function serviceEnvMap(services: readonly Service[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const byName = new Map<string, Service>();
  for (const s of services) {
    if (!isServiceIPSet(s)) continue;
    const name = s.metadata.name ?? '';
    if (s.metadata.namespace === 'default' && masterServices.has(name)) {
      if (!byName.has(name)) byName.set(name, s);
    } else if (s.metadata.namespace === namespace && enableServiceLinks) {
      byName.set(name, s);
    }
  }
  const sorted = [...byName.values()].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return new Map(fromServices(sorted));
}
