// Upstream defaulting for PodTemplates: only the embedded PodSpec is defaulted (no Pod-only defaults).
import type { KObject } from '../../../registry/kobject.ts';
import { setPodTemplateSpecDefaults } from '../pod/defaults.ts';

/** SetObjectDefaults_PodTemplate. */
export function setDefaults(obj: KObject): void {
  if (obj.template === null || typeof obj.template !== 'object') obj.template = {};
  if (obj.template.spec === null || typeof obj.template.spec !== 'object') obj.template.spec = {};
  setPodTemplateSpecDefaults(obj.template);
}
