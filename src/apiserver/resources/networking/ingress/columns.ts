// Table columns for networking.k8s.io/v1 Ingresses: class, hosts, load-balancer address and the ports it opens.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, loadBalancerAddresses, nameColumn } from '../../../registry/table-cells.ts';

const SHOWN = 3;

/**
 * The hosts of the first rules, `*` when none names a host; past three hosts, `+ N more...` counts the
 * remaining rules (hostless ones included), as upstream does.
 */
function formatHosts(rules: { host?: string }[] | undefined): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === SHOWN) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const text = list.join(',');
  return more ? `${text} + ${(rules ?? []).length - SHOWN} more...` : text;
}

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Class', 'string', 'IngressClass that selects the controller serving this ingress.'),
    column('Hosts', 'string', 'Host names the rules match.'),
    column('Address', 'string', 'Addresses of the load balancer serving the ingress.'),
    column('Ports', 'string', 'Ports the ingress opens: 80, plus 443 when TLS is configured.'),
    ageColumn,
  ],
  row(ing: KObject, now: Date): unknown[] {
    const spec = ing.spec ?? {};
    return [
      ing.metadata.name ?? '',
      spec.ingressClassName ?? '<none>',
      formatHosts(spec.rules),
      loadBalancerAddresses(ing.status?.loadBalancer),
      (spec.tls ?? []).length > 0 ? '80, 443' : '80',
      age(ing.metadata.creationTimestamp, now),
    ];
  },
};
