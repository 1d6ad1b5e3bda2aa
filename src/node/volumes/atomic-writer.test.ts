import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomically, type Payload } from './atomic-writer.ts';

const payload = (entries: Record<string, [string, number]>): Payload =>
  new Map(Object.entries(entries).map(([k, [d, mode]]) => [k, { data: Buffer.from(d), mode }]));

test('files appear through ..data, an update swaps the whole set and drops removed names', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.equal(await writeAtomically(dir, payload({ 'app.yaml': ['v: 1\n', 0o644], 'nested/deep.txt': ['x', 0o400] })), true);
  const first = await readlink(join(dir, '..data'));
  assert.match(first, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
  assert.equal(await readlink(join(dir, 'app.yaml')), '..data/app.yaml');
  assert.equal(await readlink(join(dir, 'nested')), '..data/nested');
  assert.equal(await readFile(join(dir, 'app.yaml'), 'utf8'), 'v: 1\n');
  assert.equal((await stat(join(dir, 'nested/deep.txt'))).mode & 0o777, 0o400);

  assert.equal(await writeAtomically(dir, payload({ 'app.yaml': ['v: 1\n', 0o644], 'nested/deep.txt': ['x', 0o400] })), false, 'same payload: nothing written');
  assert.equal(await readlink(join(dir, '..data')), first);

  assert.equal(await writeAtomically(dir, payload({ 'app.yaml': ['v: 2\n', 0o644] })), true);
  const second = await readlink(join(dir, '..data'));
  assert.notEqual(second, first);
  assert.equal(await readFile(join(dir, 'app.yaml'), 'utf8'), 'v: 2\n');
  const names = (await readdir(dir)).sort();
  assert.deepEqual(names, ['..data', second, 'app.yaml'].sort());
});

test('paths that escape the volume are refused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const bad of ['../x', '/etc/passwd', '..hidden', 'a/../../b']) {
    await assert.rejects(writeAtomically(dir, payload({ [bad]: ['x', 0o644] })), /invalid path/);
  }
});
