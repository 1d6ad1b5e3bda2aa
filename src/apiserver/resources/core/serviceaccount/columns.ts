// Table columns for core/v1 ServiceAccounts: how many secrets they reference.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

export const printer: Printer = {
  columns: [nameColumn(), column('Secrets', 'string', 'Number of secrets listed on the service account.'), ageColumn],
  row(sa: KObject, now: Date): unknown[] {
    return [sa.metadata.name ?? '', (sa.secrets ?? []).length, age(sa.metadata.creationTimestamp, now)];
  },
};
