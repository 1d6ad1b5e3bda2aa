// Writes projected files (configMap, secret, downwardAPI, projected volumes) so readers never see a half-updated set: the `..data` symlink swap.
import { randomBytes } from 'node:crypto';
import { chmod, chown, lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';

export interface FileProjection {
  data: Buffer;
  mode: number;
}

export type Payload = Map<string, FileProjection>;

const dataDirName = '..data';
const newDataDirName = '..data_tmp';

/** A payload path that would escape the volume or clash with the writer's own entries. */
export class PayloadPathError extends Error {
  readonly code = 'NODE_ERR_PAYLOAD_PATH';
}

/** validatePath: relative, no `..` element, not starting with `..`. */
function validatePath(p: string): void {
  if (!p) throw new PayloadPathError('invalid path: must not be empty');
  if (p.startsWith('/')) throw new PayloadPathError(`invalid path: must be relative path: ${p}`);
  if (p.split('/').includes('..')) throw new PayloadPathError(`invalid path: must not contain '..': ${p}`);
  if (p.startsWith('..')) throw new PayloadPathError(`invalid path: must not start with '..': ${p}`);
}

/** `..2025_01_31_12_00_00.` + random digits, as Go's MkdirTemp with the writer's time pattern. */
function tsDirName(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}`;
  return `..${stamp}.${randomBytes(4).readUInt32BE()}`;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Whether the files under `dir` are exactly the payload (bytes and modes). */
async function samePayload(dir: string, payload: Payload): Promise<boolean> {
  const present = new Set<string>();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else present.add(r);
    }
  };
  try {
    await walk('');
  } catch {
    return false;
  }
  if (present.size !== payload.size) return false;
  for (const [p, f] of payload) {
    if (!present.has(p)) return false;
    const full = join(dir, p);
    const st = await stat(full);
    if ((st.mode & 0o7777) !== f.mode) return false;
    if (!(await readFile(full)).equals(f.data)) return false;
  }
  return true;
}

export interface WriteOptions {
  /** fsGroup: files get this group and group read permission. */
  fsGroup?: number;
}

/** The top-level names the payload shows to users (`a` for `a/b/c`). */
const topLevel = (payload: Payload): Set<string> => new Set([...payload.keys()].map((p) => p.split('/')[0]));

/**
 * AtomicWriter.Write: when the payload changed, writes it to a fresh timestamped directory, points `..data_tmp` at it,
 * renames that over `..data` (one atomic step), adds symlinks `name -> ..data/name` for the payload's top-level names,
 * removes the ones no longer in it and deletes the old directory. Returns whether anything was written.
 */
export async function writeAtomically(targetDir: string, input: Payload, opts: WriteOptions = {}): Promise<boolean> {
  const payload: Payload = new Map();
  for (const [p, f] of input) {
    validatePath(p);
    const clean = normalize(p).split(sep).join('/');
    const mode = opts.fsGroup !== undefined ? f.mode | 0o440 : f.mode;
    payload.set(clean, { data: f.data, mode });
  }
  await mkdir(targetDir, { recursive: true, mode: 0o755 });
  const dataLink = join(targetDir, dataDirName);
  let oldTsName: string | undefined;
  try {
    oldTsName = await readlink(dataLink);
  } catch {
    oldTsName = undefined;
  }
  const oldTsDir = oldTsName ? join(targetDir, oldTsName) : undefined;
  const wanted = topLevel(payload);

  let wrote = false;
  if (!oldTsDir || !(await samePayload(oldTsDir, payload))) {
    const tsName = tsDirName();
    const tsDir = join(targetDir, tsName);
    await mkdir(tsDir, { mode: 0o755 });
    await chmod(tsDir, 0o755);
    for (const [p, f] of payload) {
      const full = join(tsDir, p);
      await mkdir(dirname(full), { recursive: true, mode: 0o755 });
      await writeFile(full, f.data);
      await chmod(full, f.mode);
      if (opts.fsGroup !== undefined) await chown(full, -1, opts.fsGroup).catch(() => undefined);
    }
    const tmpLink = join(targetDir, newDataDirName);
    await rm(tmpLink, { force: true });
    await symlink(tsName, tmpLink);
    await rename(tmpLink, dataLink);
    wrote = true;
  }

  for (const name of wanted) {
    const link = join(targetDir, name);
    if (!(await exists(link))) await symlink(join(dataDirName, name), link);
  }
  for (const e of await readdir(targetDir, { withFileTypes: true })) {
    if (e.name.startsWith('..') || wanted.has(e.name)) continue;
    if (e.isSymbolicLink()) await unlink(join(targetDir, e.name));
  }
  if (wrote && oldTsDir) await rm(oldTsDir, { recursive: true, force: true });
  return wrote;
}
