// Field ownership (metadata.managedFields) and server-side apply, behind one small interface the handlers call.
import type { KObject } from '../registry/kobject.ts';

export interface FieldManager {
  /**
   * Records that `manager` wrote `obj` over `live` (operation Update; `subresource` 'status' for status writes)
   * and returns `obj` with its managedFields updated. `live` is undefined on create.
   */
  update(live: KObject | undefined, obj: KObject, manager: string, subresource?: string): KObject;
  /**
   * Server-side apply of `config` by `manager` over `live` (undefined: the object is created). Throws a
   * 409 Conflict StatusError naming the conflicting managers and fields unless `force`. `subresource` is
   * 'status' for `kubectl apply --subresource=status`.
   */
  apply(live: KObject | undefined, config: KObject, manager: string, force: boolean, subresource?: string): KObject;
}

/** Keeps managedFields as the client sent them; the stand-in until field tracking is wired for every kind. */
export const passThroughFieldManager: FieldManager = {
  update: (_live, obj) => obj,
  apply: (_live, config) => config,
};
