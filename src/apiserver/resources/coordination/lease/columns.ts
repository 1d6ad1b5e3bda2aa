// Table columns for coordination.k8s.io/v1 Leases: who holds the lease.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

export const printer: Printer = {
  columns: [nameColumn(), column('Holder', 'string', 'Identity of the current holder of the lease.'), ageColumn],
  row(lease: KObject, now: Date): unknown[] {
    return [lease.metadata.name ?? '', lease.spec?.holderIdentity ?? '', age(lease.metadata.creationTimestamp, now)];
  },
};
