// Builds meta.k8s.io Table objects from a kind's printer, or the default Name / Created At columns.
import type { KObject } from './kobject.ts';
import type { ColumnDefinition, Printer } from './table.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const defaultPrinter: Printer = {
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    { name: 'Created At', type: 'date', format: '', description: 'The time the object was created.', priority: 0 },
  ],
  row: (obj) => [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? null],
};

export function partialMetadata(obj: KObject, version = 'v1'): KObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export function toTable(
  printer: Printer | undefined,
  objects: KObject[],
  opts: { includeObject: IncludeObject; noHeaders: boolean; version: string; resourceVersion?: string; continue?: string; remainingItemCount?: number; convert: (o: KObject) => KObject },
): KObject {
  const p = printer ?? defaultPrinter;
  const now = new Date();
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  const table: KObject = {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: metadata as KObject['metadata'],
    columnDefinitions: opts.noHeaders ? null : (p.columns as ColumnDefinition[]),
    rows: objects.map((o) => {
      const row: Record<string, unknown> = { cells: p.row(o, now) };
      if (opts.includeObject === 'Metadata') row.object = partialMetadata(o, opts.version);
      else if (opts.includeObject === 'Object') row.object = opts.convert(o);
      return row;
    }),
  };
  if (opts.noHeaders) delete table.columnDefinitions;
  return table;
}
