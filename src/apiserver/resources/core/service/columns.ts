// Table columns for core/v1 Services: type, cluster IP, external address, ports and (wide) the pod selector.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, formatLabels, loadBalancerAddresses, nameColumn, type LoadBalancerStatus } from '../../../registry/table-cells.ts';

interface ServicePort {
  port?: number;
  nodePort?: number;
  protocol?: string;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  externalIPs?: string[];
  externalName?: string;
  ports?: ServicePort[];
  selector?: Record<string, string>;
}

function externalIP(spec: ServiceSpec, type: string, lb: LoadBalancerStatus | undefined): string {
  const externalIPs = spec.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lbAddresses = loadBalancerAddresses(lb);
      if (externalIPs.length > 0) return [...(lbAddresses ? lbAddresses.split(',') : []), ...externalIPs].join(',');
      return lbAddresses || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** `port/protocol`, or `port:nodePort/protocol` when a node port is allocated, comma-separated. */
function portsCell(ports: ServicePort[] | undefined): string {
  const text = (ports ?? [])
    .map((p) => {
      const protocol = p.protocol || 'TCP';
      return p.nodePort && p.nodePort > 0 ? `${p.port ?? 0}:${p.nodePort}/${protocol}` : `${p.port ?? 0}/${protocol}`;
    })
    .join(',');
  return text === '' ? '<none>' : text;
}

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'Virtual IP inside the cluster that load-balances to the endpoints.'),
    column('External-IP', 'string', 'Addresses reachable from outside the cluster, or the external name.'),
    column('Port(s)', 'string', 'Ports the service exposes, with node ports when allocated.'),
    ageColumn,
    column('Selector', 'string', 'Labels of the pods that back the service.', 1),
  ],
  row(svc: KObject, now: Date): unknown[] {
    const spec: ServiceSpec = svc.spec ?? {};
    // Defaulting fills type and clusterIPs; read a not-yet-defaulted object the same way.
    const type = spec.type || 'ClusterIP';
    const clusterIPs = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
    return [
      svc.metadata.name ?? '',
      type,
      clusterIPs.length > 0 ? clusterIPs[0] : '<none>',
      externalIP(spec, type, svc.status?.loadBalancer),
      portsCell(spec.ports),
      age(svc.metadata.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};
