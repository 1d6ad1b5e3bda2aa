// The ServiceAccount strategy: secret references reduced to names, and the mountable-secrets deprecation warning.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { printer } from './columns.ts';

const enforceMountableSecrets = 'kubernetes.io/enforce-mountable-secrets';

/** cleanSecretReferences: a ServiceAccount's secrets are referred to by name only. */
function cleanSecretReferences(sa: KObject): void {
  if (!Array.isArray(sa.secrets)) return;
  sa.secrets = sa.secrets.map((ref: unknown) => {
    const name = ref !== null && typeof ref === 'object' ? (ref as { name?: unknown }).name : undefined;
    return typeof name === 'string' && name !== '' ? { name } : {};
  });
}

export const strategy: Strategy = {
  prepareForCreate: cleanSecretReferences,
  prepareForUpdate: (sa: KObject) => cleanSecretReferences(sa),
  warnings(sa: KObject): string[] {
    if (sa.metadata.annotations && enforceMountableSecrets in sa.metadata.annotations) {
      return [
        `metadata.annotations[${enforceMountableSecrets}]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets`,
      ];
    }
    return [];
  },
  nameValidation: 'dns1123Subdomain',
  printer,
};
