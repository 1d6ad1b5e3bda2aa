// PodTemplate validation: the template is checked as a pod template spec (ValidatePodTemplate / ValidatePodTemplateUpdate).
import type { KObject } from '../../../registry/kobject.ts';
import { FieldPath, type FieldError } from '../../../../machinery/field-errors.ts';
import { validatePodTemplateSpec } from '../pod/validation.ts';

/** ValidatePodTemplate, without ObjectMeta (the generic store checks it). */
export function validateCreate(obj: KObject): FieldError[] {
  return validatePodTemplateSpec(obj.template, FieldPath.root('template'));
}

/** ValidatePodTemplateUpdate: the whole template may change. */
export function validateUpdate(obj: KObject, _old: KObject): FieldError[] {
  return validatePodTemplateSpec(obj.template, FieldPath.root('template'));
}
