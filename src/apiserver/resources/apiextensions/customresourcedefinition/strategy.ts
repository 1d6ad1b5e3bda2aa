// The CustomResourceDefinition kind's strategy: defaults, status reset, generation, stored versions, validation, deletion.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { jsonEqual } from '../../../crd/json-schema.ts';
import { setDefaults } from './defaults.ts';
import { setCondition } from './conditions.ts';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate, validateStatus } from './validation.ts';
import { customResourceCleanupFinalizer, type CustomResourceDefinition } from './types.ts';

function recordStorageVersion(crd: CustomResourceDefinition): void {
  const storage = crd.spec?.versions?.find((v) => v.storage);
  if (!storage?.name) return;
  const status = (crd.status ??= {});
  const stored = (status.storedVersions ??= []);
  if (!stored.includes(storage.name)) stored.push(storage.name);
}

export const strategy: Strategy = {
  defaults: (obj) => setDefaults(obj as CustomResourceDefinition),
  prepareForCreate(obj: KObject) {
    const crd = obj as CustomResourceDefinition;
    // Upstream resets status; its acceptedNames has plural and kind without omitempty.
    crd.status = { acceptedNames: { plural: '', kind: '' } };
    crd.metadata.generation = 1;
    recordStorageVersion(crd);
  },
  prepareForUpdate(obj: KObject, old: KObject) {
    const crd = obj as CustomResourceDefinition;
    crd.status = structuredClone(old.status);
    const generation = old.metadata.generation ?? 1;
    crd.metadata.generation = jsonEqual(JSON.parse(JSON.stringify(crd.spec ?? {})), JSON.parse(JSON.stringify(old.spec ?? {}))) ? generation : generation + 1;
    recordStorageVersion(crd);
  },
  validate: (obj) => validateCustomResourceDefinition(obj as CustomResourceDefinition),
  validateUpdate: (obj, old) => validateCustomResourceDefinitionUpdate(obj as CustomResourceDefinition, old as CustomResourceDefinition),
  // ValidateUpdateCustomResourceDefinitionStatus: a status write cannot change the spec, so only accepted names are checked.
  validateStatusUpdate: (obj) => validateStatus(obj as CustomResourceDefinition),
  prepareForDelete(obj: KObject) {
    const crd = obj as CustomResourceDefinition;
    const finalizers = (crd.metadata.finalizers ??= []);
    if (!finalizers.includes(customResourceCleanupFinalizer)) finalizers.push(customResourceCleanupFinalizer);
    setCondition(crd, {
      type: 'Terminating',
      status: 'True',
      reason: 'InstanceDeletionPending',
      message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
    });
  },
};
