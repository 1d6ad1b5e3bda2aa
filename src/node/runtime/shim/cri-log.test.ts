import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, writeSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRFC3339Nano } from '../../logs/log-time.ts';
import { criRecord, criTimestamp, CriLogFile, CriLogPump } from './cri-log.ts';

describe('CRI log', () => {
  it('stamps records with strictly increasing RFC3339Nano times', () => {
    const a = criTimestamp();
    const b = criTimestamp();
    assert.match(a, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    assert.ok(parseRFC3339Nano(b)! > parseRFC3339Nano(a)!);
    assert.equal(criRecord('stderr', 'F', Buffer.from('oops'), 'T').toString(), 'T stderr F oops\n');
  });

  it('splits a FIFO into full lines (CRLF ends dropped), long lines into 16 KiB partials, and flushes the unterminated tail as a partial', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dabba-crilog-'));
    try {
      const fifo = join(dir, 'out.fifo');
      execFileSync('mkfifo', [fifo]);
      // A writer that holds the FIFO open before the pump reads, as the shim does.
      const w = openSync(fifo, constants.O_RDWR);
      const file = new CriLogFile(join(dir, 'c.log'));
      const pump = new CriLogPump(fifo, 'stdout', file);
      writeSync(w, `one\n${'x'.repeat(16 * 1024 + 5)}\n\ncr\r\ntail`);
      closeSync(w);
      await pump.done;
      await file.close();
      const recs = (await readFile(join(dir, 'c.log'), 'utf8')).split('\n').filter(Boolean).map((l) => l.split(' '));
      assert.deepEqual(recs.map((r) => [r[1], r[2], r[3]?.length]), [
        ['stdout', 'F', 3],
        ['stdout', 'P', 16 * 1024],
        ['stdout', 'F', 5],
        ['stdout', 'F', 0],
        ['stdout', 'F', 2],
        ['stdout', 'P', 4],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
