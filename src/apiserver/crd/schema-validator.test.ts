// Custom resource schema validation: kube-openapi's checks with Kubernetes 1.33's exact field error texts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgainstSchema } from './schema-validator.ts';
import type { JSONSchemaProps } from './json-schema.ts';

const obj = (field: JSONSchemaProps, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: 'object', properties: { field }, ...extra });
const messages = (schema: JSONSchemaProps, data: unknown, opts: { old?: unknown; fldPath?: string } = {}) =>
  validateAgainstSchema(schema, data, opts)
    .map((e) => e.message())
    .sort();

interface Case {
  name: string;
  schema: JSONSchemaProps;
  data: unknown;
  want: string[];
}

const cases: Case[] = [
  { name: 'type mismatch: string for object', schema: obj({ type: 'object' }), data: { field: 'foo' }, want: ['field: Invalid value: "string": field in body must be of type object: "string"'] },
  { name: 'type mismatch: integer for object', schema: obj({ type: 'object' }), data: { field: 42 }, want: ['field: Invalid value: "integer": field in body must be of type object: "integer"'] },
  { name: 'type mismatch: float for object', schema: obj({ type: 'object' }), data: { field: 1.2 }, want: ['field: Invalid value: "number": field in body must be of type object: "number"'] },
  { name: 'type mismatch: array for object', schema: obj({ type: 'object' }), data: { field: [] }, want: ['field: Invalid value: "array": field in body must be of type object: "array"'] },
  { name: 'null is not an object', schema: obj({ type: 'object' }), data: { field: null }, want: ['field: Invalid value: "null": field in body must be of type object: "null"'] },
  { name: 'nullable accepts null', schema: obj({ type: 'object', nullable: true }), data: { field: null }, want: [] },
  { name: 'no type accepts anything', schema: obj({ nullable: true }), data: { field: [1, 'a'] }, want: [] },
  {
    name: 'the brief: replicas as a string',
    schema: { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } } },
    data: { spec: { replicas: 'string' } },
    want: ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
  },
  { name: 'integer accepts a whole number', schema: obj({ type: 'integer' }), data: { field: 3 }, want: [] },
  { name: 'number accepts an integer', schema: obj({ type: 'number' }), data: { field: 3 }, want: [] },
  { name: 'integer refuses a fraction', schema: obj({ type: 'integer' }), data: { field: 1.5 }, want: ['field: Invalid value: "number": field in body must be of type integer: "number"'] },
  { name: 'int-or-string accepts 42', schema: obj({ 'x-kubernetes-int-or-string': true }), data: { field: 42 }, want: [] },
  { name: 'int-or-string accepts foo', schema: obj({ 'x-kubernetes-int-or-string': true }), data: { field: 'foo' }, want: [] },
  {
    name: 'int-or-string refuses a boolean',
    schema: obj({ 'x-kubernetes-int-or-string': true }),
    data: { field: true },
    want: ['field: Invalid value: "boolean": field in body must be of type integer,string: "boolean"'],
  },
  {
    name: 'int-or-string refuses null unless nullable',
    schema: obj({ 'x-kubernetes-int-or-string': true }),
    data: { field: null },
    want: ['field: Invalid value: "null": field in body must be of type integer,string: "null"'],
  },
  {
    name: 'int-or-string with the anyOf spelling',
    schema: obj({ nullable: true, 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }),
    data: { field: true },
    want: [
      '<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)',
      'field: Invalid value: "boolean": field in body must be of type integer,string: "boolean"',
      'field: Invalid value: "boolean": field in body must be of type integer: "boolean"',
    ],
  },
  {
    name: 'int-or-string with the allOf spelling',
    schema: obj({ nullable: true, 'x-kubernetes-int-or-string': true, allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }] }),
    data: { field: 1.2 },
    want: [
      '<nil>: Invalid value: "": "field" must validate all the schemas (allOf). None validated',
      '<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)',
      'field: Invalid value: "number": field in body must be of type integer,string: "number"',
      'field: Invalid value: "number": field in body must be of type integer: "number"',
    ],
  },
  {
    name: 'an invalid pattern',
    schema: obj({ type: 'string', pattern: '+' }),
    data: { field: 'foo' },
    want: ["field: Invalid value: \"foo\": field in body should match '+, but pattern is invalid: error parsing regexp: missing argument to repetition operator: `+`'"],
  },
  {
    name: 'pattern mismatch',
    schema: obj({ type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' }),
    data: { field: 'nope' },
    want: ["field: Invalid value: \"nope\": field in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'"],
  },
  {
    name: 'required fields, top and nested',
    schema: { type: 'object', required: ['field'], properties: { field: { type: 'object', required: ['nested'], properties: { nested: {} } } } },
    data: { test: 'a' },
    want: ['field: Required value'],
  },
  {
    name: 'required nested field',
    schema: { type: 'object', required: ['field'], properties: { field: { type: 'object', required: ['nested'], properties: { nested: {} } } } },
    data: { field: {} },
    want: ['field.nested: Required value'],
  },
  {
    name: 'enum and type together',
    schema: obj({
      type: 'object',
      properties: { nestedint: { type: 'integer', enum: [1, 2] }, nestedstring: { type: 'string', enum: ['a', 'b'] } },
    }),
    data: { field: { nestedint: 'x', nestedstring: true } },
    want: [
      'field.nestedint: Invalid value: "string": field.nestedint in body must be of type integer: "string"',
      'field.nestedint: Unsupported value: "x": supported values: "1", "2"',
      'field.nestedstring: Invalid value: "boolean": field.nestedstring in body must be of type string: "boolean"',
      'field.nestedstring: Unsupported value: true: supported values: "a", "b"',
    ],
  },
  { name: 'maxProperties', schema: obj({ type: 'object', maxProperties: 2 }), data: { field: { a: true, b: true, c: true } }, want: ['field: Too many: 3: must have at most 2 items'] },
  { name: 'maxItems', schema: obj({ type: 'array', maxItems: 2, items: { type: 'string' } }), data: { field: ['a', 'b', 'c'] }, want: ['field: Too many: 3: must have at most 2 items'] },
  { name: 'maxLength', schema: obj({ type: 'string', maxLength: 2 }), data: { field: 'abc' }, want: ['field: Too long: may not be more than 2 bytes'] },
  {
    name: 'minLength',
    schema: obj({ type: 'string', minLength: 4 }),
    data: { field: 'abc' },
    want: ['field: Invalid value: "abc": field in body should be at least 4 chars long'],
  },
  {
    name: 'minItems',
    schema: obj({ type: 'array', minItems: 2, items: { type: 'string' } }),
    data: { field: ['a'] },
    want: ['field: Invalid value: 1: field in body should have at least 2 items'],
  },
  {
    name: 'minimum and maximum',
    schema: { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', minimum: 1, maximum: 10 } } } } },
    data: { spec: { replicas: 11 } },
    want: ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10'],
  },
  {
    name: 'exclusive minimum',
    schema: obj({ type: 'number', minimum: 0.5, exclusiveMinimum: true }),
    data: { field: 0.5 },
    want: ['field: Invalid value: 0.5: field in body should be greater than 0.5'],
  },
  { name: 'multipleOf', schema: obj({ type: 'integer', multipleOf: 5 }), data: { field: 7 }, want: ['field: Invalid value: 7: field in body should be a multiple of 5'] },
  {
    name: 'formats: date-time',
    schema: obj({ type: 'string', format: 'date-time' }),
    data: { field: 'yesterday' },
    want: ['field: Invalid value: "yesterday": field in body must be of type date-time: "yesterday"'],
  },
  { name: 'formats: a valid date-time', schema: obj({ type: 'string', format: 'date-time' }), data: { field: '2024-02-29T10:00:00Z' }, want: [] },
  { name: 'formats: unsupported ones are ignored', schema: obj({ type: 'string', format: 'int32' }), data: { field: 'x' }, want: [] },
  {
    name: 'formats: uuid',
    schema: obj({ type: 'string', format: 'uuid' }),
    data: { field: 'not-a-uuid' },
    want: ['field: Invalid value: "not-a-uuid": field in body must be of type uuid: "not-a-uuid"'],
  },
  {
    name: 'additionalProperties: false',
    schema: obj({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }),
    data: { field: { a: 'x', b: 'y' } },
    want: ['field: Invalid value: "b": field.b in body is a forbidden property'],
  },
  {
    name: 'additionalProperties schema validates map values',
    schema: obj({ type: 'object', additionalProperties: { type: 'integer' } }),
    data: { field: { a: 1, b: 'two' } },
    want: ['field.b: Invalid value: "string": field.b in body must be of type integer: "string"'],
  },
  {
    name: 'list items are indexed',
    schema: obj({ type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } }),
    data: { field: [{ port: 1 }, { port: 'x' }] },
    want: ['field[1].port: Invalid value: "string": field[1].port in body must be of type integer: "string"'],
  },
  {
    name: 'oneOf with none valid',
    schema: obj({ type: 'string', oneOf: [{ pattern: '^a' }, { pattern: '^b' }] }),
    data: { field: 'c' },
    want: [
      '<nil>: Invalid value: "": "field" must validate one and only one schema (oneOf). Found none valid',
      "field: Invalid value: \"c\": field in body should match '^a'",
    ],
  },
  {
    name: 'not',
    schema: obj({ type: 'string', not: { pattern: '^forbidden' } }),
    data: { field: 'forbidden-value' },
    want: ['<nil>: Invalid value: "": "field" must not validate the schema (not)'],
  },
  {
    name: 'object values print as Go interface maps',
    schema: obj({ type: 'object', properties: { mode: { type: 'string', enum: ['a'] } } }),
    data: { field: { mode: { x: 'y' } } },
    want: [
      'field.mode: Invalid value: "object": field.mode in body must be of type string: "object"',
      'field.mode: Unsupported value: map[string]interface {}{"x":"y"}: supported values: "a"',
    ],
  },
];

describe('validateAgainstSchema', () => {
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(c.schema, c.data), [...c.want].sort()));
  }

  it('prefixes the status subresource path, leaving the message relative as upstream does', () => {
    const status: JSONSchemaProps = { type: 'object', properties: { num: { type: 'integer', maximum: 10 } } };
    assert.deepEqual(messages(status, { num: 15 }, { fldPath: 'status' }), ['status.num: Invalid value: 15: num in body should be less than or equal to 10']);
  });

  it('ratchets: an unchanged invalid value is not held against an update', () => {
    const schema = obj({ type: 'string', maxLength: 2 });
    assert.deepEqual(messages(schema, { field: 'abc' }, { old: { field: 'abc' } }), []);
    assert.deepEqual(messages(schema, { field: 'abcd' }, { old: { field: 'abc' } }), ['field: Too long: may not be more than 2 bytes']);
  });

  it('ratchets map-list items correlated by their keys', () => {
    const schema = obj({
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string', maxLength: 1 } } },
    });
    const old = { field: [{ name: 'a', value: 'long' }] };
    assert.deepEqual(messages(schema, { field: [{ name: 'b', value: 'x' }, { name: 'a', value: 'long' }] }, { old }), []);
    assert.deepEqual(messages(schema, { field: [{ name: 'a', value: 'longer' }] }, { old }), ['field[0].value: Too long: may not be more than 1 bytes']);
  });
});
