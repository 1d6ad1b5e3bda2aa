// The SchemaProvider of built-in kinds, backed by the definitions generated from upstream's OpenAPI.
import { definitionFor, definitionsForGroupVersion } from '../../api/schema/definitions.ts';
import { typeErrors, unknownFields } from '../../api/schema/unknown-fields.ts';
import { patchMetaFor } from '../../api/schema/patch-meta.ts';
import { omitEmpty } from '../../api/schema/omit-empty.ts';
import type { PatchMeta } from '../../machinery/patch-meta.ts';
import type { SchemaProvider } from './schema-provider.ts';

export class BuiltinSchemas implements SchemaProvider {
  readonly #group: string;
  readonly #kind: string;

  constructor(group: string, kind: string) {
    this.#group = group;
    this.#kind = kind;
  }

  #name(version: string): string | undefined {
    return definitionFor(this.#group, version, this.#kind);
  }

  unknownFields(version: string, obj: unknown): string[] {
    const n = this.#name(version);
    return n ? unknownFields(obj, n) : [];
  }

  typeError(version: string, obj: unknown): string | undefined {
    const n = this.#name(version);
    return n ? typeErrors(obj, n)[0]?.message : undefined;
  }

  normalize(version: string, obj: unknown): void {
    const n = this.#name(version);
    if (n) omitEmpty(obj, n);
  }

  patchMeta(version: string): PatchMeta | undefined {
    const n = this.#name(version);
    return n ? patchMetaFor(n) : undefined;
  }

  openapi(version: string): { name: string; schemas: Record<string, unknown> } | undefined {
    const n = this.#name(version);
    return n ? { name: n, schemas: definitionsForGroupVersion(this.#group, version) } : undefined;
  }
}
