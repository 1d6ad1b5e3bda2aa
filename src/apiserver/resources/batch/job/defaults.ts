// Upstream defaulting for batch/v1 Jobs (SetObjectDefaults_Job) and their pod template.
import type { KObject } from '../../../registry/kobject.ts';
import { setPodTemplateSpecDefaults } from '../../core/pod/defaults.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);

const maxInt32 = 2147483647;

/**
 * A Job with no labels of its own takes its pod template's labels. Upstream assigns the very same map, so the
 * labels the strategy then generates on the template show up on the Job too; this shares the object the same
 * way, and the strategy's prepare step separates the two once it is done.
 */
export function inheritTemplateLabels(obj: KObject): void {
  const labels = obj.spec?.template?.metadata?.labels;
  if (isObject(labels) && Object.keys(isObject(obj.metadata.labels) ? obj.metadata.labels : {}).length === 0) {
    obj.metadata.labels = labels;
  }
}

/**
 * SetDefaults_Job: completions and parallelism 1 when neither is set, backoffLimit 6 (MaxInt32 with a
 * per-index limit), NonIndexed, not suspended, manualSelector false, pods replaced once TerminatingOrFailed
 * (Failed with a pod failure policy), onPodConditions status True; then the pod template's defaults
 * (restartPolicy among them: Always, which Job validation then refuses).
 */
export function setDefaults(obj: KObject): void {
  if (!isObject(obj.metadata)) obj.metadata = {};
  if (!isObject(obj.spec)) obj.spec = {};
  const spec = obj.spec;
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (spec.parallelism == null) spec.parallelism = 1;
  if (spec.backoffLimit == null) spec.backoffLimit = spec.backoffLimitPerIndex != null ? maxInt32 : 6;
  if (!isObject(spec.template)) spec.template = {};
  inheritTemplateLabels(obj);
  if (spec.completionMode == null) spec.completionMode = 'NonIndexed';
  if (spec.suspend == null) spec.suspend = false;
  if (isObject(spec.podFailurePolicy)) {
    for (const rule of list(spec.podFailurePolicy.rules)) {
      for (const pattern of list(rule?.onPodConditions)) {
        if (isObject(pattern) && !pattern.status) pattern.status = 'True';
      }
    }
  }
  if (spec.podReplacementPolicy == null) spec.podReplacementPolicy = spec.podFailurePolicy != null ? 'Failed' : 'TerminatingOrFailed';
  if (spec.manualSelector == null) spec.manualSelector = false;
  if (!isObject(spec.template.spec)) spec.template.spec = {};
  setPodTemplateSpecDefaults(spec.template);
}
