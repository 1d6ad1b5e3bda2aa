// The isolated runtime's records of sandboxes and containers: one JSON file each under the data directory, written atomically, read back after a restart.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(value, null, 1));
  await rename(tmp, file);
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** Every `<dir>/<id>/<name>` record. */
export async function readAll<T>(dir: string, name: string): Promise<T[]> {
  const out: T[] = [];
  for (const id of await readdir(dir).catch(() => [] as string[])) {
    const rec = await readJson<T>(join(dir, id, name));
    if (rec) out.push(rec);
  }
  return out;
}
