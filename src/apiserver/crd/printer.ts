// Table output of custom resources: Name plus a CRD version's additionalPrinterColumns (or Age), as upstream's tableconvertor.
import { age } from '../registry/human-duration.ts';
import type { ColumnDefinition, Printer } from '../registry/table.ts';
import type { KObject } from '../registry/kobject.ts';
import { JsonPath } from './jsonpath.ts';
import type { ColumnDefinition as CRDColumn } from '../resources/apiextensions/customresourcedefinition/types.ts';

const nameDescription =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const creationTimestampDescription =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** The columns a version serves: its own, or Age when it declares none (serveDefaultColumnsIfEmpty). */
export function servedColumns(columns: CRDColumn[] | undefined): CRDColumn[] {
  if (columns?.length) return columns;
  return [{ name: 'Age', type: 'date', description: creationTimestampDescription, jsonPath: '.metadata.creationTimestamp' }];
}

/** A cell for a non-string column from a JSON value (cellForJSONValue); null when the type does not fit. */
function cellFor(type: string, value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'string':
      return typeof value === 'string' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) return '<invalid>';
      return age(value, now);
    }
    default:
      return null;
  }
}

/** Builds the Printer for a version's columns; a column whose JSONPath does not parse yields null cells. */
export function customResourcePrinter(columns: CRDColumn[] | undefined): Printer {
  const cols = servedColumns(columns);
  const paths = cols.map((c) => {
    try {
      return JsonPath.parse(`{${c.jsonPath ?? ''}}`);
    } catch {
      return undefined;
    }
  });
  const definitions: ColumnDefinition[] = [
    { name: 'Name', type: 'string', format: 'name', description: nameDescription, priority: 0 },
    ...cols.map((c) => ({
      name: c.name ?? '',
      type: (c.type ?? 'string') as ColumnDefinition['type'],
      format: c.format ?? '',
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath ?? ''}`,
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns: definitions,
    row(obj: KObject, now: Date): unknown[] {
      const cells: unknown[] = [obj.metadata.name ?? ''];
      cols.forEach((c, i) => {
        const path = paths[i];
        let value: unknown;
        let found = false;
        try {
          const results = path?.findResults(obj);
          if (results && results.length > 0 && results[0].length > 0) {
            value = results[0][0];
            found = true;
          }
        } catch {
          found = false;
        }
        if (!found) {
          cells.push(null);
          return;
        }
        cells.push(c.type === 'string' ? JsonPath.print([value]) : cellFor(c.type ?? '', value, now));
      });
      return cells;
    },
  };
}
