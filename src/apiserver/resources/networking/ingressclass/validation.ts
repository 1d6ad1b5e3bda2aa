// Upstream validation for networking.k8s.io/v1 IngressClass (pkg/apis/networking/validation).
import { type FieldError, FieldPath, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, fieldTooLong } from '../../../../machinery/field-errors.ts';
import { validateImmutableField, validateNamespaceName } from '../../../../machinery/meta-validation.ts';
import { isDNS1123Subdomain, isDomainPrefixedPath, isPathSegmentName } from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';

const maxControllerLength = 250;
const supportedScopes = ['Cluster', 'Namespace'];

const obj = (v: unknown): Record<string, any> => (v && typeof v === 'object' ? (v as Record<string, any>) : {});

function validateParameters(params: Record<string, any>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (params.apiGroup != null) {
    for (const m of isDNS1123Subdomain(String(params.apiGroup))) errs.push(fieldInvalid(path.child('apiGroup'), params.apiGroup, m));
  }
  for (const field of ['kind', 'name']) {
    const v = typeof params[field] === 'string' ? params[field] : '';
    if (v === '') errs.push(fieldRequired(path.child(field)));
    else for (const m of isPathSegmentName(v)) errs.push(fieldInvalid(path.child(field), v, m));
  }
  if (params.scope == null) {
    errs.push(fieldRequired(path.child('scope')));
    return errs;
  }
  if (!supportedScopes.includes(params.scope)) {
    errs.push(fieldNotSupported(path.child('scope'), params.scope, supportedScopes));
    return errs;
  }
  if (params.scope === 'Namespace') {
    if (params.namespace == null) errs.push(fieldRequired(path.child('namespace'), "`parameters.scope` is set to 'Namespace'"));
    else for (const m of validateNamespaceName(String(params.namespace), false)) errs.push(fieldInvalid(path.child('namespace'), params.namespace, m));
  }
  if (params.scope === 'Cluster' && params.namespace != null) {
    errs.push(fieldForbidden(path.child('namespace'), "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

/** ValidateIngressClass without the object metadata (the generic store checks that). */
export function validateCreate(ic: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(ic.spec);
  const path = FieldPath.root('spec').child('controller');
  const controller = typeof spec.controller === 'string' ? spec.controller : '';
  if (controller.length === 0) {
    errs.push(fieldRequired(path));
  } else {
    if (Buffer.byteLength(controller) > maxControllerLength) errs.push(fieldTooLong(path, '', maxControllerLength));
    errs.push(...isDomainPrefixedPath(path, controller));
  }
  if (spec.parameters != null) errs.push(...validateParameters(obj(spec.parameters), FieldPath.root('spec').child('parameters')));
  return errs;
}

/** ValidateIngressClassUpdate: spec.controller never changes. */
export function validateUpdate(ic: KObject, old: KObject): FieldError[] {
  return [
    ...validateImmutableField(ic.spec?.controller, old.spec?.controller, FieldPath.root('spec').child('controller')),
    ...validateCreate(ic),
  ];
}
