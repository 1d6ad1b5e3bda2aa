// What strategic merge patch needs to know about a field: its shape, merge key and patch strategies.

export interface PatchMeta {
  /** object: fixed fields; map: free keys (values described by `items`); list; primitive (atomic). */
  readonly kind: 'object' | 'map' | 'list' | 'primitive';
  /** For lists: the key that identifies elements (`name` for containers); absent for primitive or atomic lists. */
  readonly mergeKey?: string;
  /** From x-kubernetes-patch-strategy: e.g. ['merge'], ['merge', 'retainKeys'], ['replace'], ['retainKeys']. */
  readonly strategies: readonly string[];
  /** Element meta for lists, value meta for maps. */
  readonly items?: PatchMeta;
  /** Meta of a named field of an object; undefined when unknown (then the field is merged as a plain map). */
  field(name: string): PatchMeta | undefined;
}

/** Meta for values the schema knows nothing about: objects merge key by key, lists are replaced. */
export const unknownPatchMeta: PatchMeta = {
  kind: 'map',
  strategies: [],
  field: () => undefined,
};
