import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HostCommandError, runHostSteps } from './host-command.ts';
import { HostShell } from './host-shell.ts';

describe('HostShell', () => {
  it('runs commands as runHostCommand does: argv, stdin, added variables, exit codes, stderr', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dabba-host-shell-test-'));
    const sh = new HostShell({ dir: join(dir, 'shell') });
    try {
      assert.deepEqual(await sh.run('echo', ['a b', "it's", '$HOME']), { stdout: "a b it's $HOME\n", stderr: '', exitCode: 0 });
      assert.equal((await sh.run('cat', [], { input: '{"x": "$(true)"}' })).stdout, '{"x": "$(true)"}');
      assert.equal((await sh.run('sh', ['-c', 'echo "$FOO"; exit 3'], { env: { FOO: "b 'a' r" }, okCodes: [3] })).stdout, "b 'a' r\n");
      await assert.rejects(sh.run('sh', ['-c', 'echo out; echo err >&2; exit 5']), (e: HostCommandError) => e.exitCode === 5 && e.stdout === 'out\n' && e.stderr === 'err\n');
      await assert.rejects(sh.run('sleep', ['30'], { timeoutMs: 200 }), (e: HostCommandError) => e.exitCode !== 0);
      // Steps in one shell, forked by this one.
      assert.deepEqual(await runHostSteps([{ file: 'echo', args: ['1'] }, { file: 'cat', args: [], input: '2' }], {}, (f, a, o) => sh.run(f, a, o)), ['1\n', '2']);
      const many = await Promise.all(Array.from({ length: 100 }, (_, i) => sh.run('echo', [String(i)])));
      assert.deepEqual(many.map((r) => r.stdout), Array.from({ length: 100 }, (_, i) => `${i}\n`));
      assert.deepEqual(await readdir(join(dir, 'shell')), [], 'every input and output file is removed');
    } finally {
      await sh.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('starts again after its shell is gone, failing only the commands that were running', async () => {
    const sh = new HostShell();
    try {
      const running = sh.run('sleep', ['3']);
      await new Promise((r) => setTimeout(r, 100));
      // close() lets running commands report back for a while (none here), then ends the shell: this one is cut off.
      await sh.close(0);
      await assert.rejects(running, HostCommandError);
      assert.equal((await sh.run('echo', ['again'])).stdout, 'again\n');
    } finally {
      await sh.close();
    }
  });
});
