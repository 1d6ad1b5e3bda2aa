// batch/v1 Job validation (pkg/apis/batch/validation): spec, generated selector, updates and status, with upstream's messages.
import {
  FieldError,
  FieldPath,
  GoRepr,
  fieldDuplicate,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  fieldTooMany,
  goQuote,
} from '../../../../machinery/field-errors.ts';
import { SelectorParseError, selectorFromLabelSelector } from '../../../../machinery/labels.ts';
import {
  fieldImmutableErrorMsg,
  goMetaTime,
  goPointerPlaceholder,
  labelSelectorHasInvalidLabelValue,
  validateImmutableField,
  validateLabelSelector,
  validateNonnegativeField,
} from '../../../../machinery/meta-validation.ts';
import { isDNS1123Label, isDomainPrefixedPath, isQualifiedName } from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { goLabelSelector, goStringMap } from '../../core/pod/go-repr.ts';
import { semanticEqual, validatePodTemplateSpec } from '../../core/pod/validation.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const labelsOf = (template: Json): Record<string, string> | undefined =>
  isObject(template?.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : undefined;

/** The labels that tie a Job's pods to it; the unprefixed pair is kept for older clients. */
export const jobNameLabel = 'batch.kubernetes.io/job-name';
export const controllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const legacyJobNameLabel = 'job-name';
export const legacyControllerUidLabel = 'controller-uid';

const maxParallelismForIndexedJob = 100000;
const maxFailedIndexesForIndexedJob = 100_000;
const completionsSoftLimit = 100_000;
const parallelismLimitForHighCompletions = 10_000;
const maxFailedIndexesLimitForHighCompletions = 10_000;
const maxPodFailurePolicyRules = 20;
const maxPodFailurePolicyOnExitCodesValues = 255;
const maxPodFailurePolicyOnPodConditionsPatterns = 20;
const maxManagedByLength = 63;
const maxJobSuccessPolicySucceededIndexesLimit = 64 * 1024;
const maxSuccessPolicyRule = 20;

const podFailurePolicyActions = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const onExitCodesOperators = ['In', 'NotIn'];
const conditionStatuses = ['False', 'True', 'Unknown'];
const podReplacementPolicies = ['Failed', 'TerminatingOrFailed'];

/** An Invalid error whose value upstream omits (field.OmitValueType): `Invalid value: <detail>`. */
class OmittedValueError extends FieldError {
  constructor(path: FieldPath, detail: string) {
    super('FieldValueInvalid', path, '', detail);
  }
  override body(): string {
    return `Invalid value: ${this.detail}`;
  }
}

/** Go's `%q` of a string slice: `["a" "b"]`, as `valid values: %q` prints it. */
const goQuotedList = (values: readonly string[]) => `[${values.map(goQuote).join(' ')}]`;

// ---- Go renderings of the bad values upstream prints with %#v ----

const goPtr = (type: string, v: unknown) => (v == null ? `(*${type})(nil)` : `(*${type})(${goPointerPlaceholder})`);
const goInt32Slice = (v: unknown) => (Array.isArray(v) ? `[]int32{${v.map(num).join(', ')}}` : '[]int32(nil)');
const goUIDSlice = (v: unknown) => (Array.isArray(v) ? `[]types.UID{${v.map((x) => goQuote(str(x))).join(', ')}}` : '[]types.UID(nil)');

function goPodFailurePolicy(p: Json): GoRepr {
  const rules = Array.isArray(p?.rules)
    ? `[]batch.PodFailurePolicyRule{${p.rules
        .map((r: Json) => {
          const conds = Array.isArray(r?.onPodConditions)
            ? `[]batch.PodFailurePolicyOnPodConditionsPattern{${r.onPodConditions
                .map((c: Json) => `batch.PodFailurePolicyOnPodConditionsPattern{Type:${goQuote(str(c?.type))}, Status:${goQuote(str(c?.status))}}`)
                .join(', ')}}`
            : '[]batch.PodFailurePolicyOnPodConditionsPattern(nil)';
          return `batch.PodFailurePolicyRule{Action:${goQuote(str(r?.action))}, OnExitCodes:${goPtr('batch.PodFailurePolicyOnExitCodesRequirement', r?.onExitCodes)}, OnPodConditions:${conds}}`;
        })
        .join(', ')}}`
    : '[]batch.PodFailurePolicyRule(nil)';
  return new GoRepr(`batch.PodFailurePolicy{Rules:${rules}}`);
}

function goSuccessPolicy(p: Json): GoRepr {
  const rules = Array.isArray(p?.rules)
    ? `[]batch.SuccessPolicyRule{${p.rules
        .map((r: Json) => `batch.SuccessPolicyRule{SucceededIndexes:${goPtr('string', r?.succeededIndexes)}, SucceededCount:${goPtr('int32', r?.succeededCount)}}`)
        .join(', ')}}`
    : '[]batch.SuccessPolicyRule(nil)';
  return new GoRepr(`batch.SuccessPolicy{Rules:${rules}}`);
}

function goUncountedTerminatedPods(u: Json): GoRepr {
  return new GoRepr(`batch.UncountedTerminatedPods{Succeeded:${goUIDSlice(u?.succeeded)}, Failed:${goUIDSlice(u?.failed)}}`);
}

/** A changed pod template; upstream prints the whole internal struct (with pointer addresses), abridged here. */
const goPodTemplateSpec = new GoRepr('core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{…}, Spec:core.PodSpec{…}}');

// ---- index intervals (status.completedIndexes, successPolicy succeededIndexes) ----

class IndexFormatError extends Error {}

/** strconv.Atoi: an optional sign and decimal digits within int64. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new IndexFormatError(`cannot convert string to integer for index: ${goQuote(s)}`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new IndexFormatError(`cannot convert string to integer for index: ${goQuote(s)}`);
  return n;
}

function parseIndexInterval(interval: string, completions: number): [number, number] {
  const limits = interval.split('-');
  if (limits.length > 2) {
    throw new IndexFormatError(`the fragment ${goQuote(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`);
  }
  const x = atoi(limits[0]!);
  if (x >= completions) throw new IndexFormatError(`too large index: ${goQuote(limits[0]!)}`);
  if (limits.length === 1) return [x, x];
  const y = atoi(limits[1]!);
  if (y >= completions) throw new IndexFormatError(`too large index: ${goQuote(limits[1]!)}`);
  if (x >= y) throw new IndexFormatError(`non-increasing order, previous: ${x}, current: ${y}`);
  return [x, y];
}

/** validateIndexesFormat: the number of indexes named, or an error naming the first bad fragment. */
function validateIndexesFormat(indexes: string, completions: number): { total: number; error?: string } {
  if (indexes.length === 0) return { total: 0 };
  let last: number | undefined;
  let total = 0;
  try {
    for (const interval of indexes.split(',')) {
      const [x, y] = parseIndexInterval(interval, completions);
      if (last !== undefined && last >= x) throw new IndexFormatError(`non-increasing order, previous: ${last}, current: ${x}`);
      total += y - x + 1;
      last = y;
    }
  } catch (e) {
    if (e instanceof IndexFormatError) return { total: 0, error: e.message };
    throw e;
  }
  return { total };
}

/** validateFailedIndexesNotOverlapCompleted: walks both interval lists, skipping fragments that do not parse. */
function failedOverlapsCompleted(completed: string, failed: string, completions: number): string | undefined {
  if (completed.length === 0 || failed.length === 0) return undefined;
  const cs = completed.split(',');
  const fs = failed.split(',');
  const parse = (s: string): [number, number] | undefined => {
    try {
      return parseIndexInterval(s, completions);
    } catch (e) {
      if (e instanceof IndexFormatError) return undefined;
      throw e;
    }
  };
  let ci = 0;
  let fi = 0;
  let c = parse(cs[0]!);
  let f = parse(fs[0]!);
  while (ci < cs.length && fi < fs.length) {
    if (!c) {
      ci++;
      if (ci < cs.length) c = parse(cs[ci]!);
    } else if (!f) {
      fi++;
      if (fi < fs.length) f = parse(fs[fi]!);
    } else {
      if (c[0] <= f[1] && f[0] <= c[1]) return `failedIndexes and completedIndexes overlap at index: ${Math.max(c[0], f[0])}`;
      if (c[0] <= f[0]) {
        ci++;
        if (ci < cs.length) c = parse(cs[ci]!);
      } else {
        fi++;
        if (fi < fs.length) f = parse(fs[fi]!);
      }
    }
  }
  return undefined;
}

// ---- spec ----

export interface JobValidationOptions {
  /** Let invalid selector values through when the stored Job already holds them. */
  allowInvalidLabelValueInSelector?: boolean;
  /** Node affinity, node selector, tolerations, scheduling gates and template metadata may change (suspended, never started). */
  allowMutableSchedulingDirectives?: boolean;
  /** Require the batch.kubernetes.io/ labels as well as the legacy ones (always on create). */
  requirePrefixedLabels?: boolean;
}

/** ValidateHasLabel: the template must carry `key` with `expected`. */
function validateHasLabel(template: Json, path: FieldPath, key: string, expected: string): FieldError[] {
  const labels = labelsOf(template);
  if (!labels || !(key in labels)) return [fieldRequired(path.child('labels').key(key), `must be '${expected}'`)];
  if (labels[key] !== expected) return [fieldInvalid(path.child('labels').key(key), goStringMap(labels), `must be '${expected}'`)];
  return [];
}

/** validateGeneratedSelector: with a generated selector the template carries the Job's uid and name, and the selector picks them. */
function validateGeneratedSelector(obj: KObject, requirePrefixedLabels: boolean): FieldError[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  if (spec.manualSelector === true || spec.selector == null) return [];
  const errs: FieldError[] = [];
  const uid = str(obj.metadata.uid);
  const name = str(obj.metadata.name);
  if (uid === '') errs.push(fieldRequired(FieldPath.root('metadata').child('uid')));
  const metaPath = FieldPath.root('spec').child('template', 'metadata');
  errs.push(...validateHasLabel(spec.template, metaPath, legacyControllerUidLabel, uid));
  errs.push(...validateHasLabel(spec.template, metaPath, legacyJobNameLabel, name));
  const expected: Record<string, string> = {};
  if (requirePrefixedLabels) {
    errs.push(...validateHasLabel(spec.template, metaPath, controllerUidLabel, uid));
    errs.push(...validateHasLabel(spec.template, metaPath, jobNameLabel, name));
    expected[controllerUidLabel] = uid;
    expected[jobNameLabel] = name;
  }
  expected[legacyControllerUidLabel] = uid;
  expected[legacyJobNameLabel] = name;
  try {
    if (!selectorFromLabelSelector(spec.selector).matches(expected)) {
      errs.push(fieldInvalid(FieldPath.root('spec').child('selector'), goLabelSelector(spec.selector), '`selector` not auto-generated'));
    }
  } catch (e) {
    if (!(e instanceof SelectorParseError)) throw e;
  }
  return errs;
}

function validatePodFailurePolicyRuleOnExitCodes(req: Json, path: FieldPath, containerNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const operator = str(req?.operator);
  if (operator === '') errs.push(fieldRequired(path.child('operator'), `valid values: ${goQuotedList(onExitCodesOperators)}`));
  else if (!onExitCodesOperators.includes(operator)) errs.push(fieldNotSupported(path.child('operator'), operator, onExitCodesOperators));
  if (req?.containerName != null && !containerNames.has(str(req.containerName))) {
    errs.push(fieldInvalid(path.child('containerName'), str(req.containerName), 'must be one of the container or initContainer names in the pod template'));
  }
  const valuesPath = path.child('values');
  const values = list(req?.values).map(num);
  if (values.length === 0) errs.push(fieldInvalid(valuesPath, new GoRepr(goInt32Slice(req?.values)), 'at least one value is required'));
  else if (values.length > maxPodFailurePolicyOnExitCodesValues) errs.push(fieldTooMany(valuesPath, values.length, maxPodFailurePolicyOnExitCodesValues));
  let ordered = true;
  const seen = new Set<number>();
  values.forEach((v, j) => {
    const p = valuesPath.index(j);
    if (operator === 'In' && v === 0) errs.push(fieldInvalid(p, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(fieldDuplicate(p, v));
    else seen.add(v);
    if (j > 0 && values[j - 1]! > v) ordered = false;
  });
  if (!ordered) errs.push(fieldInvalid(valuesPath, new GoRepr(goInt32Slice(values)), 'must be ordered'));
  return errs;
}

function validatePodFailurePolicyRuleOnPodConditions(patterns: Json[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (patterns.length > maxPodFailurePolicyOnPodConditionsPatterns) {
    errs.push(fieldTooMany(path, patterns.length, maxPodFailurePolicyOnPodConditionsPatterns));
  }
  patterns.forEach((pattern, j) => {
    const p = path.index(j);
    const type = str(pattern?.type);
    for (const msg of isQualifiedName(type)) errs.push(fieldInvalid(p.child('type'), type, msg));
    const status = str(pattern?.status);
    if (status === '') errs.push(fieldRequired(p.child('status'), `valid values: ${goQuotedList(conditionStatuses)}`));
    else if (!conditionStatuses.includes(status)) errs.push(fieldNotSupported(p.child('status'), status, conditionStatuses));
  });
  return errs;
}

function validatePodFailurePolicy(spec: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const rulesPath = path.child('rules');
  const rules = list(spec.podFailurePolicy?.rules);
  if (rules.length > maxPodFailurePolicyRules) errs.push(fieldTooMany(rulesPath, rules.length, maxPodFailurePolicyRules));
  const containerNames = new Set<string>(
    [...list(spec.template?.spec?.containers), ...list(spec.template?.spec?.initContainers)].map((c: Json) => str(c?.name)),
  );
  rules.forEach((rule: Json, i: number) => {
    const rulePath = rulesPath.index(i);
    const action = str(rule?.action);
    const actionPath = rulePath.child('action');
    if (action === '') errs.push(fieldRequired(actionPath, `valid values: ${goQuotedList(podFailurePolicyActions)}`));
    else if (action === 'FailIndex') {
      if (spec.backoffLimitPerIndex == null) errs.push(fieldInvalid(actionPath, action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!podFailurePolicyActions.includes(action)) errs.push(fieldNotSupported(actionPath, action, podFailurePolicyActions));
    const conds = list(rule?.onPodConditions);
    if (rule?.onExitCodes != null) errs.push(...validatePodFailurePolicyRuleOnExitCodes(rule.onExitCodes, rulePath.child('onExitCodes'), containerNames));
    if (conds.length > 0) errs.push(...validatePodFailurePolicyRuleOnPodConditions(conds, rulePath.child('onPodConditions')));
    if (rule?.onExitCodes != null && conds.length > 0) {
      errs.push(new OmittedValueError(rulePath, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    }
    if (rule?.onExitCodes == null && conds.length === 0) {
      errs.push(new OmittedValueError(rulePath, 'specifying one of OnExitCodes and OnPodConditions is required'));
    }
  });
  return errs;
}

function validateSuccessPolicy(spec: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const rulesPath = path.child('rules');
  const rules = list(spec.successPolicy?.rules);
  if (rules.length === 0) errs.push(fieldRequired(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > maxSuccessPolicyRule) errs.push(fieldTooMany(rulesPath, rules.length, maxSuccessPolicyRule));
  const completions = num(spec.completions);
  rules.forEach((rule: Json, i: number) => {
    const rulePath = rulesPath.index(i);
    if (rule?.succeededCount == null && rule?.succeededIndexes == null) {
      errs.push(fieldRequired(rulePath, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    let total = 0;
    if (rule?.succeededIndexes != null) {
      const p = rulePath.child('succeededIndexes');
      const indexes = str(rule.succeededIndexes);
      if (indexes.length > maxJobSuccessPolicySucceededIndexesLimit) errs.push(fieldTooLong(p, indexes, maxJobSuccessPolicySucceededIndexesLimit));
      const r = validateIndexesFormat(indexes, completions);
      if (r.error !== undefined) errs.push(fieldInvalid(p, indexes, `error parsing succeededIndexes: ${r.error}`));
      else total = r.total;
    }
    if (rule?.succeededCount != null) {
      const p = rulePath.child('succeededCount');
      const count = num(rule.succeededCount);
      errs.push(...validateNonnegativeField(count, p));
      if (count > completions) {
        errs.push(fieldInvalid(p, count, `must be less than or equal to ${completions} (the number of specified completions)`));
      }
      if (rule.succeededIndexes != null && count > total) {
        errs.push(fieldInvalid(p, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
      }
    }
  });
  return errs;
}

/** validateJobSpec: everything but the selector, shared with CronJob's job template. */
function validateJobSpecFields(spec: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex']) {
    if (spec[f] != null) errs.push(...validateNonnegativeField(num(spec[f]), path.child(f)));
  }
  if (spec.maxFailedIndexes != null) {
    errs.push(...validateNonnegativeField(num(spec.maxFailedIndexes), path.child('maxFailedIndexes')));
    if (spec.backoffLimitPerIndex == null) errs.push(fieldRequired(path.child('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (spec.managedBy != null) {
    const managedBy = str(spec.managedBy);
    errs.push(...isDomainPrefixedPath(path.child('managedBy'), managedBy));
    if (managedBy.length > maxManagedByLength) errs.push(fieldTooLong(path.child('managedBy'), managedBy, maxManagedByLength));
  }
  const mode = spec.completionMode == null ? undefined : str(spec.completionMode);
  if (mode !== undefined) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(fieldNotSupported(path.child('completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (spec.completions == null) errs.push(fieldRequired(path.child('completions'), 'when completion mode is Indexed'));
      if (spec.parallelism != null && num(spec.parallelism) > maxParallelismForIndexedJob) {
        errs.push(
          fieldInvalid(path.child('parallelism'), num(spec.parallelism), `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`),
        );
      }
      if (spec.completions != null && spec.maxFailedIndexes != null && num(spec.maxFailedIndexes) > num(spec.completions)) {
        errs.push(fieldInvalid(path.child('maxFailedIndexes'), num(spec.maxFailedIndexes), 'must be less than or equal to completions'));
      }
      if (spec.maxFailedIndexes != null && num(spec.maxFailedIndexes) > maxFailedIndexesForIndexedJob) {
        errs.push(fieldInvalid(path.child('maxFailedIndexes'), num(spec.maxFailedIndexes), `must be less than or equal to ${maxFailedIndexesForIndexedJob}`));
      }
      if (spec.completions != null && num(spec.completions) > completionsSoftLimit && spec.backoffLimitPerIndex != null) {
        const high = `when completions are above ${completionsSoftLimit} and used with backoff limit per index`;
        if (spec.maxFailedIndexes == null) {
          errs.push(fieldRequired(path.child('maxFailedIndexes'), `must be specified when completions is above ${completionsSoftLimit}`));
        }
        if (spec.parallelism != null && num(spec.parallelism) > parallelismLimitForHighCompletions) {
          errs.push(fieldInvalid(path.child('parallelism'), num(spec.parallelism), `must be less than or equal to ${parallelismLimitForHighCompletions} ${high}`));
        }
        if (spec.maxFailedIndexes != null && num(spec.maxFailedIndexes) > maxFailedIndexesLimitForHighCompletions) {
          errs.push(
            fieldInvalid(path.child('maxFailedIndexes'), num(spec.maxFailedIndexes), `must be less than or equal to ${maxFailedIndexesLimitForHighCompletions} ${high}`),
          );
        }
      }
    }
  }
  if (mode === undefined || mode === 'NonIndexed') {
    if (spec.backoffLimitPerIndex != null) {
      errs.push(fieldInvalid(path.child('backoffLimitPerIndex'), num(spec.backoffLimitPerIndex), 'requires indexed completion mode'));
    }
    if (spec.maxFailedIndexes != null) errs.push(fieldInvalid(path.child('maxFailedIndexes'), num(spec.maxFailedIndexes), 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy != null) errs.push(...validatePodFailurePolicy(spec, path.child('podFailurePolicy')));
  if (spec.successPolicy != null) {
    if (mode !== 'Indexed') errs.push(fieldInvalid(path.child('successPolicy'), goSuccessPolicy(spec.successPolicy), 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, path.child('successPolicy')));
  }
  if (spec.podReplacementPolicy != null) {
    const p = path.child('podReplacementPolicy');
    const policy = str(spec.podReplacementPolicy);
    if (spec.podFailurePolicy != null) {
      if (policy !== 'Failed') errs.push(fieldNotSupported(p, policy, ['Failed']));
    } else if (!podReplacementPolicies.includes(policy)) errs.push(fieldNotSupported(p, policy, podReplacementPolicies));
  }
  errs.push(...validatePodTemplateSpec(spec.template, path.child('template')));
  // The pod defaults turn an unset restartPolicy into Always, so both read as "not given" here.
  const restartPolicy = str(spec.template?.spec?.restartPolicy);
  const rpPath = path.child('template', 'spec', 'restartPolicy');
  if (restartPolicy === 'Always' || restartPolicy === '') errs.push(fieldRequired(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') errs.push(fieldNotSupported(rpPath, restartPolicy, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy != null && restartPolicy !== 'Never') {
    errs.push(fieldInvalid(rpPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

/** ValidateJobSpec: the fields, then a valid selector the template's labels match. */
export function validateJobSpec(spec: Json, path: FieldPath, opts: JobValidationOptions = {}): FieldError[] {
  const s = isObject(spec) ? spec : {};
  const errs = validateJobSpecFields(s, path);
  if (s.selector == null) errs.push(fieldRequired(path.child('selector')));
  else errs.push(...validateLabelSelector(s.selector, path.child('selector'), { allowInvalidLabelValueInSelector: opts.allowInvalidLabelValueInSelector ?? false }));
  try {
    // A missing selector matches nothing, so it fails here too, as upstream.
    if (!selectorFromLabelSelector(s.selector).matches(labelsOf(s.template) ?? {})) {
      errs.push(fieldInvalid(path.child('template', 'metadata', 'labels'), goStringMap(labelsOf(s.template)), '`selector` does not match template `labels`'));
    }
  } catch (e) {
    if (!(e instanceof SelectorParseError)) throw e;
  }
  return errs;
}

/** ValidateJob without ObjectMeta (the generic store checks it): generated selector, spec, Indexed pod hostnames. */
export function validateJob(obj: KObject, opts: JobValidationOptions): FieldError[] {
  const errs = validateGeneratedSelector(obj, opts.requirePrefixedLabels ?? true);
  errs.push(...validateJobSpec(obj.spec, FieldPath.root('spec'), opts));
  const spec = isObject(obj.spec) ? obj.spec : {};
  if (spec.completionMode === 'Indexed' && spec.completions != null && num(spec.completions) > 0) {
    const name = str(obj.metadata.name);
    const hostname = `${name}-${num(spec.completions) - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errs.push(fieldInvalid(FieldPath.root('metadata').child('name'), name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
}

/** The options the strategy derives from the stored Job (validationOptionsForJob). */
export function validationOptionsForUpdate(old: KObject): JobValidationOptions {
  const oldSpec = isObject(old.spec) ? old.spec : {};
  const labels = labelsOf(oldSpec.template) ?? {};
  return {
    allowInvalidLabelValueInSelector: labelSelectorHasInvalidLabelValue(oldSpec.selector),
    allowMutableSchedulingDirectives: oldSpec.suspend === true && old.status?.startTime == null,
    requirePrefixedLabels: jobNameLabel in labels && controllerUidLabel in labels,
  };
}

/** validateCompletions with elastic Indexed Jobs (GA): Indexed Jobs may change completions together with parallelism. */
function validateCompletions(spec: Json, oldSpec: Json, path: FieldPath): FieldError[] {
  if (spec.completionMode !== 'Indexed') return validateImmutableField(spec.completions, oldSpec.completions, path);
  if ((spec.completions ?? null) === (oldSpec.completions ?? null) || spec.completions == null) return [];
  if (spec.completions !== spec.parallelism) {
    return [fieldInvalid(path, num(spec.completions), 'can only be modified in tandem with spec.parallelism')];
  }
  return [];
}

/** validatePodTemplateUpdate: the template is immutable, but for scheduling directives of a suspended Job that never started. */
function validatePodTemplateUpdate(spec: Json, oldSpec: Json, path: FieldPath, opts: JobValidationOptions): FieldError[] {
  const template = isObject(spec.template) ? spec.template : {};
  let oldTemplate = isObject(oldSpec.template) ? oldSpec.template : {};
  if (opts.allowMutableSchedulingDirectives) {
    oldTemplate = structuredClone(oldTemplate);
    const ts = isObject(template.spec) ? template.spec : {};
    if (!isObject(oldTemplate.spec)) oldTemplate.spec = {};
    const os = oldTemplate.spec;
    if (ts.affinity == null && os.affinity != null) {
      if (isObject(os.affinity)) delete os.affinity.nodeAffinity;
      if (!isObject(os.affinity) || Object.values(os.affinity).every((v) => v == null)) delete os.affinity;
    } else if (ts.affinity != null && os.affinity == null) {
      os.affinity = ts.affinity.nodeAffinity == null ? {} : { nodeAffinity: ts.affinity.nodeAffinity };
    } else if (ts.affinity != null && os.affinity != null) {
      os.affinity = { ...os.affinity, nodeAffinity: ts.affinity.nodeAffinity };
    }
    os.nodeSelector = ts.nodeSelector;
    os.tolerations = ts.tolerations;
    os.schedulingGates = ts.schedulingGates;
    if (!isObject(oldTemplate.metadata)) oldTemplate.metadata = {};
    oldTemplate.metadata.annotations = template.metadata?.annotations;
    oldTemplate.metadata.labels = template.metadata?.labels;
  }
  return semanticEqual(template, oldTemplate) ? [] : [fieldInvalid(path.child('template'), goPodTemplateSpec, fieldImmutableErrorMsg)];
}

/** The bad value of an immutable struct field: the new struct as Go prints it, `null` when unset. */
function immutable(newVal: Json, oldVal: Json, path: FieldPath, repr: (v: Json) => GoRepr): FieldError[] {
  if (semanticEqual(newVal ?? null, oldVal ?? null)) return [];
  return [fieldInvalid(path, newVal == null ? null : repr(newVal), fieldImmutableErrorMsg)];
}

/** ValidateJobSpecUpdate (which checks the spec once more, as upstream; the store drops repeated messages). */
export function validateJobSpecUpdate(spec: Json, oldSpec: Json, path: FieldPath, opts: JobValidationOptions): FieldError[] {
  const s = isObject(spec) ? spec : {};
  const o = isObject(oldSpec) ? oldSpec : {};
  const errs = validateJobSpec(s, path, opts);
  errs.push(...validateCompletions(s, o, path.child('completions')));
  errs.push(...immutable(s.selector, o.selector, path.child('selector'), goLabelSelector));
  errs.push(...validatePodTemplateUpdate(s, o, path, opts));
  errs.push(...validateImmutableField(s.completionMode, o.completionMode, path.child('completionMode')));
  errs.push(...immutable(s.podFailurePolicy, o.podFailurePolicy, path.child('podFailurePolicy'), goPodFailurePolicy));
  errs.push(...validateImmutableField(s.backoffLimitPerIndex, o.backoffLimitPerIndex, path.child('backoffLimitPerIndex')));
  errs.push(...validateImmutableField(s.managedBy, o.managedBy, path.child('managedBy')));
  errs.push(...immutable(s.successPolicy, o.successPolicy, path.child('successPolicy'), goSuccessPolicy));
  return errs;
}

// ---- status ----

const conditionTrue = (job: KObject, type: string) => list(job.status?.conditions).some((c: Json) => c?.type === type && c?.status === 'True');
const isComplete = (job: KObject) => conditionTrue(job, 'Complete');
const isFailed = (job: KObject) => conditionTrue(job, 'Failed');
const isFinished = (job: KObject) => isComplete(job) || isFailed(job);
const isFailureTarget = (job: KObject) => conditionTrue(job, 'FailureTarget');
const isSuccessCriteriaMet = (job: KObject) => conditionTrue(job, 'SuccessCriteriaMet');

/** Two optional timestamps are the same instant (or both unset). */
function sameTime(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return a == null && b == null;
  return a === b || Date.parse(str(a)) === Date.parse(str(b));
}

/** Which status checks apply to a status write (getStatusValidationOptions with JobManagedBy on, as in 1.33). */
interface StatusOptions {
  rejectDecreasingSucceededCounter: boolean;
  rejectInvalidCompletedIndexes: boolean;
  rejectInvalidFailedIndexes: boolean;
  rejectCompletedIndexesForNonIndexedJob: boolean;
  rejectFailedIndexesForNoBackoffLimitPerIndex: boolean;
  rejectFailedIndexesOverlappingCompleted: boolean;
  rejectFinishedJobWithActivePods: boolean;
  rejectFinishedJobWithoutStartTime: boolean;
  rejectFinishedJobWithUncountedTerminatedPods: boolean;
  rejectStartTimeUpdateForUnsuspendedJob: boolean;
  rejectCompletionTimeBeforeStartTime: boolean;
  rejectNotCompleteJobWithCompletionTime: boolean;
  rejectCompleteJobWithoutCompletionTime: boolean;
  rejectCompleteJobWithFailedCondition: boolean;
  rejectCompleteJobWithFailureTargetCondition: boolean;
  rejectFailedJobWithoutFailureTarget: boolean;
  rejectCompleteJobWithoutSuccessCriteriaMet: boolean;
  rejectMoreReadyThanActivePods: boolean;
  rejectFinishedJobWithTerminatingPods: boolean;
}

function statusOptions(job: KObject, old: KObject): StatusOptions {
  const s = job.status ?? {};
  const o = old.status ?? {};
  const indexed = job.spec?.completionMode === 'Indexed';
  const finishedChanged = isFinished(old) !== isFinished(job);
  const completeChanged = isComplete(old) !== isComplete(job);
  const failedChanged = isFailed(old) !== isFailed(job);
  const failureTargetChanged = isFailureTarget(old) !== isFailureTarget(job);
  const completedIndexesChanged = str(o.completedIndexes) !== str(s.completedIndexes);
  const failedIndexesChanged = (o.failedIndexes ?? null) !== (s.failedIndexes ?? null);
  const activeChanged = num(o.active) !== num(s.active);
  const startTimeChanged = !sameTime(o.startTime, s.startTime);
  const completionTimeChanged = !sameTime(o.completionTime, s.completionTime);
  const uncountedChanged = !semanticEqual(o.uncountedTerminatedPods ?? null, s.uncountedTerminatedPods ?? null);
  return {
    // Indexed Jobs scaled down (completions == parallelism) may lose succeeded pods.
    rejectDecreasingSucceededCounter: !indexed || (job.spec?.completions ?? null) !== (job.spec?.parallelism ?? null),
    rejectInvalidCompletedIndexes: completedIndexesChanged,
    rejectInvalidFailedIndexes: failedIndexesChanged,
    rejectCompletedIndexesForNonIndexedJob: completedIndexesChanged,
    rejectFailedIndexesForNoBackoffLimitPerIndex: failedIndexesChanged,
    rejectFailedIndexesOverlappingCompleted: failedIndexesChanged || completedIndexesChanged,
    rejectFinishedJobWithActivePods: finishedChanged || activeChanged,
    // A suspended Job with no completions may finish without ever starting.
    rejectFinishedJobWithoutStartTime: (finishedChanged || startTimeChanged) && !(job.spec?.suspend === true && job.spec?.completions === 0),
    rejectFinishedJobWithUncountedTerminatedPods: finishedChanged || uncountedChanged,
    rejectStartTimeUpdateForUnsuspendedJob: startTimeChanged,
    rejectCompletionTimeBeforeStartTime: startTimeChanged || completionTimeChanged,
    rejectNotCompleteJobWithCompletionTime: completeChanged || completionTimeChanged,
    rejectCompleteJobWithoutCompletionTime: completeChanged || completionTimeChanged,
    rejectCompleteJobWithFailedCondition: completeChanged || failedChanged,
    rejectCompleteJobWithFailureTargetCondition: completeChanged || failureTargetChanged,
    rejectFailedJobWithoutFailureTarget: finishedChanged || failureTargetChanged,
    rejectCompleteJobWithoutSuccessCriteriaMet: completeChanged || conditionTrue(old, 'SuccessCriteriaMet') !== isSuccessCriteriaMet(job),
    rejectMoreReadyThanActivePods: (o.ready ?? null) !== (s.ready ?? null) || activeChanged,
    rejectFinishedJobWithTerminatingPods: finishedChanged || (o.terminating ?? null) !== (s.terminating ?? null),
  };
}

function validateJobStatus(job: KObject, path: FieldPath, opts: StatusOptions): FieldError[] {
  const status = isObject(job.status) ? job.status : {};
  const spec = isObject(job.spec) ? job.spec : {};
  const errs: FieldError[] = [];
  for (const f of ['active', 'succeeded', 'failed']) errs.push(...validateNonnegativeField(num(status[f]), path.child(f)));
  for (const f of ['ready', 'terminating']) if (status[f] != null) errs.push(...validateNonnegativeField(num(status[f]), path.child(f)));
  if (status.uncountedTerminatedPods != null) {
    const p = path.child('uncountedTerminatedPods');
    const seen = new Set<string>();
    for (const kind of ['succeeded', 'failed']) {
      list(status.uncountedTerminatedPods[kind]).forEach((uid: Json, i: number) => {
        const ip = p.child(kind).index(i);
        const u = str(uid);
        if (u === '') errs.push(fieldInvalid(ip, u, 'must not be empty'));
        else if (seen.has(u)) errs.push(fieldDuplicate(ip, u));
        else seen.add(u);
      });
    }
  }
  const conditions = path.child('conditions');
  if (opts.rejectCompleteJobWithFailedCondition && isComplete(job) && isFailed(job)) {
    errs.push(new OmittedValueError(conditions, 'cannot set Complete=True and Failed=true conditions'));
  }
  if (opts.rejectCompleteJobWithFailureTargetCondition && isComplete(job) && isFailureTarget(job)) {
    errs.push(new OmittedValueError(conditions, 'cannot set Complete=True and FailureTarget=true conditions'));
  }
  if (opts.rejectNotCompleteJobWithCompletionTime && status.completionTime != null && !isComplete(job)) {
    errs.push(fieldInvalid(path.child('completionTime'), goMetaTime(status.completionTime), 'cannot set completionTime when there is no Complete=True condition'));
  }
  if (opts.rejectCompleteJobWithoutCompletionTime && status.completionTime == null && isComplete(job)) {
    errs.push(fieldRequired(path.child('completionTime'), 'completionTime is required for Complete jobs'));
  }
  if (
    opts.rejectCompletionTimeBeforeStartTime &&
    status.startTime != null &&
    status.completionTime != null &&
    Date.parse(str(status.completionTime)) < Date.parse(str(status.startTime))
  ) {
    errs.push(fieldInvalid(path.child('completionTime'), goMetaTime(status.completionTime), 'completionTime cannot be set before startTime'));
  }
  if (opts.rejectFailedJobWithoutFailureTarget && isFailed(job) && !isFailureTarget(job)) {
    errs.push(new OmittedValueError(conditions, 'cannot set Failed=True condition without the FailureTarget=true condition'));
  }
  if (opts.rejectCompleteJobWithoutSuccessCriteriaMet && isComplete(job) && !isSuccessCriteriaMet(job)) {
    errs.push(new OmittedValueError(conditions, 'cannot set Complete=True condition without the SuccessCriteriaMet=true condition'));
  }
  const finished = isFinished(job);
  if (opts.rejectFinishedJobWithActivePods && num(status.active) > 0 && finished) {
    errs.push(fieldInvalid(path.child('active'), num(status.active), 'active>0 is invalid for finished job'));
  }
  if (opts.rejectFinishedJobWithoutStartTime && status.startTime == null && finished) {
    errs.push(fieldRequired(path.child('startTime'), 'startTime is required for finished job'));
  }
  const uncounted = status.uncountedTerminatedPods;
  if (opts.rejectFinishedJobWithUncountedTerminatedPods && finished && uncounted != null && list(uncounted.failed).length + list(uncounted.succeeded).length > 0) {
    errs.push(fieldInvalid(path.child('uncountedTerminatedPods'), goUncountedTerminatedPods(uncounted), 'uncountedTerminatedPods needs to be empty for finished job'));
  }
  if (opts.rejectInvalidCompletedIndexes && spec.completions != null) {
    const r = validateIndexesFormat(str(status.completedIndexes), num(spec.completions));
    if (r.error !== undefined) errs.push(fieldInvalid(path.child('completedIndexes'), str(status.completedIndexes), `error parsing completedIndexes: ${r.error}`));
  }
  if (opts.rejectInvalidFailedIndexes && spec.completions != null && spec.backoffLimitPerIndex != null && status.failedIndexes != null) {
    const r = validateIndexesFormat(str(status.failedIndexes), num(spec.completions));
    if (r.error !== undefined) errs.push(fieldInvalid(path.child('failedIndexes'), str(status.failedIndexes), `error parsing failedIndexes: ${r.error}`));
  }
  const indexed = spec.completionMode === 'Indexed';
  if (opts.rejectCompletedIndexesForNonIndexedJob && str(status.completedIndexes) !== '' && !indexed) {
    errs.push(fieldInvalid(path.child('completedIndexes'), str(status.completedIndexes), 'cannot set non-empty completedIndexes when non-indexed completion mode'));
  }
  if (opts.rejectFailedIndexesForNoBackoffLimitPerIndex && spec.backoffLimitPerIndex == null && status.failedIndexes != null) {
    errs.push(fieldInvalid(path.child('failedIndexes'), str(status.failedIndexes), 'cannot set non-null failedIndexes when backoffLimitPerIndex is null'));
  }
  if (opts.rejectFailedIndexesOverlappingCompleted && spec.completions != null && status.failedIndexes != null) {
    const msg = failedOverlapsCompleted(str(status.completedIndexes), str(status.failedIndexes), num(spec.completions));
    if (msg) errs.push(fieldInvalid(path.child('failedIndexes'), str(status.failedIndexes), msg));
  }
  if (opts.rejectFinishedJobWithTerminatingPods && status.terminating != null && num(status.terminating) > 0 && finished) {
    errs.push(fieldInvalid(path.child('terminating'), num(status.terminating), 'terminating>0 is invalid for finished job'));
  }
  if (opts.rejectMoreReadyThanActivePods && status.ready != null && num(status.ready) > num(status.active)) {
    errs.push(fieldInvalid(path.child('ready'), num(status.ready), 'cannot set more ready pods than active'));
  }
  // AllowForSuccessCriteriaMetInExtendedScope is always on in 1.33, which skips two checks here.
  if (isSuccessCriteriaMet(job) && isFailed(job)) {
    errs.push(new OmittedValueError(conditions, 'cannot set SuccessCriteriaMet=True and Failed=true conditions'));
  }
  if (isSuccessCriteriaMet(job) && isFailureTarget(job)) {
    errs.push(new OmittedValueError(conditions, 'cannot set SuccessCriteriaMet=True and FailureTarget=true conditions'));
  }
  if (spec.successPolicy != null && !isSuccessCriteriaMet(job) && isComplete(job)) {
    errs.push(new OmittedValueError(conditions, 'cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True'));
  }
  return errs;
}

/** ValidateJobStatusUpdate, without ObjectMeta: the status itself, then what may not go backwards. */
export function validateJobStatusUpdate(job: KObject, old: KObject): FieldError[] {
  const path = FieldPath.root('status');
  const opts = statusOptions(job, old);
  const errs = validateJobStatus(job, path, opts);
  const s = isObject(job.status) ? job.status : {};
  const o = isObject(old.status) ? old.status : {};
  for (const type of ['Failed', 'Complete', 'FailureTarget']) {
    if (conditionTrue(old, type) && !conditionTrue(job, type)) {
      errs.push(new OmittedValueError(path.child('conditions'), `cannot disable the terminal ${type}=True condition`));
    }
  }
  if (num(s.failed) < num(o.failed)) errs.push(fieldInvalid(path.child('failed'), num(s.failed), 'cannot decrease the failed counter'));
  if (opts.rejectDecreasingSucceededCounter && num(s.succeeded) < num(o.succeeded)) {
    errs.push(fieldInvalid(path.child('succeeded'), num(s.succeeded), 'cannot decrease the succeeded counter'));
  }
  if (s.completionTime != null && o.completionTime != null && !sameTime(s.completionTime, o.completionTime)) {
    errs.push(fieldInvalid(path.child('completionTime'), goMetaTime(s.completionTime), 'completionTime cannot be mutated'));
  }
  if (opts.rejectStartTimeUpdateForUnsuspendedJob && o.startTime != null && !sameTime(o.startTime, s.startTime) && job.spec?.suspend !== true) {
    errs.push(fieldRequired(path.child('startTime'), 'startTime cannot be removed for unsuspended job'));
  }
  if (isSuccessCriteriaMet(old) && !isSuccessCriteriaMet(job)) {
    errs.push(new OmittedValueError(path.child('conditions'), 'cannot disable the SuccessCriteriaMet=True condition'));
  }
  if (isComplete(old) && !isSuccessCriteriaMet(old) && isSuccessCriteriaMet(job)) {
    errs.push(new OmittedValueError(path.child('conditions'), 'cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions'));
  }
  return errs;
}

// ---- entry points for the strategy ----

/** The strategy's Validate: ValidateJob with the create-time options. */
export function validateCreate(obj: KObject): FieldError[] {
  return validateJob(obj, { requirePrefixedLabels: true });
}

/**
 * The strategy's ValidateUpdate: ValidateJob plus ValidateJobUpdate. The store runs this for status writes
 * too, where the spec is the stored one; a changed status gets the status strategy's checks.
 */
export function validateUpdate(obj: KObject, old: KObject): FieldError[] {
  const opts = validationOptionsForUpdate(old);
  const errs = validateJob(obj, opts);
  errs.push(...validateJobSpecUpdate(obj.spec, old.spec, FieldPath.root('spec'), opts));
  if (!semanticEqual(obj.status ?? {}, old.status ?? {})) errs.push(...validateJobStatusUpdate(obj, old));
  return errs;
}
