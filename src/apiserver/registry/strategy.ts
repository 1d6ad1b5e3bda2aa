// A kind's behaviour as data plus pure functions: defaulting, preparation, validation and printing.
import type { FieldError } from '../../machinery/field-errors.ts';
import type { KObject } from './kobject.ts';
import type { Printer } from './table.ts';

export type NameValidation = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label' | 'pathSegment';

export interface Strategy {
  /** Upstream defaulting, in place; runs on every write after decoding (create, update, patch result). */
  defaults?(obj: KObject): void;
  /** Resets what a client may not set on create (e.g. status), sets generation. */
  prepareForCreate?(obj: KObject): void;
  /** Carries over what a client may not change on update (e.g. status on the main resource). */
  prepareForUpdate?(obj: KObject, old: KObject): void;
  /**
   * A write through /status starts from the stored object with the request's status; this carries over what else
   * upstream's status strategy lets such a write change (a Deployment's annotations: its controller records the
   * revision that way).
   */
  prepareForStatusUpdate?(merged: KObject, request: KObject): void;
  validate?(obj: KObject): FieldError[];
  validateUpdate?(obj: KObject, old: KObject): FieldError[];
  /** A write through /status, as upstream's status strategy validates it (only what it may change); absent: validateUpdate. */
  validateStatusUpdate?(obj: KObject, old: KObject): FieldError[];
  /**
   * The first delete request of an object not yet being deleted: may add finalizers or conditions in place
   * (a CustomResourceDefinition adds its cleanup finalizer, so it stays until its custom resources are gone).
   */
  prepareForDelete?(obj: KObject): void;
  /** Non-fatal remarks returned as `Warning` headers. */
  warnings?(obj: KObject, old?: KObject): string[];
  /** Which name rule metadata.name must follow; default dns1123Subdomain. */
  nameValidation?: NameValidation;
  printer?: Printer;
  /**
   * Kinds deleted gracefully (pods): the grace period in seconds for a delete with `requested` (the
   * DeleteOptions' gracePeriodSeconds, if any); 0 deletes at once, as upstream's CheckGracefulDelete.
   */
  gracefulDeleteSeconds?(obj: KObject, requested: number | undefined): number;
  /** Extra field-selector fields beyond metadata.name / metadata.namespace. */
  selectableFields?(obj: KObject): Record<string, string>;
}

/** Hooks with side effects outside the object (address allocation); `undo` runs if the write then fails. */
export interface ResourceHooks {
  /** Rebuilds in-memory state (allocation tables) from the stored objects at start. */
  load?(items: KObject[]): void;
  beforeCreate?(obj: KObject): Promise<Undo> | Undo;
  beforeUpdate?(obj: KObject, old: KObject): Promise<Undo> | Undo;
  afterDelete?(obj: KObject): void;
}

export interface Undo {
  commit(): void;
  rollback(): void;
}
