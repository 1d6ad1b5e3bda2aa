// Table columns for networking.k8s.io/v1 IngressClasses: the controller and its parameters object.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

interface ParametersReference {
  apiGroup?: string | null;
  kind?: string;
  name?: string;
}

/** `Kind.group/name`, or `Kind/name` for the core group; an explicitly empty group still gets its dot, as upstream. */
function formatParameters(ref: ParametersReference | null | undefined): string {
  if (!ref) return '<none>';
  let text = ref.kind ?? '';
  if (ref.apiGroup !== undefined && ref.apiGroup !== null) text += `.${ref.apiGroup}`;
  return `${text}/${ref.name ?? ''}`;
}

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Controller', 'string', 'Name of the controller that implements this class.'),
    column('Parameters', 'string', 'Object holding controller-specific settings for this class.'),
    ageColumn,
  ],
  row(ic: KObject, now: Date): unknown[] {
    return [
      ic.metadata.name ?? '',
      ic.spec?.controller ?? '',
      formatParameters(ic.spec?.parameters),
      age(ic.metadata.creationTimestamp, now),
    ];
  },
};
