// CustomResourceDefinition validation: names, versions, structural schemas, defaults, subresources and columns, with upstream's texts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strategy } from './strategy.ts';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from './validation.ts';
import type { CustomResourceDefinition, CRDVersion } from './types.ts';
import type { JSONSchemaProps } from '../../../crd/json-schema.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', default: 1 } } } },
};

function crd(mutate: (c: CustomResourceDefinition) => void = () => {}): CustomResourceDefinition {
  const c: CustomResourceDefinition = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: structuredClone(schema) } }],
    },
  };
  mutate(c);
  strategy.defaults!(c);
  strategy.prepareForCreate!(c);
  return c;
}

const errors = (c: CustomResourceDefinition) => validateCustomResourceDefinition(c).map((e) => e.message());
const withSchema = (s: JSONSchemaProps) => crd((c) => (c.spec!.versions![0].schema = { openAPIV3Schema: s }));

describe('CustomResourceDefinition defaults', () => {
  it('fills singular, listKind, conversion and the stored version', () => {
    const c = crd((x) => {
      delete x.spec!.names!.singular;
    });
    assert.equal(c.spec!.names!.singular, 'crontab');
    assert.equal(c.spec!.names!.listKind, 'CronTabList');
    assert.deepEqual(c.spec!.conversion, { strategy: 'None' });
    assert.deepEqual(c.status, { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
    assert.equal(c.metadata.generation, 1);
  });
});

describe('validateCustomResourceDefinition', () => {
  it('accepts a valid CRD', () => assert.deepEqual(errors(crd()), []));

  it('requires the name to be <plural>.<group>', () => {
    assert.deepEqual(
      errors(crd((c) => (c.metadata.name = 'crontab.stable.example.com'))),
      ['metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group'],
    );
  });

  it('requires a group with a dot and a known scope', () => {
    assert.deepEqual(
      errors(
        crd((c) => {
          c.spec!.group = 'example';
          c.metadata.name = 'crontabs.example';
          c.spec!.scope = 'Global';
        }),
      ),
      ['spec.group: Invalid value: "example": should be a domain with at least one dot', 'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'],
    );
    assert.deepEqual(errors(crd((c) => delete c.spec!.scope)), ['spec.scope: Required value']);
  });

  it('checks names as DNS-1035 labels, kind case-insensitively', () => {
    const got = errors(
      crd((c) => {
        c.spec!.names = { plural: 'crontabs', singular: 'Cron_Tab', kind: 'Cron.Tab', listKind: 'Cron.Tab', shortNames: ['c t'], categories: ['All'] };
      }),
    );
    const dns = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    assert.deepEqual(got, [
      `spec.names.singular: Invalid value: "Cron_Tab": ${dns}`,
      `spec.names.kind: Invalid value: "Cron.Tab": may have mixed case, but should otherwise match: ${dns}`,
      `spec.names.listKind: Invalid value: "Cron.Tab": may have mixed case, but should otherwise match: ${dns}`,
      `spec.names.shortNames[0]: Invalid value: "c t": ${dns}`,
      'spec.names.listKind: Invalid value: "Cron.Tab": kind and listKind may not be the same',
      `spec.names.categories[0]: Invalid value: "All": ${dns}`,
    ]);
  });

  it('requires exactly one storage version, printing the versions as Go does', () => {
    const got = errors(crd((c) => (c.spec!.versions![0].storage = false)));
    assert.deepEqual(got, [
      'spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:"v1", Served:true, Storage:false, Deprecated:false, DeprecationWarning:(*string)(nil), Schema:(*apiextensions.CustomResourceValidation)(nil), Subresources:(*apiextensions.CustomResourceSubresources)(nil), AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), SelectableFields:[]apiextensions.SelectableField(nil)}}: must have exactly one version marked as storage version',
      'status.storedVersions: Invalid value: []string(nil): must have at least one stored version',
    ]);
  });

  it('requires unique version names and a schema per version', () => {
    const v2: CRDVersion = { name: 'v1', served: true, storage: false };
    const got = errors(crd((c) => c.spec!.versions!.push(v2)));
    assert.ok(got.includes('spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required'), got.join('\n'));
    assert.ok(got.some((m) => m.startsWith('spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{') && m.endsWith(': must contain unique version names')));
  });

  it('reports a version name twice, as spec.versions[0].name and spec.version', () => {
    const got = errors(crd((c) => (c.spec!.versions![0].name = 'V1')));
    assert.equal(got.filter((m) => m.startsWith('spec.versions[0].name: Invalid value: "V1": a DNS-1035 label')).length, 1);
    assert.equal(got.filter((m) => m.startsWith('spec.version: Invalid value: "V1": a DNS-1035 label')).length, 1);
  });

  it('reports schema errors at spec.validation when every version shares the schema', () => {
    assert.deepEqual(errors(withSchema({ type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } })), [
      'spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    ]);
  });

  it('reports schema errors per version when versions differ', () => {
    const got = errors(
      crd((c) => {
        c.spec!.versions!.push({ name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: { properties: { a: { type: 'string' } } } } });
      }),
    );
    assert.deepEqual(got, ['spec.versions[1].schema.openAPIV3Schema.type: Required value: must not be empty at the root']);
  });

  it('applies the structural rules', () => {
    const cases: [JSONSchemaProps, string[]][] = [
      [{ 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-int-or-string': true }, [
        'spec.validation.openAPIV3Schema.x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true',
      ]],
      [{ type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true }, [
        'spec.validation.openAPIV3Schema.x-kubernetes-embedded-resource: Invalid value: true: must be false if x-kubernetes-int-or-string is true',
        'spec.validation.openAPIV3Schema.x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true',
      ]],
      [{ type: 'object', 'x-kubernetes-embedded-resource': true }, [
        'spec.validation.openAPIV3Schema.properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ]],
      [{ type: 'array', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true }, [
        'spec.validation.openAPIV3Schema.items: Required value: must be specified',
        'spec.validation.openAPIV3Schema.type: Invalid value: "array": must be object at the root',
        'spec.validation.openAPIV3Schema.type: Invalid value: "array": must be object if x-kubernetes-embedded-resource is true',
      ]],
      [{ type: 'object', properties: { list: { type: 'array' } } }, ['spec.validation.openAPIV3Schema.properties[list].items: Required value: must be specified']],
      [{ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ properties: { b: { type: 'string' } } }] }, [
        'spec.validation.openAPIV3Schema.anyOf[0].properties[b].type: Forbidden: must be empty to be structural',
        'spec.validation.openAPIV3Schema.properties[b]: Required value: because it is defined in spec.validation.openAPIV3Schema.anyOf[0].properties[b]',
      ]],
      [{ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }, [
        'spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
      ]],
      [{ type: 'object', properties: { s: { type: 'string', pattern: '(abc' } } }, [
        "spec.validation.openAPIV3Schema.properties[s].pattern: Invalid value: \"(abc\": must be a valid regular expression, but isn't: error parsing regexp: missing closing ): `(abc`",
      ]],
      [{ type: 'object', properties: { s: { type: 'something' } } }, [
        'spec.validation.openAPIV3Schema.properties[s].type: Unsupported value: "something": supported values: "array", "boolean", "integer", "number", "object", "string"',
      ]],
    ];
    for (const [s, want] of cases) assert.deepEqual(errors(withSchema(s)), want, JSON.stringify(s));
  });

  it('validates defaults against their schema node, pruned', () => {
    assert.deepEqual(errors(withSchema({ type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', default: 'one' } } } } })), [
      'spec.validation.openAPIV3Schema.properties[spec].properties[replicas].default: Invalid value: "string":  in body must be of type integer: "string"',
    ]);
    assert.deepEqual(errors(withSchema({ type: 'object', properties: { spec: { type: 'object', default: { a: 1 }, properties: { b: { type: 'integer' } } } } })), [
      'spec.validation.openAPIV3Schema.properties[spec].default: Invalid value: map[string]interface {}{"a":1}: must not have unknown fields',
    ]);
    assert.deepEqual(errors(withSchema({ type: 'object', properties: { metadata: { type: 'object', default: { name: 'x' } } } })), [
      'spec.validation.openAPIV3Schema.properties[metadata].default: Forbidden: must not be set in top-level metadata',
    ]);
  });

  it('checks list and map extensions', () => {
    const got = errors(
      withSchema({
        type: 'object',
        properties: {
          a: { type: 'object', 'x-kubernetes-list-type': 'set' },
          b: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'] },
          c: { type: 'string', 'x-kubernetes-map-type': 'atomic' },
        },
      }),
    );
    assert.deepEqual(got, [
      'spec.validation.openAPIV3Schema.properties[a].type: Invalid value: "object": must be array if x-kubernetes-list-type is specified',
      'spec.validation.openAPIV3Schema.properties[b].items.properties[k].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
      'spec.validation.openAPIV3Schema.properties[c].type: Invalid value: "string": must be object if x-kubernetes-map-type is specified',
    ]);
  });

  it('limits the root of the schema when the status subresource is on', () => {
    const got = errors(
      crd((c) => {
        c.spec!.versions![0].subresources = { status: {} };
        c.spec!.versions![0].schema!.openAPIV3Schema!.nullable = true;
      }),
    );
    assert.equal(got.length, 2);
    assert.match(got[0], /^spec\.validation\.openAPIV3Schema: Invalid value: apiextensions\.JSONSchemaProps\{ID:"", .*: only \[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations\] fields are allowed at the root of the schema if the status subresource is enabled$/);
    assert.equal(got[1], 'spec.validation.openAPIV3Schema.nullable: Forbidden: nullable cannot be true at the root');
  });

  it('checks scale paths and printer columns', () => {
    const got = errors(
      crd((c) => {
        c.spec!.versions![0].subresources = { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: '.metadata.labels' } };
        c.spec!.versions![0].additionalPrinterColumns = [{ name: 'Spec', type: 'text', jsonPath: 'spec.x' }, { name: '', type: 'string', format: 'url', jsonPath: '' }];
      }),
    );
    assert.deepEqual(got, [
      'spec.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
      'spec.subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must be a simple json path starting with .',
      'spec.subresources.scale.labelSelectorPath: Invalid value: ".metadata.labels": should be a json path under either .spec or .status',
      'spec.additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string',
      'spec.additionalPrinterColumns[0].JSONPath: Invalid value: "spec.x": must be a simple json path starting with .',
      'spec.additionalPrinterColumns[1].name: Required value',
      'spec.additionalPrinterColumns[1].format: Invalid value: "url": must be one of byte,date,date-time,double,float,int32,int64,password',
      'spec.additionalPrinterColumns[1].JSONPath: Required value',
    ]);
  });

  it('requires API approval for protected groups', () => {
    const k8s = (annotations?: Record<string, string>) =>
      crd((c) => {
        c.spec!.group = 'autoscaling.k8s.io';
        c.metadata.name = 'crontabs.autoscaling.k8s.io';
        if (annotations) c.metadata.annotations = annotations;
      });
    assert.deepEqual(errors(k8s()), [
      'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
    ]);
    assert.deepEqual(errors(k8s({ 'api-approved.kubernetes.io': 'https://github.com/kubernetes/kubernetes/pull/63797' })), []);
    assert.deepEqual(errors(k8s({ 'api-approved.kubernetes.io': 'unapproved, testing only' })), []);
  });

  it('forbids preserveUnknownFields: true and checks the conversion', () => {
    assert.deepEqual(errors(crd((c) => (c.spec!.preserveUnknownFields = true))), [
      'spec.preserveUnknownFields: Invalid value: true: must be false in order to use defaults in the schema',
      'spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    ]);
    assert.deepEqual(errors(crd((c) => (c.spec!.conversion = { strategy: 'Webhook' }))), [
      'spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook',
      'spec.conversion.conversionReviewVersions: Required value',
    ]);
  });
});

describe('validateCustomResourceDefinitionUpdate', () => {
  it('keeps group and plural immutable, and scope and kind once established', () => {
    const old = crd();
    old.metadata.resourceVersion = '5';
    old.status!.conditions = [{ type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }];
    const next = structuredClone(old);
    next.spec!.scope = 'Cluster';
    next.spec!.names!.kind = 'Cron';
    next.spec!.names!.listKind = 'CronList';
    assert.deepEqual(
      validateCustomResourceDefinitionUpdate(next, old).map((e) => e.message()),
      ['spec.scope: Invalid value: "Cluster": field is immutable', 'spec.names.kind: Invalid value: "Cron": field is immutable'],
    );
  });

  it('bumps the generation only when the spec changes and records new storage versions', () => {
    const old = crd();
    const same = structuredClone(old);
    strategy.prepareForUpdate!(same, old);
    assert.equal(same.metadata.generation, 1);
    const changed = structuredClone(old) as CustomResourceDefinition;
    changed.spec!.versions![0].storage = false;
    changed.spec!.versions!.push({ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: structuredClone(schema) } });
    strategy.prepareForUpdate!(changed, old);
    assert.equal(changed.metadata.generation, 2);
    assert.deepEqual(changed.status!.storedVersions, ['v1', 'v2']);
  });
});

describe('deletion', () => {
  it('adds the cleanup finalizer and a Terminating condition', () => {
    const c = crd();
    strategy.prepareForDelete!(c);
    assert.deepEqual(c.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    const t = c.status!.conditions!.find((x) => x.type === 'Terminating')!;
    assert.equal(t.reason, 'InstanceDeletionPending');
    assert.equal(t.message, 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon');
  });
});
