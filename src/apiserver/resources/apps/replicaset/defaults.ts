// Upstream defaulting for apps/v1 ReplicaSets (SetDefaults_ReplicaSet) and their pod template.
import type { KObject } from '../../../registry/kobject.ts';
import { setPodTemplateSpecDefaults } from '../../core/pod/defaults.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** SetObjectDefaults_ReplicaSet: replicas 1, then the template's PodSpec defaults. */
export function setDefaults(obj: KObject): void {
  if (!isObject(obj.spec)) obj.spec = {};
  if (obj.spec.replicas == null) obj.spec.replicas = 1;
  if (!isObject(obj.spec.template)) obj.spec.template = {};
  if (!isObject(obj.spec.template.spec)) obj.spec.template.spec = {};
  setPodTemplateSpecDefaults(obj.spec.template);
}
