// Upstream validation of RoleBindings and ClusterRoleBindings: the role reference, its immutability, and subjects.
import { type FieldError, FieldPath, GoRepr, fieldInvalid, fieldNotSupported, fieldRequired, goQuote } from '../../../machinery/field-errors.ts';
import { isDNS1123Subdomain, isPathSegmentName } from '../../../machinery/validation.ts';
import type { KObject } from '../../registry/kobject.ts';

export const rbacGroup = 'rbac.authorization.k8s.io';

interface RoleRef {
  apiGroup?: string;
  kind?: string;
  name?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Go's `%#v` of an rbac.RoleRef, as the "cannot change roleRef" error prints it. */
export function goRoleRef(r: RoleRef | undefined): GoRepr {
  return new GoRepr(`rbac.RoleRef{APIGroup:${goQuote(str(r?.apiGroup))}, Kind:${goQuote(str(r?.kind))}, Name:${goQuote(str(r?.name))}}`);
}

function validateRoleRef(ref: RoleRef | undefined, kinds: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('roleRef');
  const apiGroup = str(ref?.apiGroup);
  const kind = str(ref?.kind);
  const name = str(ref?.name);
  if (apiGroup !== rbacGroup) errs.push(fieldNotSupported(path.child('apiGroup'), apiGroup, [rbacGroup]));
  if (!kinds.includes(kind)) errs.push(fieldNotSupported(path.child('kind'), kind, kinds));
  if (name === '') errs.push(fieldRequired(path.child('name'), ''));
  else for (const msg of isPathSegmentName(name)) errs.push(fieldInvalid(path.child('name'), name, msg));
  return errs;
}

/** ValidateRoleBindingSubject. */
export function validateSubject(subject: Record<string, unknown>, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(subject.name);
  const apiGroup = str(subject.apiGroup);
  const kind = str(subject.kind);
  if (name === '') errs.push(fieldRequired(path.child('name'), ''));
  switch (kind) {
    case 'ServiceAccount':
      if (name !== '') for (const msg of isDNS1123Subdomain(name)) errs.push(fieldInvalid(path.child('name'), name, msg));
      if (apiGroup !== '') errs.push(fieldNotSupported(path.child('apiGroup'), apiGroup, ['']));
      if (!namespaced && str(subject.namespace) === '') errs.push(fieldRequired(path.child('namespace'), ''));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== rbacGroup) errs.push(fieldNotSupported(path.child('apiGroup'), apiGroup, [rbacGroup]));
      break;
    default:
      errs.push(fieldNotSupported(path.child('kind'), kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** ValidateRoleBinding / ValidateClusterRoleBinding, without the metadata the generic store checks. */
export function validateBinding(binding: KObject, namespaced: boolean): FieldError[] {
  const errs = validateRoleRef(binding.roleRef, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']);
  const path = FieldPath.root('subjects');
  if (Array.isArray(binding.subjects)) {
    binding.subjects.forEach((s: unknown, i: number) => errs.push(...validateSubject((s ?? {}) as Record<string, unknown>, namespaced, path.index(i))));
  }
  return errs;
}

const sameRef = (a: RoleRef | undefined, b: RoleRef | undefined) =>
  str(a?.apiGroup) === str(b?.apiGroup) && str(a?.kind) === str(b?.kind) && str(a?.name) === str(b?.name);

/** The update rules: everything above, and roleRef may never change. */
export function validateBindingUpdate(binding: KObject, old: KObject, namespaced: boolean): FieldError[] {
  const errs = validateBinding(binding, namespaced);
  if (!sameRef(binding.roleRef, old.roleRef)) errs.push(fieldInvalid(FieldPath.root('roleRef'), goRoleRef(binding.roleRef), 'cannot change roleRef'));
  return errs;
}

/** SetDefaults_RoleBinding / _ClusterRoleBinding / _Subject: the RBAC group where it is implied. */
export function defaultBinding(binding: KObject): void {
  if (binding.roleRef == null || typeof binding.roleRef !== 'object') binding.roleRef = {};
  if (!binding.roleRef.apiGroup) binding.roleRef.apiGroup = rbacGroup;
  if (!Array.isArray(binding.subjects)) return;
  for (const s of binding.subjects) {
    if (!s || typeof s !== 'object' || s.apiGroup) continue;
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = rbacGroup;
  }
}
