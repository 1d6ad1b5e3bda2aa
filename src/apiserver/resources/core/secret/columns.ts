// Table columns for core/v1 Secrets: the secret type and how many keys it holds.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'Kind of secret, which fixes the keys it must contain.'),
    column('Data', 'string', 'Number of keys in data.'),
    ageColumn,
  ],
  row(secret: KObject, now: Date): unknown[] {
    // Keys written through stringData are merged into data on write, so data alone is counted, as upstream does.
    return [
      secret.metadata.name ?? '',
      secret.type || 'Opaque',
      Object.keys(secret.data ?? {}).length,
      age(secret.metadata.creationTimestamp, now),
    ];
  },
};
