// Table columns for core/v1 ConfigMaps: how many keys they hold.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

export const printer: Printer = {
  columns: [nameColumn(), column('Data', 'string', 'Number of keys in data and binaryData together.'), ageColumn],
  row(cm: KObject, now: Date): unknown[] {
    const keys = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    return [cm.metadata.name ?? '', keys, age(cm.metadata.creationTimestamp, now)];
  },
};
