// What the server needs to know about a kind's schema; built-in kinds use the generated definitions, CRDs their own.
import type { PatchMeta } from '../../machinery/patch-meta.ts';

export interface SchemaProvider {
  /** Paths of fields the schema does not declare, in upstream's strict-decoding notation. */
  unknownFields(version: string, obj: unknown): string[];
  /** The first decoding type error as upstream words it, or undefined. */
  typeError(version: string, obj: unknown): string | undefined;
  /** Normalises the decoded object in place (omitempty for Go types; pruning and defaults for CRDs). */
  normalize(version: string, obj: unknown): void;
  /** Strategic-merge metadata; undefined means strategic merge patch is not supported (CRDs: 415). */
  patchMeta(version: string): PatchMeta | undefined;
  /**
   * OpenAPI v3 component schemas for the kind in `version`: the name of its own schema plus every schema
   * it needs (for `/openapi/v3/<group-version>` and `kubectl explain`).
   */
  openapi(version: string): { name: string; schemas: Record<string, unknown> } | undefined;
}
