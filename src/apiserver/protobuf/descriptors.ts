// The shape of descriptors.json: Kubernetes protobuf messages with the JSON names and Go field shapes of their fields.
import { readFileSync } from 'node:fs';

/**
 * How a field is held in the Go struct, which decides what its JSON looks like when unset:
 * `v` a value (zero value when absent), `p` a pointer (nil), `s` a slice (nil), `m` a map (nil), `b` a []byte (nil).
 * Then `o` when the JSON tag says omitempty and `i` when the field is inlined (`json:",inline"`).
 */
export type FieldFlags = string;

/** `[protobuf field number, JSON name, value type, flags, map key type]`; types are proto scalars or message names. */
export type FieldDescriptor = [number: number, json: string, type: string, flags: FieldFlags, key?: string];

/** A message's fields in Go struct order, or a Go named slice (`type ExtraValue []string`) wrapped as `{ items }`. */
export type MessageDescriptor = FieldDescriptor[] | { items: string };

export interface ProtobufDescriptors {
  /** Where the descriptors were generated from (tags of kubernetes/api and kubernetes/apimachinery). */
  source: string;
  /** `apiVersion/kind` (core kinds as `v1/Pod`) → message name. */
  kinds: Record<string, string>;
  messages: Record<string, MessageDescriptor>;
}

/** Reads the committed descriptor file; called once, on the first protobuf request, to keep start-up fast. */
export function loadDescriptors(): ProtobufDescriptors {
  return JSON.parse(readFileSync(new URL('./descriptors.json', import.meta.url), 'utf8')) as ProtobufDescriptors;
}
