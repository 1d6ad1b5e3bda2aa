// Table columns for core/v1 Endpoints: the first few ready address:port pairs.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

interface EndpointSubset {
  addresses?: { ip?: string }[];
  ports?: { name?: string; port?: number }[];
}

const SHOWN = 3;

function joinHostPort(host: string, port: number | undefined): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port ?? 0}`;
}

/** Up to three `ip:port` entries (bare IPs for a subset without ports), then `+ N more...`. */
function formatEndpoints(subsets: EndpointSubset[] | null | undefined): string {
  if (!subsets || subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    // Headless services may have no ports: list the addresses alone.
    const entries = ports.length === 0 ? [undefined] : ports;
    for (const port of entries) {
      count += addresses.length;
      for (const address of addresses) {
        if (list.length === SHOWN) {
          more = true;
          break;
        }
        const ip = address.ip ?? '';
        list.push(port === undefined ? ip : joinHostPort(ip, port.port));
      }
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - SHOWN} more...` : text;
}

export const printer: Printer = {
  columns: [nameColumn(), column('Endpoints', 'string', 'Ready addresses and ports, the first few of them.'), ageColumn],
  row(ep: KObject, now: Date): unknown[] {
    return [ep.metadata.name ?? '', formatEndpoints(ep.subsets), age(ep.metadata.creationTimestamp, now)];
  },
};
