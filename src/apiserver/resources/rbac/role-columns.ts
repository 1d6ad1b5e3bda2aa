// Table columns shared by Roles and ClusterRoles (upstream printRole/printClusterRole): the name and when it was created.
import type { KObject } from '../../registry/kobject.ts';
import type { Printer } from '../../registry/table.ts';
import { column, nameColumn } from '../../registry/table-cells.ts';

export const rolePrinter: Printer = {
  columns: [nameColumn(), column('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  row(role: KObject): unknown[] {
    return [role.metadata.name ?? '', role.metadata.creationTimestamp ?? '0001-01-01T00:00:00Z'];
  },
};
