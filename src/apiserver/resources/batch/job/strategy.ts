// The Job strategy: a generated selector tying pods to the Job's uid, status kept for the controller, generation on spec change.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { FieldPath } from '../../../../machinery/field-errors.ts';
import { printer } from './columns.ts';
import { inheritTemplateLabels, setDefaults } from './defaults.ts';
import {
  controllerUidLabel,
  jobNameLabel,
  legacyControllerUidLabel,
  legacyJobNameLabel,
  validateCreate,
  validateUpdate,
} from './validation.ts';
import { semanticEqual } from '../../core/pod/validation.ts';
import { dnsLabelNameWarning, podSpecWarnings } from '../../core/pod/warnings.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const templatePath = FieldPath.root('spec').child('template');
const completionsSoftLimit = 100_000;
const parallelismSoftLimitForUnlimitedCompletions = 10_000;

/**
 * generateSelector: labels naming the Job and its uid on the pod template (a label the user already set is
 * kept, and validation then says whether it fits), and a selector on the uid.
 */
export function generateSelector(obj: KObject): void {
  const spec = obj.spec;
  if (!isObject(spec.template)) spec.template = {};
  if (!isObject(spec.template.metadata)) spec.template.metadata = {};
  if (!isObject(spec.template.metadata.labels)) spec.template.metadata.labels = {};
  const labels: Record<string, string> = spec.template.metadata.labels;
  for (const key of [legacyJobNameLabel, jobNameLabel]) if (!(key in labels)) labels[key] = obj.metadata.name ?? '';
  for (const key of [legacyControllerUidLabel, controllerUidLabel]) if (!(key in labels)) labels[key] = obj.metadata.uid ?? '';
  if (!isObject(spec.selector)) spec.selector = {};
  if (!isObject(spec.selector.matchLabels)) spec.selector.matchLabels = {};
  if (!(controllerUidLabel in spec.selector.matchLabels)) spec.selector.matchLabels[controllerUidLabel] = obj.metadata.uid ?? '';
}

/**
 * Ends the label sharing defaulting set up: the Job keeps what the template then held. A Job that had no
 * labels and no template labels takes the generated ones too, as upstream's defaulting does when it reads
 * the stored Job back.
 */
function settleJobLabels(obj: KObject): void {
  inheritTemplateLabels(obj);
  const labels = obj.spec?.template?.metadata?.labels;
  if (isObject(labels) && obj.metadata.labels === labels) obj.metadata.labels = { ...labels };
}

/** WarningsForJobSpec: huge Indexed Jobs, then the pod template's warnings. */
function jobSpecWarnings(spec: Json): string[] {
  const warnings: string[] = [];
  const s = isObject(spec) ? spec : {};
  if (s.completionMode === 'Indexed') {
    const completions = typeof s.completions === 'number' ? s.completions : 0;
    const parallelism = typeof s.parallelism === 'number' ? s.parallelism : 0;
    if (completions > completionsSoftLimit && parallelism > parallelismSoftLimitForUnlimitedCompletions) {
      warnings.push(
        'spec: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail',
      );
    }
  }
  warnings.push(...podSpecWarnings(templatePath, s.template?.spec, s.template?.metadata));
  return warnings;
}

export const strategy: Strategy = {
  defaults: setDefaults,

  /** Needs the uid, which the store assigns before this runs (as upstream fills system fields first). */
  prepareForCreate(obj: KObject): void {
    if (!isObject(obj.spec)) obj.spec = {};
    if (obj.spec.manualSelector !== true) generateSelector(obj);
    settleJobLabels(obj);
    obj.status = {};
    obj.metadata.generation = 1;
  },

  prepareForUpdate(obj: KObject, old: KObject): void {
    settleJobLabels(obj);
    obj.status = structuredClone(old.status ?? {});
    const generation = old.metadata.generation ?? 0;
    obj.metadata.generation = semanticEqual(obj.spec, old.spec) ? generation : generation + 1;
  },

  validate: validateCreate,
  validateUpdate,

  warnings(obj: KObject, old?: KObject): string[] {
    if (old) return obj.metadata.generation !== old.metadata.generation ? jobSpecWarnings(obj.spec) : [];
    return [...dnsLabelNameWarning(obj.metadata.name, 'this is used in Pod names and hostnames'), ...jobSpecWarnings(obj.spec)];
  },

  nameValidation: 'dns1123Subdomain',
  printer,

  /** JobToSelectableFields, beyond metadata.name and metadata.namespace. */
  selectableFields(obj: KObject): Record<string, string> {
    return { 'status.successful': String(typeof obj.status?.succeeded === 'number' ? obj.status.succeeded : 0) };
  },
};
