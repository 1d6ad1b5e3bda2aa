import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, writeSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { criRecord, criTimestamp, CriLogFile, CriLogPump } from './cri-log.ts';

describe('CRI log', () => {
  it('stamps records with strictly increasing RFC 3339 nanosecond times', () => {
    const a = criTimestamp(1_700_000_000_000);
    const b = criTimestamp(1_700_000_000_000);
    assert.match(a, /^2023-11-14T22:13:20\.000\d{6}Z$/);
    assert.ok(b > a);
    assert.equal(criRecord('stderr', 'F', Buffer.from('oops'), 'T').toString(), 'T stderr F oops\n');
  });

  it('splits a FIFO into full lines, long lines into 16 KiB partials, and flushes the unterminated tail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dabba-crilog-'));
    try {
      const fifo = join(dir, 'out.fifo');
      execFileSync('mkfifo', [fifo]);
      // A writer that holds the FIFO open before the pump reads, as the shim does.
      const w = openSync(fifo, constants.O_RDWR);
      const file = new CriLogFile(join(dir, 'c.log'));
      const pump = new CriLogPump(fifo, 'stdout', file);
      writeSync(w, `one\n${'x'.repeat(16 * 1024 + 5)}\n\ntail`);
      closeSync(w);
      await pump.done;
      await file.close();
      const recs = (await readFile(join(dir, 'c.log'), 'utf8')).split('\n').filter(Boolean).map((l) => l.split(' '));
      assert.deepEqual(recs.map((r) => [r[1], r[2], r[3]?.length]), [
        ['stdout', 'F', 3],
        ['stdout', 'P', 16 * 1024],
        ['stdout', 'F', 5],
        ['stdout', 'F', 0],
        ['stdout', 'F', 4],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
