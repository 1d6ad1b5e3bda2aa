import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { imageCommand } from './image.ts';

describe('dabba image', () => {
  let dataDir: string;
  let project: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dabba-image-cli-'));
    project = join(dataDir, 'orders');
    await mkdir(project);
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('adds a project image with everything after --cmd as its command', async () => {
    const out = await imageCommand(['add', 'shop/orders:1.0', '--from', project, '--env', 'PORT=8080', '--user', '1000', '--cmd', 'node', 'server.js', '--port', '8080'], dataDir);
    assert.match(out, /^image shop\/orders:1\.0 registered/);
    const rec = JSON.parse(await readFile(join(dataDir, 'images', 'shop', 'orders', '1.0.json'), 'utf8'));
    assert.deepEqual(rec.cmd, ['node', 'server.js', '--port', '8080']);
    assert.deepEqual(rec.mounts, [{ hostPath: project, containerPath: '/app', readOnly: true }]);
    assert.equal(rec.workingDir, '/app');
    assert.deepEqual(rec.env, { PORT: '8080' });
    assert.equal(rec.user, 1000);
    assert.match(await imageCommand(['ls'], dataDir), /shop\/orders:1\.0\s+project\s+yes/);
    assert.match(await imageCommand(['rm', 'shop/orders:1.0'], dataDir), /removed/);
  });

  it('explains what is missing', async () => {
    await assert.rejects(imageCommand(['add', 'x:1', '--cmd', 'x'], dataDir), /--from DIR/);
    await assert.rejects(imageCommand(['add', 'x:1', '--from', project], dataDir), /--cmd COMMAND/);
    await assert.rejects(imageCommand(['add', 'x:1', '--from', join(project, 'nope'), '--cmd', 'x'], dataDir), /is not a directory/);
    await assert.rejects(imageCommand(['rm', 'busybox'], dataDir), /built-in images cannot be removed/);
  });
});
