// Table columns for discovery.k8s.io/v1 EndpointSlices: address type, the first few ports and endpoint addresses.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

interface EndpointPort {
  name?: string | null;
  port?: number | null;
}

interface Endpoint {
  addresses?: string[];
}

const SHOWN = 3;

/** The first three items, then `+ N more...`; `<unset>` when there are none. */
function listWithMore(items: string[]): string {
  const text = items.slice(0, SHOWN).join(',');
  if (items.length > SHOWN) return `${text} + ${items.length - SHOWN} more...`;
  return text === '' ? '<unset>' : text;
}

/** A port by number, else by name, else `*` (a slice for all ports). */
function portCell(port: EndpointPort): string {
  if (port.port !== undefined && port.port !== null) return String(port.port);
  if (port.name !== undefined && port.name !== null) return port.name;
  return '*';
}

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('AddressType', 'string', 'Family of the addresses in the slice: IPv4, IPv6 or FQDN.'),
    column('Ports', 'string', 'Ports served by the endpoints, the first few of them.'),
    column('Endpoints', 'string', 'Endpoint addresses, the first few of them.'),
    ageColumn,
  ],
  row(slice: KObject, now: Date): unknown[] {
    const ports = ((slice.ports ?? []) as EndpointPort[]).map(portCell);
    const addresses = ((slice.endpoints ?? []) as Endpoint[]).flatMap((e) => e.addresses ?? []);
    return [
      slice.metadata.name ?? '',
      slice.addressType ?? '',
      listWithMore(ports),
      listWithMore(addresses),
      age(slice.metadata.creationTimestamp, now),
    ];
  },
};
