// `dabba up` refuses mistaken network flags before it touches anything, naming the flag and the fix.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, run } from '../cluster.ts';

const up = async (...flags: string[]) => {
  const dir = await mkdtemp(join(tmpdir(), 'dabba-flags-'));
  try {
    const r = await run(process.execPath, [join(repoRoot, 'bin/dabba.js'), 'up', '--data-dir', join(dir, 'state'), '--port', '0', ...flags]);
    return { ...r, created: await readdir(dir) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

describe('dabba up network flags', () => {
  const cases: [string[], RegExp][] = [
    [['--pod-cidr', '10.96.0.0/16'], /--pod-cidr: "10.96.0.0\/16" overlaps --service-cidr "10.96.0.0\/16"/],
    [['--pod-cidr', '10.1.0.0/16', '--service-cidr', '10.0.0.0/12'], /--pod-cidr: "10.1.0.0\/16" overlaps --service-cidr "10.0.0.0\/12"/],
    [['--pod-cidr', '10.244.0.1/16'], /--pod-cidr: "10.244.0.1\/16" has host bits set; did you mean 10.244.0.0\/16\?/],
    [['--pod-cidr', '10.0.0.0/28'], /--pod-cidr: "10.0.0.0\/28" must have a prefix between \/8 and \/24/],
    [['--pod-cidr', 'pods'], /--pod-cidr: "pods" is not an IPv4 CIDR block such as 10.244.0.0\/16/],
    [['--service-cidr', '10.96.0.0/8'], /--service-cidr: "10.96.0.0\/8" must be an IPv4 CIDR with a prefix between \/12 and \/24/],
  ];
  for (const [flags, message] of cases) {
    it(`refuses ${flags.join(' ')} with exit code 2 and creates nothing`, async () => {
      const r = await up(...flags);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.deepEqual(r.created, [], 'no state directory is created');
    });
  }
});
