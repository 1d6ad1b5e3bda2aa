// Upstream defaulting and conversion for core/v1 Secrets: type Opaque, and stringData folded into data.
import type { KObject } from '../../../registry/kobject.ts';

/** SetDefaults_Secret, then what the v1 → internal conversion does with stringData, in place. */
export function setDefaults(secret: KObject): void {
  if (!secret.type) secret.type = 'Opaque';
  mergeStringData(secret);
}

/**
 * Writes each stringData entry over data (base64 of its UTF-8 bytes) and removes stringData: the internal
 * Secret has no such field, so upstream never stores or returns it.
 */
export function mergeStringData(secret: KObject): void {
  const stringData: unknown = secret.stringData;
  if (stringData !== null && typeof stringData === 'object' && !Array.isArray(stringData)) {
    const entries = Object.entries(stringData as Record<string, unknown>);
    if (entries.length > 0) {
      if (secret.data === null || typeof secret.data !== 'object') secret.data = {};
      for (const [k, v] of entries) secret.data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
    }
  }
  delete secret.stringData;
}
