// Table columns for core/v1 Nodes: readiness and cordoning, roles from labels, kubelet version and (wide) host details.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

interface NodeStatus {
  conditions?: { type?: string; status?: string }[];
  addresses?: { type?: string; address?: string }[];
  nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
}

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
/** The older single-role label, whose value is the role. */
const ROLE_LABEL = 'kubernetes.io/role';

/** Ready, NotReady or Unknown (no Ready condition), then SchedulingDisabled when cordoned. */
function nodeStatus(status: NodeStatus, unschedulable: boolean): string {
  // The last Ready condition wins, as upstream indexes conditions by type.
  const ready = (status.conditions ?? []).findLast((c) => c.type === 'Ready');
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` label value, sorted and deduplicated. */
function nodeRoles(labels: Record<string, string> | undefined): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role !== '') roles.add(role);
    } else if (key === ROLE_LABEL && value !== '') {
      roles.add(value);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function firstAddress(status: NodeStatus, type: string): string {
  const found = status.addresses?.find((a) => a.type === type);
  return found === undefined ? '<none>' : (found.address ?? '');
}

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Whether the node is ready, and whether scheduling onto it is disabled.'),
    column('Roles', 'string', 'Roles given to the node by its node-role labels.'),
    ageColumn,
    column('Version', 'string', 'Version of the kubelet on the node.'),
    column('Internal-IP', 'string', 'First internal address of the node.', 1),
    column('External-IP', 'string', 'First external address of the node.', 1),
    column('OS-Image', 'string', 'Operating system image reported by the node.', 1),
    column('Kernel-Version', 'string', 'Kernel version reported by the node.', 1),
    column('Container-Runtime', 'string', 'Container runtime name and version reported by the node.', 1),
  ],
  row(node: KObject, now: Date): unknown[] {
    const status: NodeStatus = node.status ?? {};
    const info = status.nodeInfo ?? {};
    return [
      node.metadata.name ?? '',
      nodeStatus(status, node.spec?.unschedulable === true),
      nodeRoles(node.metadata.labels),
      age(node.metadata.creationTimestamp, now),
      info.kubeletVersion ?? '',
      firstAddress(status, 'InternalIP'),
      firstAddress(status, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
