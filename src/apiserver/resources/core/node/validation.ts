// Upstream validation for core/v1 Nodes: taints, pod CIDRs, resource quantities, and what an update may not change.
import {
  type FieldError,
  FieldError as FieldErrorClass,
  FieldPath,
  GoRepr,
  fieldForbidden,
  fieldInternal,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
} from '../../../../machinery/field-errors.ts';
import { isQualifiedName, isValidCIDRForLegacyField, isValidLabelValue } from '../../../../machinery/validation.ts';
import { validateLabelName } from '../../../../machinery/meta-validation.ts';
import { Quantity } from '../../../../machinery/quantity.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { goQuantity } from '../../autoscaling/horizontalpodautoscaler/validation.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** %#v of an internal core.Taint. */
function goTaint(t: Record<string, unknown>): GoRepr {
  const added = t.timeAdded == null ? '(*v1.Time)(nil)' : '(*v1.Time)(0xc000000000)';
  const q = (v: unknown) => JSON.stringify(str(v));
  return new GoRepr(`core.Taint{Key:${q(t.key)}, Value:${q(t.value)}, Effect:${q(t.effect)}, TimeAdded:${added}}`);
}

/** validateNodeTaints: key, value and effect of each taint, unique by key and effect. */
export function validateNodeTaints(taints: unknown[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  taints.forEach((raw, i) => {
    const taint = obj(raw);
    const at = path.index(i);
    const key = str(taint.key);
    const value = str(taint.value);
    const effect = str(taint.effect);
    errs.push(...validateLabelName(key, at.child('key')));
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length) errs.push(fieldInvalid(at.child('value'), value, valueErrs.join(';')));
    if (effect === '') errs.push(fieldRequired(at.child('effect')));
    else if (!taintEffects.includes(effect)) errs.push(fieldNotSupported(at.child('effect'), effect, taintEffects));
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(key)) {
      errs.push(new FieldErrorClass('FieldValueDuplicate', at, goTaint(taint), 'taints must be unique by key and effect pair'));
      return;
    }
    keys.add(key);
    seen.set(effect, keys);
  });
  return errs;
}

// helper.IsIntegerResourceName: quota-style object counts and extended resources.
const integerResources = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

function isExtendedResourceName(name: string): boolean {
  const native = !name.includes('/') || name.includes('kubernetes.io/');
  if (native || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** ValidateResourceQuantityValue: not negative, and whole for integer resources. */
export function validateResourceQuantityValue(name: string, raw: unknown, path: FieldPath): FieldError[] {
  let q: Quantity;
  try {
    q = Quantity.fromJSON(raw);
  } catch {
    return [];
  }
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(fieldInvalid(path, q.toString(), 'must be greater than or equal to 0'));
  if ((integerResources.has(name) || isExtendedResourceName(name)) && q.milliValue() % 1000 !== 0) {
    errs.push(fieldInvalid(path, goQuantity(raw), 'must be an integer'));
  }
  return errs;
}

function validateNodeResources(node: KObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of ['capacity', 'allocatable']) {
    for (const [name, value] of Object.entries(obj(node.status?.[field]))) {
      // Upstream builds these paths as children, not map keys.
      errs.push(...validateResourceQuantityValue(name, value, FieldPath.root('status').child(field, name)));
    }
  }
  return errs;
}

/** The IP family of a CIDR string, or undefined when it does not parse. */
function cidrFamily(value: string): 4 | 6 | undefined {
  if (isValidCIDRForLegacyField('', value, false).length > 0) return undefined;
  return value.includes(':') ? 6 : 4;
}

/** ValidateNode, without the object metadata the generic store checks. */
export function validateCreate(node: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const taints = list(node.spec?.taints);
  // Upstream reports spec.taints under metadata.taints.
  if (taints.length > 0) errs.push(...validateNodeTaints(taints, FieldPath.root('metadata').child('taints')));
  errs.push(...validateNodeResources(node));

  const cidrs = list(node.spec?.podCIDRs).map((c) => str(c));
  if (cidrs.length > 0) {
    const path = FieldPath.root('spec').child('podCIDRs');
    // StrictIPCIDRValidation is off by default in 1.33: the legacy, sloppy parse applies.
    cidrs.forEach((c, i) => errs.push(...isValidCIDRForLegacyField(path.index(i), c, false)));
    if (cidrs.length > 1) {
      const families = cidrs.map(cidrFamily);
      const bad = families.findIndex((f) => f === undefined);
      if (bad >= 0) {
        errs.push(
          fieldInternal(
            path,
            new Error(
              `invalid PodCIDRs. failed to check with dual stack with error:invalid CIDR[${bad}]: <nil> (invalid CIDR address: ${cidrs[bad]})`,
            ),
          ),
        );
      }
      const dualStack = bad < 0 && families.includes(4) && families.includes(6);
      if (!dualStack || cidrs.length > 2) {
        errs.push(fieldInvalid(path, cidrs, 'may specify no more than one CIDR for each IP family'));
      }
      const seen = new Set<string>();
      cidrs.forEach((c, i) => {
        if (seen.has(c)) errs.push(new FieldErrorClass('FieldValueDuplicate', path.index(i), c));
        seen.add(c);
      });
    }
  }
  return errs;
}

/** The node strategy's ValidateUpdate: ValidateNode again, then ValidateNodeUpdate. */
export function validateUpdate(node: KObject, old: KObject): FieldError[] {
  const errs = validateCreate(node);
  errs.push(...validateNodeResources(node));

  const seen = new Set<string>();
  list(node.status?.addresses).forEach((raw, i) => {
    const a = obj(raw);
    const key = JSON.stringify([str(a.type), str(a.address)]);
    if (seen.has(key)) {
      const repr = new GoRepr(`core.NodeAddress{Type:${JSON.stringify(str(a.type))}, Address:${JSON.stringify(str(a.address))}}`);
      errs.push(new FieldErrorClass('FieldValueDuplicate', FieldPath.root('status').child('addresses').index(i), repr));
    }
    seen.add(key);
  });

  // The controller manager may assign pod CIDRs once; after that they are fixed.
  const oldCIDRs = list(old.spec?.podCIDRs).map((c) => str(c));
  const newCIDRs = list(node.spec?.podCIDRs).map((c) => str(c));
  const cidrMsg = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== newCIDRs.length) errs.push(fieldForbidden('spec.podCIDRs', cidrMsg));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(fieldForbidden('spec.podCIDRs', cidrMsg)));
  }
  const oldProvider = str(old.spec?.providerID);
  if (oldProvider !== '' && oldProvider !== str(node.spec?.providerID)) {
    errs.push(fieldForbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  const taints = list(node.spec?.taints);
  if (taints.length > 0) errs.push(...validateNodeTaints(taints, FieldPath.root('metadata').child('taints')));
  if (str(node.spec?.externalID) !== str(old.spec?.externalID)) errs.push(fieldForbidden('spec.externalID', 'may not be updated'));
  return errs;
}
