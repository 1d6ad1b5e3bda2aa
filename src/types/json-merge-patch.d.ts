// Type declarations for the json-merge-patch package (RFC 7386), which ships none.
declare module 'json-merge-patch' {
  export function apply(target: unknown, patch: unknown): any;
  export function generate(before: unknown, after: unknown): unknown;
  export function merge(a: unknown, b: unknown): unknown;
  const jsonMergePatch: { apply: typeof apply; generate: typeof generate; merge: typeof merge };
  export default jsonMergePatch;
}
