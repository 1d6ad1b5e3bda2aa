// Table columns for apps/v1 ReplicaSets: desired, current and ready replicas, and (wide) the pod template and selector.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, containerCells, formatLabelSelector, nameColumn } from '../../../registry/table-cells.ts';

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'Number of replicas asked for.'),
    column('Current', 'integer', 'Number of replicas that exist.'),
    column('Ready', 'integer', 'Number of replicas that are ready.'),
    ageColumn,
    column('Containers', 'string', 'Names of the containers in the pod template.', 1),
    column('Images', 'string', 'Images of the containers in the pod template.', 1),
    column('Selector', 'string', 'Label selector for the pods the replica set manages.', 1),
  ],
  row(rs: KObject, now: Date): unknown[] {
    const spec = rs.spec ?? {};
    const status = rs.status ?? {};
    const [names, images] = containerCells(spec.template?.spec?.containers);
    return [
      rs.metadata.name ?? '',
      // apps/v1 defaulting makes an absent replica count 1.
      spec.replicas ?? 1,
      status.replicas ?? 0,
      status.readyReplicas ?? 0,
      age(rs.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};
