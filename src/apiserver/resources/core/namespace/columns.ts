// Table columns for core/v1 Namespaces: the lifecycle phase.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

export const printer: Printer = {
  columns: [nameColumn(), column('Status', 'string', 'Lifecycle phase of the namespace: Active or Terminating.'), ageColumn],
  row(ns: KObject, now: Date): unknown[] {
    // Defaulting sets the phase to Active, so an object stored without one reads as upstream would show it.
    return [ns.metadata.name ?? '', ns.status?.phase || 'Active', age(ns.metadata.creationTimestamp, now)];
  },
};
