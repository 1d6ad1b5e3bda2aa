// Tests for meta-validation.ts: ObjectMeta create/update and label-selector validation errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldPath, type FieldError } from './field-errors.ts';
import {
  goPointerPlaceholder,
  labelSelectorHasInvalidLabelValue,
  nameIsDNSSubdomain,
  totalAnnotationSizeLimitB,
  validateAnnotations,
  validateLabelSelector,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type LabelSelectorLike,
  type ObjectMetaLike,
  type ObjectMetaOptions,
} from './meta-validation.ts';

const msgs = (errs: FieldError[]) => errs.map((e) => e.message());
const namespaced: ObjectMetaOptions = { namespaced: true, nameValidation: 'dns1123Subdomain' };
const cluster: ObjectMetaOptions = { namespaced: false, nameValidation: 'dns1123Subdomain' };

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1035Msg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const namePartMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('validateObjectMeta on create', () => {
  const cases: [string, ObjectMetaLike, ObjectMetaOptions, string[]][] = [
    ['valid namespaced', { name: 'web', namespace: 'default' }, namespaced, []],
    ['valid cluster-scoped', { name: 'node-1' }, cluster, []],
    ['no name', { namespace: 'default' }, namespaced, ['metadata.name: Required value: name or generateName is required']],
    ['generateName only still needs a generated name', { generateName: 'web-', namespace: 'default' }, namespaced, ['metadata.name: Required value: name or generateName is required']],
    ['generateName with a trailing dash is fine', { name: 'web-x1y2z', generateName: 'web-', namespace: 'default' }, namespaced, []],
    ['bad generateName', { name: 'ok', generateName: 'Web-', namespace: 'default' }, namespaced, [`metadata.generateName: Invalid value: "Web-": ${subdomainMsg}`]],
    ['bad name', { name: 'Web', namespace: 'default' }, namespaced, [`metadata.name: Invalid value: "Web": ${subdomainMsg}`]],
    ['long name', { name: 'a'.repeat(254), namespace: 'default' }, namespaced, [`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`]],
    ['dns1123Label name with dots', { name: 'a.b', namespace: 'd' }, { namespaced: true, nameValidation: 'dns1123Label' }, ['metadata.name: Invalid value: "a.b": must not contain dots']],
    ['dns1035Label name', { name: '1abc', namespace: 'd' }, { namespaced: true, nameValidation: 'dns1035Label' }, [`metadata.name: Invalid value: "1abc": ${dns1035Msg}`]],
    ['path segment name', { name: 'a/b', namespace: 'd' }, { namespaced: true, nameValidation: 'pathSegment' }, ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]],
    ['path segment name ..', { name: '..' }, { namespaced: false, nameValidation: 'pathSegment' }, ["metadata.name: Invalid value: \"..\": may not be '..'"]],
    ['path segment allows capitals', { name: 'My Thing' }, { namespaced: false, nameValidation: 'pathSegment' }, []],
    ['missing namespace', { name: 'web' }, namespaced, ['metadata.namespace: Required value']],
    ['bad namespace', { name: 'web', namespace: 'foo.bar' }, namespaced, ['metadata.namespace: Invalid value: "foo.bar": must not contain dots']],
    ['bad namespace regex', { name: 'web', namespace: 'Foo' }, namespaced, [`metadata.namespace: Invalid value: "Foo": ${labelMsg}`]],
    ['namespace on a cluster kind', { name: 'n', namespace: 'default' }, cluster, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['negative generation', { name: 'n', generation: -1 }, cluster, ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']],
    [
      'labels',
      { name: 'n', labels: { 'bad key': 'v', ok: 'bad value' } },
      cluster,
      [`metadata.labels: Invalid value: "bad key": ${namePartMsg}`, `metadata.labels: Invalid value: "bad value": ${labelValueMsg}`],
    ],
    [
      'annotation keys are checked in lower case',
      { name: 'n', annotations: { 'Example.COM/Key': 'x', 'a/b/c': '' } },
      cluster,
      [
        "metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    ],
    [
      'annotations too large',
      { name: 'n', annotations: { a: 'b'.repeat(totalAnnotationSizeLimitB) } },
      cluster,
      [`metadata.annotations: Too long: may not be more than ${totalAnnotationSizeLimitB} bytes`],
    ],
    ['annotations at the limit', { name: 'n', annotations: { a: 'b'.repeat(totalAnnotationSizeLimitB - 1) } }, cluster, []],
    [
      'owner reference missing fields',
      { name: 'n', ownerReferences: [{ apiVersion: 'apps/', kind: '', name: '', uid: '' }] },
      cluster,
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
      ],
    ],
    [
      'events cannot own',
      { name: 'n', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1', controller: true }] },
      cluster,
      [
        // %#v of the struct; a set pointer prints as an address, which is not reproducible
        `metadata.ownerReferences: Invalid value: v1.OwnerReference{APIVersion:"v1", Kind:"Event", Name:"e", UID:"1", Controller:(*bool)(${goPointerPlaceholder}), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is disallowed from being an owner`,
      ],
    ],
    [
      'two controllers',
      {
        name: 'n',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: false },
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'c', uid: '3', controller: true },
        ],
      },
      cluster,
      [
        'metadata.ownerReferences: Invalid value: []v1.OwnerReference{' +
          `v1.OwnerReference{APIVersion:"apps/v1", Kind:"ReplicaSet", Name:"a", UID:"1", Controller:(*bool)(${goPointerPlaceholder}), BlockOwnerDeletion:(*bool)(nil)}, ` +
          `v1.OwnerReference{APIVersion:"apps/v1", Kind:"ReplicaSet", Name:"b", UID:"2", Controller:(*bool)(${goPointerPlaceholder}), BlockOwnerDeletion:(*bool)(nil)}, ` +
          `v1.OwnerReference{APIVersion:"apps/v1", Kind:"StatefulSet", Name:"c", UID:"3", Controller:(*bool)(${goPointerPlaceholder}), BlockOwnerDeletion:(*bool)(nil)}` +
          '}: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and StatefulSet/c',
      ],
    ],
    ['finalizers', { name: 'n', finalizers: ['kubernetes.io/pvc-protection', 'a/b/c'] }, cluster, [
      "metadata.finalizers: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]],
    [
      'conflicting finalizers',
      { name: 'n', finalizers: ['orphan', 'foregroundDeletion'] },
      cluster,
      ['metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set'],
    ],
    [
      'managed fields',
      { name: 'n', managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1' }, { manager: 'é\u0007', operation: 'Patch', fieldsType: 'FieldsV2' }] },
      cluster,
      [
        'metadata.managedFields[1].operation: Invalid value: "Patch": must be `Apply` or `Update`',
        'metadata.managedFields[1].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
        // position counts bytes; the value is quoted as strconv.Quote does
        'metadata.managedFields[1].manager: Invalid value: "é\\a": invalid character U+0007 (at position 2)',
      ],
    ],
    [
      'labels map printed per key and value',
      { name: 'n', labels: { 'a\u00a0b': 'x\ty' } },
      cluster,
      [
        `metadata.labels: Invalid value: "a\\u00a0b": ${namePartMsg}`,
        `metadata.labels: Invalid value: "x\\ty": ${labelValueMsg}`,
      ],
    ],
    [
      // strings.ToLower maps U+0130 to a plain "i" (JavaScript would add a combining dot)
      'annotation keys lowered rune by rune',
      { name: 'n', annotations: { '\u0130': '' } },
      cluster,
      [],
    ],
  ];
  for (const [name, meta, opts, want] of cases) assert.deepEqual(msgs(validateObjectMeta(meta, opts)), want, name);
  assert.deepEqual(msgs(validateObjectMeta({}, cluster, FieldPath.root('field'))), ['field.name: Required value: name or generateName is required']);
});

test('generateName keeps upstream\'s trailing-dash masking', () => {
  // Upstream replaces the last two characters with "a", so "a-" and "-" behave oddly; match it.
  const cases: [string, boolean][] = [
    ['foo-', true],
    ['a-', true],
    ['-', false],
    ['foo--', true],
    ['Foo-', false],
  ];
  for (const [prefix, ok] of cases) assert.equal(nameIsDNSSubdomain(prefix, true).length === 0, ok, prefix);
});

test('validateObjectMetaUpdate', () => {
  const old: ObjectMetaLike = {
    name: 'web',
    namespace: 'default',
    uid: 'u1',
    resourceVersion: '5',
    generation: 3,
    creationTimestamp: '2024-01-01T00:00:00Z',
  };
  const cases: [string, ObjectMetaLike, ObjectMetaLike, string[]][] = [
    ['unchanged', { ...old }, old, []],
    ['labels may change', { ...old, labels: { a: 'b' } }, old, []],
    ['same instant in another zone', { ...old, creationTimestamp: '2024-01-01T01:00:00+01:00' }, old, []],
    ['no resourceVersion', { ...old, resourceVersion: '' }, old, ['metadata.resourceVersion: Invalid value: "": must be specified for an update']],
    ['generation decremented', { ...old, generation: 2 }, old, ['metadata.generation: Invalid value: 2: must not be decremented']],
    ['name changed', { ...old, name: 'db' }, old, ['metadata.name: Invalid value: "db": field is immutable']],
    ['namespace changed', { ...old, namespace: 'kube-system' }, old, ['metadata.namespace: Invalid value: "kube-system": field is immutable']],
    ['uid changed', { ...old, uid: 'u2' }, old, ['metadata.uid: Invalid value: "u2": field is immutable']],
    ['uid cleared', { ...old, uid: undefined }, old, ['metadata.uid: Invalid value: "": field is immutable']],
    // metav1.Time is a fmt.Stringer (time.Time's String); unset is the zero time
    ['creationTimestamp changed', { ...old, creationTimestamp: '2025-01-01T00:00:00Z' }, old, ['metadata.creationTimestamp: Invalid value: 2025-01-01 00:00:00 +0000 UTC: field is immutable']],
    ['creationTimestamp in another zone', { ...old, creationTimestamp: '2025-01-01T05:30:00.250+05:30' }, old, ['metadata.creationTimestamp: Invalid value: 2025-01-01 00:00:00.25 +0000 UTC: field is immutable']],
    ['creationTimestamp cleared', { ...old, creationTimestamp: null }, old, ['metadata.creationTimestamp: Invalid value: 0001-01-01 00:00:00 +0000 UTC: field is immutable']],
    // *metav1.Time: dereferenced when set, null when not
    ['deletionTimestamp set', { ...old, deletionTimestamp: '2025-01-01T00:00:00Z' }, old, ['metadata.deletionTimestamp: Invalid value: 2025-01-01 00:00:00 +0000 UTC: field is immutable']],
    [
      'deletionTimestamp cleared',
      { ...old },
      { ...old, deletionTimestamp: '2025-01-01T00:00:00Z' },
      ['metadata.deletionTimestamp: Invalid value: null: field is immutable'],
    ],
    ['grace period cleared', { ...old }, { ...old, deletionGracePeriodSeconds: 30 }, ['metadata.deletionGracePeriodSeconds: Invalid value: null: field is immutable']],
    ['grace period set', { ...old, deletionGracePeriodSeconds: 30 }, old, ['metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable']],
    ['bad label', { ...old, labels: { a: '-' } }, old, [`metadata.labels: Invalid value: "-": ${labelValueMsg}`]],
    [
      'finalizers added while deleting',
      { ...old, deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['x/a', 'z/c', 'y/b'] },
      { ...old, deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['x/a'] },
      ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"y/b", "z/c"}'],
    ],
    [
      'finalizers removed while deleting',
      { ...old, deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: [] },
      { ...old, deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['x/a'] },
      [],
    ],
    ['finalizers added before deletion', { ...old, finalizers: ['x/a'] }, old, []],
  ];
  for (const [name, meta, oldMeta, want] of cases) assert.deepEqual(msgs(validateObjectMetaUpdate(meta, oldMeta)), want, name);
});

test('validateLabels and validateAnnotations on their own paths', () => {
  assert.deepEqual(msgs(validateLabels({ 'example.com/app': 'web', tier: '' }, FieldPath.root('l'))), []);
  assert.deepEqual(msgs(validateLabels(null, FieldPath.root('l'))), []);
  assert.deepEqual(msgs(validateLabels({ [`${'a'.repeat(64)}`]: 'v' }, FieldPath.root('l'))), [
    `l: Invalid value: "${'a'.repeat(64)}": name part must be no more than 63 characters`,
  ]);
  assert.deepEqual(msgs(validateAnnotations({ a: 'b'.repeat(totalAnnotationSizeLimitB / 2), c: 'd'.repeat(totalAnnotationSizeLimitB / 2) }, FieldPath.root('an'))), [
    `an: Too long: may not be more than ${totalAnnotationSizeLimitB} bytes`,
  ]);
});

test('validateLabelSelector as metav1validation.ValidateLabelSelector', () => {
  const p = FieldPath.root('spec').child('selector');
  const cases: [string, LabelSelectorLike | null, string[]][] = [
    ['nil', null, []],
    ['empty', {}, []],
    ['valid', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }, { key: 'gpu', operator: 'Exists' }] }, []],
    ['bad matchLabels', { matchLabels: { app: 'we b' } }, [`spec.selector.matchLabels: Invalid value: "we b": ${labelValueMsg}`]],
    ['In without values', { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]],
    ['NotIn without values', { matchExpressions: [{ key: 'a', operator: 'NotIn' }] }, ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]],
    ['Exists with values', { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, ["spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"]],
    ['bad operator', { matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] }, ['spec.selector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator']],
    ['bad key', { matchExpressions: [{ key: '-a', operator: 'Exists' }] }, [`spec.selector.matchExpressions[0].key: Invalid value: "-a": ${namePartMsg}`]],
    ['bad value', { matchExpressions: [{ key: 'a', operator: 'In', values: ['ok', 'not ok'] }] }, [`spec.selector.matchExpressions[0].values[1]: Invalid value: "not ok": ${labelValueMsg}`]],
  ];
  for (const [name, ls, want] of cases) assert.deepEqual(msgs(validateLabelSelector(ls, p)), want, name);

  const lenient = { matchExpressions: [{ key: 'a', operator: 'Weird', values: ['not ok'] }] };
  assert.deepEqual(msgs(validateLabelSelector(lenient, p, { allowInvalidLabelValueInSelector: true, allowUnknownOperatorInRequirement: true })), []);
  assert.equal(labelSelectorHasInvalidLabelValue(lenient), true);
  assert.equal(labelSelectorHasInvalidLabelValue({ matchExpressions: [{ key: 'a', operator: 'In', values: ['ok'] }] }), false);
  assert.equal(labelSelectorHasInvalidLabelValue(null), false);
});
