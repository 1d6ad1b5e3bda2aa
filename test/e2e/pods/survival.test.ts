// Survival: a `dabba up` that dies and starts again on the same data dir re-adopts running containers and restarts dead ones per policy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exists, kubectlPath, run, TestCluster } from '../cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PIDs of processes whose command line contains `needle` (only processes this test started are matched by its needles). */
async function pidsOf(needle: string): Promise<number[]> {
  const r = await run('ps', ['-eo', 'pid=,args=']);
  return r.stdout
    .split('\n')
    .filter((l) => l.includes(needle) && !l.includes('ps -eo'))
    .map((l) => Number(l.trim().split(/\s+/)[0]))
    .filter((n) => n > 0 && n !== process.pid);
}

describe('node agent survival across a crash of dabba up', async () => {
  const skip = (await exists(kubectlPath(33))) ? false : 'skipped: kubectl 1.33 not installed';
  const opts = { skip, timeout: 120_000 };
  let c: TestCluster;

  const k = async (args: string[]) => {
    const r = await c.kubectl(33, args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const status = async (name: string) => JSON.parse(await k(['get', 'pod', name, '-o', 'json'])).status.containerStatuses?.[0];
  const until = async <T>(what: string, f: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const v = await f().catch(() => undefined);
      if (v) return v;
      await sleep(250);
    }
    assert.fail(`timed out waiting for ${what}\n${c.log.slice(-3000)}`);
  };

  before(async () => {
    if (skip) return;
    // Auto: the isolated runtime where the machine allows it (each cluster has its own pod range), the host runtime elsewhere.
    c = await TestCluster.start([], { DABBA_RUNTIME: process.env.DABBA_E2E_RUNTIME ?? 'auto' });
    process.stderr.write(`# survival e2e: runtime ${/container runtime \{"runtime":"(\w+)"/.exec(c.log)?.[1] ?? 'unknown'}\n`);
  });
  after(async () => {
    await c?.destroy();
  });

  it('re-adopts a running container and restarts one that died meanwhile', opts, async () => {
    const marker = `${process.pid}${Date.now() % 100000}`;
    await k(['run', 'keeper', '--image=busybox', '--', 'sleep', `36${marker}`]);
    await k(['run', 'dier', '--image=busybox', '--', 'sleep', `37${marker}`]);
    const keeper = await until('keeper running', async () => (await status('keeper'))?.state?.running && status('keeper'));
    const dier = await until('dier running', async () => (await status('dier'))?.state?.running && status('dier'));

    const dabba = await pidsOf(`--data-dir ${c.dataDir}`);
    assert.ok(dabba.length >= 1, 'found the dabba process');
    for (const pid of dabba) process.kill(pid, 'SIGKILL');
    await until('dabba gone', async () => (await pidsOf(`--data-dir ${c.dataDir}`)).length === 0);
    for (const pid of await pidsOf(`sleep 37${marker}`)) process.kill(pid, 'SIGKILL');

    await c.up();
    const kept = await until('keeper seen again', async () => {
      const s = await status('keeper');
      return s?.state?.running && s;
    });
    assert.equal(kept.containerID, keeper.containerID, 'the same container, re-adopted');
    assert.equal(kept.restartCount, 0);
    const restarted = await until('dier restarted', async () => {
      const s = await status('dier');
      return s?.restartCount >= 1 && s?.state?.running && s;
    });
    assert.notEqual(restarted.containerID, dier.containerID);
    assert.ok(restarted.lastState.terminated, JSON.stringify(restarted));
    assert.equal((await pidsOf(`sleep 36${marker}`)).length, 1, 'one keeper process, not two');
  });
});
