// Reads a container's CRI log file (`<RFC3339Nano> stdout|stderr P|F <text>`) with the kubelet's tailLines, since, timestamps, limitBytes and follow.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { fixedRFC3339Nano, parseRFC3339Nano } from './log-time.ts';

export interface ReadLogOptions {
  tailLines?: number;
  /** Only lines at or after this instant (ms since the epoch). */
  sinceMs?: number;
  timestamps?: boolean;
  limitBytes?: number;
  follow?: boolean;
  /** How often a following reader looks for more output. */
  pollMs?: number;
}

export interface LogLine {
  /** As written: Go's RFC3339Nano (trailing zeros of the fraction dropped). */
  timestamp: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  content: Buffer;
}

/** Parses one CRI log line (without its newline); undefined for a malformed one. */
export function parseCRILine(line: Buffer): LogLine | undefined {
  const s1 = line.indexOf(0x20);
  if (s1 < 0) return undefined;
  const s2 = line.indexOf(0x20, s1 + 1);
  if (s2 < 0) return undefined;
  const stream = line.subarray(s1 + 1, s2).toString();
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const s3 = line.indexOf(0x20, s2 + 1);
  const tag = (s3 < 0 ? line.subarray(s2 + 1) : line.subarray(s2 + 1, s3)).toString();
  return {
    timestamp: line.subarray(0, s1).toString(),
    stream,
    partial: tag.split(':')[0] === 'P',
    content: s3 < 0 ? Buffer.alloc(0) : line.subarray(s3 + 1),
  };
}

/** Offset where the last `n` newline-terminated lines of the file begin (tail.FindTailLineStartIndex). */
async function tailStart(fh: FileHandle, size: number, n: number): Promise<number> {
  if (n <= 0) return size;
  const block = 64 * 1024;
  let pos = size;
  let count = 0;
  // A final line without its newline does not count.
  let skipLast = true;
  while (pos > 0) {
    const start = Math.max(0, pos - block);
    const buf = Buffer.alloc(pos - start);
    await fh.read(buf, 0, buf.length, start);
    for (let i = buf.length - 1; i >= 0; i--) {
      if (buf[i] !== 0x0a) continue;
      if (skipLast && start + i === size - 1) {
        skipLast = false;
        continue;
      }
      skipLast = false;
      count++;
      if (count === n) return start + i + 1;
    }
    skipLast = false;
    pos = start;
  }
  return 0;
}

/** A readable of the log as `kubectl logs` shows it; with `follow` it keeps going until `running()` turns false. */
export function readLog(path: string, opts: ReadLogOptions, running: () => boolean | Promise<boolean> = () => false): Readable {
  const out = new PassThrough();
  let remaining = opts.limitBytes ?? Infinity;
  const sinceNs = opts.sinceMs === undefined ? undefined : BigInt(Math.floor(opts.sinceMs)) * 1_000_000n;
  let closed = false;
  out.on('close', () => (closed = true));
  const write = (b: Buffer): boolean => {
    if (remaining <= 0) return false;
    const chunk = b.length > remaining ? b.subarray(0, remaining) : b;
    remaining -= chunk.length;
    if (!out.write(chunk)) return true;
    return remaining > 0;
  };
  void (async () => {
    let fh: FileHandle | undefined;
    try {
      fh = await open(path, 'r');
      const size = (await fh.stat()).size;
      let pos = opts.tailLines !== undefined ? await tailStart(fh, size, opts.tailLines) : 0;
      let pending = Buffer.alloc(0);
      let partialTimestamp: string | undefined;
      const emit = (raw: Buffer): boolean => {
        const l = parseCRILine(raw);
        if (!l) return true;
        if (sinceNs !== undefined && (parseRFC3339Nano(l.timestamp) ?? 0n) < sinceNs) return true;
        const parts: Buffer[] = [];
        // The kubelet shows RFC3339NanoFixed: nine fractional digits whatever the file has.
        if (opts.timestamps && partialTimestamp === undefined) parts.push(Buffer.from(`${fixedRFC3339Nano(l.timestamp)} `));
        parts.push(l.content);
        if (!l.partial) parts.push(Buffer.from('\n'));
        partialTimestamp = l.partial ? (partialTimestamp ?? l.timestamp) : undefined;
        return write(Buffer.concat(parts));
      };
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        if (closed) return;
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead > 0) {
          pos += bytesRead;
          pending = pending.length ? Buffer.concat([pending, buf.subarray(0, bytesRead)]) : Buffer.from(buf.subarray(0, bytesRead));
          let nl: number;
          while ((nl = pending.indexOf(0x0a)) >= 0) {
            const line = pending.subarray(0, nl);
            pending = pending.subarray(nl + 1);
            if (!emit(line)) return;
          }
          continue;
        }
        if (!opts.follow) return;
        // At the end: stop once the container is gone and nothing more was written.
        if (!(await running())) {
          const st = await stat(path);
          if (st.size <= pos) return;
          continue;
        }
        await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
      }
    } catch (e) {
      if (!closed) out.destroy(e as Error);
    } finally {
      await fh?.close().catch(() => undefined);
      if (!closed) out.end();
    }
  })();
  return out;
}
