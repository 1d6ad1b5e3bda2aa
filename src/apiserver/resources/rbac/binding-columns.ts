// Table columns shared by RoleBindings and ClusterRoleBindings (upstream printRoleBinding): the role, and the subjects with -o wide.
import type { KObject } from '../../registry/kobject.ts';
import type { Printer } from '../../registry/table.ts';
import { age } from '../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../registry/table-cells.ts';

/** SubjectsStrings: users, groups and service accounts (`namespace/name` when the subject names one). */
export function subjectsStrings(subjects: unknown): [users: string[], groups: string[], serviceAccounts: string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of Array.isArray(subjects) ? subjects : []) {
    if (!s || typeof s !== 'object') continue;
    const { kind, name, namespace } = s as { kind?: string; name?: string; namespace?: string };
    if (kind === 'ServiceAccount') sas.push(namespace ? `${namespace}/${name ?? ''}` : (name ?? ''));
    else if (kind === 'User') users.push(name ?? '');
    else if (kind === 'Group') groups.push(name ?? '');
  }
  return [users, groups, sas];
}

function bindingPrinter(what: 'roleBinding' | 'clusterRoleBinding', roleRefDoc: string): Printer {
  return {
    columns: [
      nameColumn(),
      column('Role', 'string', roleRefDoc),
      ageColumn,
      column('Users', 'string', `Users in the ${what}`, 1),
      column('Groups', 'string', `Groups in the ${what}`, 1),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    row(b: KObject, now: Date): unknown[] {
      const [users, groups, sas] = subjectsStrings(b.subjects);
      return [
        b.metadata.name ?? '',
        `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`,
        age(b.metadata.creationTimestamp, now),
        users.join(', '),
        groups.join(', '),
        sas.join(', '),
      ];
    },
  };
}

export const roleBindingPrinter = bindingPrinter(
  'roleBinding',
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
);

export const clusterRoleBindingPrinter = bindingPrinter(
  'clusterRoleBinding',
  'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
);
