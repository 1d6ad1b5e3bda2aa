// Upstream defaulting for apps/v1 Deployments (SetDefaults_Deployment) and their pod template.
import type { KObject } from '../../../registry/kobject.ts';
import { setPodTemplateSpecDefaults } from '../../core/pod/defaults.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** SetObjectDefaults_Deployment: replicas 1, RollingUpdate 25%/25%, 10 old ReplicaSets kept, 600s progress deadline. */
export function setDefaults(obj: KObject): void {
  if (!isObject(obj.spec)) obj.spec = {};
  const spec = obj.spec;
  if (spec.replicas == null) spec.replicas = 1;
  if (!isObject(spec.strategy)) spec.strategy = {};
  const strategy = spec.strategy;
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    if (!isObject(strategy.rollingUpdate)) strategy.rollingUpdate = {};
    if (strategy.rollingUpdate.maxUnavailable == null) strategy.rollingUpdate.maxUnavailable = '25%';
    if (strategy.rollingUpdate.maxSurge == null) strategy.rollingUpdate.maxSurge = '25%';
  }
  if (spec.revisionHistoryLimit == null) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds == null) spec.progressDeadlineSeconds = 600;
  if (!isObject(spec.template)) spec.template = {};
  if (!isObject(spec.template.spec)) spec.template.spec = {};
  setPodTemplateSpecDefaults(spec.template);
}
