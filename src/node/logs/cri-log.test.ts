import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { parseCRILine, readLog } from './cri-log.ts';

const lines = [
  '2025-01-01T00:00:01.100000000Z stdout F one',
  '2025-01-01T00:00:02.000000000Z stderr F two',
  '2025-01-01T00:00:03.123400000Z stdout P thr',
  '2025-01-01T00:00:03.123500000Z stdout F ee',
  '2025-01-01T00:00:04.000000000Z stdout F four',
];

async function file(t: { after(fn: () => Promise<void>): void }, content = lines.join('\n') + '\n') {
  const dir = await mkdtemp(join(tmpdir(), 'crilog-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const p = join(dir, '0.log');
  await writeFile(p, content);
  return p;
}

test('parse and timestamp format', () => {
  assert.deepEqual(parseCRILine(Buffer.from('2025-01-01T00:00:01.5Z stderr F hello world')), {
    timestamp: '2025-01-01T00:00:01.5Z',
    stream: 'stderr',
    partial: false,
    content: Buffer.from('hello world'),
  });
});

test('whole log, partial lines joined, stdout and stderr together', async (t) => {
  const p = await file(t);
  assert.equal(await text(readLog(p, {})), 'one\ntwo\nthree\nfour\n');
});

test('tailLines, timestamps, since, limitBytes', async (t) => {
  const p = await file(t);
  assert.equal(await text(readLog(p, { tailLines: 1 })), 'four\n');
  assert.equal(await text(readLog(p, { tailLines: 0 })), '');
  assert.equal(await text(readLog(p, { tailLines: 100 })), 'one\ntwo\nthree\nfour\n');
  assert.equal(await text(readLog(p, { tailLines: 2, timestamps: true })), '2025-01-01T00:00:03.123500000Z ee\n2025-01-01T00:00:04.000000000Z four\n');
  assert.equal(await text(readLog(p, { sinceMs: Date.parse('2025-01-01T00:00:02Z') })), 'two\nthree\nfour\n');
  assert.equal(await text(readLog(p, { limitBytes: 6 })), 'one\ntw');
});

test('timestamps as the kubelet shows them, and since at nanosecond precision', async (t) => {
  const p = await file(t, ['2025-01-01T00:00:01.999999999Z stdout F before', '2025-01-01T00:00:02Z stdout F at', '2025-01-01T00:00:02.000000001Z stdout F after', ''].join('\n'));
  assert.equal(
    await text(readLog(p, { timestamps: true })),
    '2025-01-01T00:00:01.999999999Z before\n2025-01-01T00:00:02.000000000Z at\n2025-01-01T00:00:02.000000001Z after\n',
  );
  assert.equal(await text(readLog(p, { sinceMs: Date.parse('2025-01-01T00:00:02Z') })), 'at\nafter\n');
});

test('follow returns new lines and ends when the container stops', async (t) => {
  const p = await file(t, lines[0] + '\n');
  let running = true;
  const r = readLog(p, { follow: true, pollMs: 20 }, () => running);
  const got = text(r);
  await new Promise((res) => setTimeout(res, 60));
  await appendFile(p, lines[1] + '\n');
  await new Promise((res) => setTimeout(res, 60));
  running = false;
  assert.equal(await got, 'one\ntwo\n');
});
