// Go's `%#v` of the internal CRD types, which upstream prints as the bad value of some CRD validation errors.
import { GoRepr, goFloat, goInterfaceRepr, goQuote } from '../../../../machinery/field-errors.ts';
import { goPointerPlaceholder } from '../../../../machinery/meta-validation.ts';
import type { JSONSchemaProps, ValidationRule } from '../../../crd/json-schema.ts';
import type { ColumnDefinition, CRDVersion, SelectableField } from './types.ts';

const pkg = 'apiextensions';
const ptr = (type: string, present: boolean) => `(*${type})(${present ? goPointerPlaceholder : 'nil'})`;
const str = (s: string | undefined) => goQuote(s ?? '');
const strSlice = (v: string[] | undefined) => (v ? `[]string{${v.map(goQuote).join(', ')}}` : '[]string(nil)');

function slice<T>(type: string, items: T[] | undefined, one: (x: T) => string): string {
  if (!items) return `[]${type}(nil)`;
  return `[]${type}{${items.map(one).join(', ')}}`;
}

function column(c: ColumnDefinition): string {
  return `${pkg}.CustomResourceColumnDefinition{Name:${str(c.name)}, Type:${str(c.type)}, Format:${str(c.format)}, Description:${str(c.description)}, Priority:${c.priority ?? 0}, JSONPath:${str(c.jsonPath)}}`;
}

function selectable(f: SelectableField): string {
  return `${pkg}.SelectableField{JSONPath:${str(f.jsonPath)}}`;
}

function version(v: CRDVersion): string {
  return (
    `${pkg}.CustomResourceDefinitionVersion{Name:${str(v.name)}, Served:${!!v.served}, Storage:${!!v.storage}, Deprecated:${!!v.deprecated}, ` +
    `DeprecationWarning:${ptr('string', v.deprecationWarning !== undefined)}, Schema:${ptr(`${pkg}.CustomResourceValidation`, v.schema !== undefined)}, ` +
    `Subresources:${ptr(`${pkg}.CustomResourceSubresources`, v.subresources !== undefined)}, ` +
    `AdditionalPrinterColumns:${slice(`${pkg}.CustomResourceColumnDefinition`, v.additionalPrinterColumns, column)}, ` +
    `SelectableFields:${slice(`${pkg}.SelectableField`, v.selectableFields, selectable)}}`
  );
}

/** `[]apiextensions.CustomResourceDefinitionVersion{…}` of the internal versions. */
export function goVersions(versions: CRDVersion[] | undefined): GoRepr {
  return new GoRepr(slice(`${pkg}.CustomResourceDefinitionVersion`, versions, version));
}

function schemaMap(m: Record<string, JSONSchemaProps> | undefined, type: string): string {
  if (!m) return `${type}(nil)`;
  const keys = Object.keys(m).sort();
  return `${type}{${keys.map((k) => `${goQuote(k)}:${schemaProps(m[k])}`).join(', ')}}`;
}

function rule(r: ValidationRule): string {
  return `${pkg}.ValidationRule{Rule:${str(r.rule)}, Message:${str(r.message)}, MessageExpression:${str(r.messageExpression)}, Reason:${ptr(`${pkg}.FieldValueErrorReason`, r.reason !== undefined)}, FieldPath:${str(r.fieldPath)}, OptionalOldSelf:${ptr('bool', r.optionalOldSelf !== undefined)}}`;
}

function schemaProps(s: JSONSchemaProps): string {
  const p = (type: string, v: unknown) => ptr(type, v !== undefined && v !== null);
  const props = [
    `ID:${str(s.id)}`,
    `Schema:${str(s.$schema)}`,
    `Ref:${p('string', s.$ref)}`,
    `Description:${str(s.description)}`,
    `Type:${str(s.type)}`,
    `Nullable:${!!s.nullable}`,
    `Format:${str(s.format)}`,
    `Title:${str(s.title)}`,
    `Default:${p(`${pkg}.JSON`, s.default)}`,
    `Maximum:${p('float64', s.maximum)}`,
    `ExclusiveMaximum:${!!s.exclusiveMaximum}`,
    `Minimum:${p('float64', s.minimum)}`,
    `ExclusiveMinimum:${!!s.exclusiveMinimum}`,
    `MaxLength:${p('int64', s.maxLength)}`,
    `MinLength:${p('int64', s.minLength)}`,
    `Pattern:${str(s.pattern)}`,
    `MaxItems:${p('int64', s.maxItems)}`,
    `MinItems:${p('int64', s.minItems)}`,
    `UniqueItems:${!!s.uniqueItems}`,
    `MultipleOf:${p('float64', s.multipleOf)}`,
    `Enum:${slice(`${pkg}.JSON`, s.enum, (x) => goInterfaceRepr(x))}`,
    `MaxProperties:${p('int64', s.maxProperties)}`,
    `MinProperties:${p('int64', s.minProperties)}`,
    `Required:${strSlice(s.required)}`,
    `Items:${p(`${pkg}.JSONSchemaPropsOrArray`, s.items)}`,
    `AllOf:${slice(`${pkg}.JSONSchemaProps`, s.allOf, schemaProps)}`,
    `OneOf:${slice(`${pkg}.JSONSchemaProps`, s.oneOf, schemaProps)}`,
    `AnyOf:${slice(`${pkg}.JSONSchemaProps`, s.anyOf, schemaProps)}`,
    `Not:${p(`${pkg}.JSONSchemaProps`, s.not)}`,
    `Properties:${schemaMap(s.properties, `map[string]${pkg}.JSONSchemaProps`)}`,
    `AdditionalProperties:${p(`${pkg}.JSONSchemaPropsOrBool`, s.additionalProperties)}`,
    `PatternProperties:${schemaMap(s.patternProperties, `map[string]${pkg}.JSONSchemaProps`)}`,
    `Dependencies:${s.dependencies ? `${pkg}.JSONSchemaDependencies{…}` : `${pkg}.JSONSchemaDependencies(nil)`}`,
    `AdditionalItems:${p(`${pkg}.JSONSchemaPropsOrBool`, s.additionalItems)}`,
    `Definitions:${schemaMap(s.definitions, `${pkg}.JSONSchemaDefinitions`)}`,
    `ExternalDocs:${p(`${pkg}.ExternalDocumentation`, s.externalDocs)}`,
    `Example:${p(`${pkg}.JSON`, s.example)}`,
    `XPreserveUnknownFields:${p('bool', s['x-kubernetes-preserve-unknown-fields'])}`,
    `XEmbeddedResource:${!!s['x-kubernetes-embedded-resource']}`,
    `XIntOrString:${!!s['x-kubernetes-int-or-string']}`,
    `XListMapKeys:${strSlice(s['x-kubernetes-list-map-keys'])}`,
    `XListType:${p('string', s['x-kubernetes-list-type'])}`,
    `XMapType:${p('string', s['x-kubernetes-map-type'])}`,
    `XValidations:${s['x-kubernetes-validations'] ? `${pkg}.ValidationRules{${s['x-kubernetes-validations'].map(rule).join(', ')}}` : `${pkg}.ValidationRules(nil)`}`,
  ];
  return `${pkg}.JSONSchemaProps{${props.join(', ')}}`;
}

/** `apiextensions.JSONSchemaProps{…}` of a schema node. */
export function goSchemaProps(s: JSONSchemaProps): GoRepr {
  return new GoRepr(schemaProps(s));
}

/** Go's `%v` of a float64 limit, for messages. */
export const goNumber = (n: number) => (Number.isInteger(n) ? String(n) : goFloat(n));
