// What serving one CustomResourceDefinition needs, read once from the CRD: names, scope and each version's settings.
import type { JSONSchemaProps } from './json-schema.ts';
import { isStructural } from './structural.ts';
import type {
  ColumnDefinition,
  CRDNames,
  CustomResourceDefinition,
  SelectableField,
  Subresources,
} from '../resources/apiextensions/customresourcedefinition/types.ts';

export interface VersionModel {
  name: string;
  served: boolean;
  storage: boolean;
  /** The version's openAPIV3Schema, when it has one. */
  schema?: JSONSchemaProps;
  /** Whether the schema is structural (only structural schemas are published in OpenAPI). */
  readonly structural: boolean;
  subresources?: Subresources;
  columns?: ColumnDefinition[];
  selectableFields?: SelectableField[];
  /** The Warning header every request to this version gets, when the version is deprecated. */
  deprecationWarning?: string;
}

export interface CustomResourceModel {
  crdName: string;
  group: string;
  /** The accepted names (status.acceptedNames) the resource is served under. */
  names: Required<Pick<CRDNames, 'plural' | 'singular' | 'kind' | 'listKind'>> & Pick<CRDNames, 'shortNames' | 'categories'>;
  namespaced: boolean;
  versions: VersionModel[];
  storageVersion: string;
  preserveUnknownFields: boolean;
}

/** The model of a CRD served under `names` (its accepted names), or undefined when it has no storage version. */
export function customResourceModel(crd: CustomResourceDefinition, names: CRDNames): CustomResourceModel | undefined {
  const spec = crd.spec ?? {};
  const group = spec.group ?? '';
  const versions: VersionModel[] = (spec.versions ?? []).map((v) => {
    const schema = v.schema?.openAPIV3Schema;
    let structural: boolean | undefined;
    const model: VersionModel = {
      name: v.name ?? '',
      served: v.served === true,
      storage: v.storage === true,
      schema,
      // Walking a large schema (Istio's run to hundreds of KiB) takes milliseconds: done when OpenAPI first asks.
      get structural() {
        return (structural ??= schema !== undefined && isStructural(schema));
      },
      subresources: v.subresources,
      columns: v.additionalPrinterColumns,
      selectableFields: v.selectableFields,
    };
    if (v.deprecated) model.deprecationWarning = v.deprecationWarning ?? `${group}/${v.name} ${names.kind} is deprecated`;
    return model;
  });
  const storage = versions.find((v) => v.storage);
  if (!storage || !names.plural || !names.kind) return undefined;
  return {
    crdName: crd.metadata.name ?? '',
    group,
    names: {
      plural: names.plural,
      singular: names.singular || names.kind.toLowerCase(),
      kind: names.kind,
      listKind: names.listKind || `${names.kind}List`,
      shortNames: names.shortNames,
      categories: names.categories,
    },
    namespaced: spec.scope === 'Namespaced',
    versions,
    storageVersion: storage.name,
    preserveUnknownFields: spec.preserveUnknownFields === true,
  };
}

export function versionOf(m: CustomResourceModel, version: string): VersionModel | undefined {
  return m.versions.find((v) => v.name === version);
}
