// The JSON file that describes one image in the store (`<data-dir>/images/<repository>/<tag>.json`), readable by any tool.

export const IMAGE_API_VERSION = 'dabba.dev/v1alpha1';

export class InvalidImageRecordError extends Error {
  readonly code = 'NODE_ERR_INVALID_IMAGE_RECORD';
}

export interface ImageRecordMount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

/**
 * One image: a root filesystem (`/` is the host's own root, read-only) plus what a container starts with.
 * Example: {"apiVersion":"dabba.dev/v1alpha1","kind":"Image","repository":"shop/orders","tag":"1.0","rootfs":"/",
 *   "mounts":[{"hostPath":"/src/orders","containerPath":"/app","readOnly":true}],"entrypoint":[],"cmd":["node","server.js"],
 *   "workingDir":"/app","env":{"PORT":"8080"},"user":0}
 */
export interface ImageRecord {
  apiVersion: typeof IMAGE_API_VERSION;
  kind: 'Image';
  /** The familiar repository: `shop/orders`, `ghcr.io/acme/api`. */
  repository: string;
  tag: string;
  rootfs: string;
  mounts: ImageRecordMount[];
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  env: Record<string, string>;
  user: number;
  /** Free text shown by `dabba image ls` (where a built-in image comes from, what it lacks). */
  description?: string;
  createdAt?: string;
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

/** Checks a record read from disk or given to the API; the message names the first bad field. */
export function validateImageRecord(v: unknown): ImageRecord {
  const bad = (field: string, want: string) => new InvalidImageRecordError(`image record: ${field} must be ${want}`);
  if (typeof v !== 'object' || v === null) throw bad('the record', 'a JSON object');
  const r = v as Record<string, unknown>;
  if (r.apiVersion !== IMAGE_API_VERSION) throw bad('apiVersion', `"${IMAGE_API_VERSION}"`);
  if (r.kind !== 'Image') throw bad('kind', '"Image"');
  if (typeof r.repository !== 'string' || !r.repository) throw bad('repository', 'a non-empty string');
  if (typeof r.tag !== 'string' || !r.tag) throw bad('tag', 'a non-empty string');
  if (typeof r.rootfs !== 'string' || !r.rootfs.startsWith('/')) throw bad('rootfs', 'an absolute path');
  if (!Array.isArray(r.mounts)) throw bad('mounts', 'a list');
  for (const [i, m] of (r.mounts as unknown[]).entries()) {
    const mm = m as Record<string, unknown>;
    if (typeof mm?.hostPath !== 'string' || !mm.hostPath.startsWith('/')) throw bad(`mounts[${i}].hostPath`, 'an absolute path');
    if (typeof mm.containerPath !== 'string' || !mm.containerPath.startsWith('/')) throw bad(`mounts[${i}].containerPath`, 'an absolute path');
    if (typeof mm.readOnly !== 'boolean') throw bad(`mounts[${i}].readOnly`, 'true or false');
  }
  if (!strings(r.entrypoint)) throw bad('entrypoint', 'a list of strings');
  if (!strings(r.cmd)) throw bad('cmd', 'a list of strings');
  if (typeof r.workingDir !== 'string' || (r.workingDir !== '' && !r.workingDir.startsWith('/'))) throw bad('workingDir', 'an absolute path or ""');
  if (typeof r.env !== 'object' || r.env === null || Object.values(r.env).some((x) => typeof x !== 'string')) throw bad('env', 'an object of strings');
  if (typeof r.user !== 'number' || !Number.isInteger(r.user) || r.user < 0) throw bad('user', 'a uid (a whole number ≥ 0)');
  return r as unknown as ImageRecord;
}
