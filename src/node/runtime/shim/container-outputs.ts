// The output readers of every container a runtime started: its stdout/stderr FIFOs pumped into the CRI log file.
import { join } from 'node:path';
import { CriLogFile, CriLogPump } from './cri-log.ts';

interface Output {
  pumps: CriLogPump[];
  file: CriLogFile;
}

export class ContainerOutputs {
  readonly #outputs = new Map<string, Output>();
  readonly #log: (msg: string, fields?: Record<string, unknown>) => void;

  constructor(log: (msg: string, fields?: Record<string, unknown>) => void) {
    this.#log = log;
  }

  /**
   * Starts reading `<dir>/stdout.fifo` and `<dir>/stderr.fifo` into `logPath` (once per container).
   */
  start(id: string, dir: string, logPath: string): void {
    if (this.#outputs.has(id)) return;
    const file = new CriLogFile(logPath);
    try {
      const pumps = [new CriLogPump(join(dir, 'stdout.fifo'), 'stdout', file), new CriLogPump(join(dir, 'stderr.fifo'), 'stderr', file)];
      this.#outputs.set(id, { pumps, file });
      void Promise.all(pumps.map((p) => p.done)).then(() => file.close());
    } catch (e) {
      this.#log('cannot read container output', { container: id, error: (e as Error).message });
      void file.close();
    }
  }

  /**
   * Follows one stream of a running container's output from now on (an attached client); undefined when its output
   * is not being read (the container is not running). `onEnd` comes once the container's output ended.
   */
  follow(id: string, stream: 'stdout' | 'stderr', onData: (chunk: Buffer) => void, onEnd: () => void): (() => void) | undefined {
    const o = this.#outputs.get(id);
    return o?.pumps[stream === 'stdout' ? 0 : 1].follow(onData, onEnd);
  }

  /** Lets the last output of a stopped container reach its log (up to a second), then closes its readers. */
  async drain(id: string): Promise<void> {
    const o = this.#outputs.get(id);
    if (!o) return;
    await Promise.race([Promise.all(o.pumps.map((x) => x.done)), new Promise((r) => setTimeout(r, 1000))]);
    for (const x of o.pumps) x.close();
    await o.file.close();
    this.#outputs.delete(id);
  }

  /** Stops reading everything without touching any container (what an agent crash leaves, for a successor to adopt). */
  async closeAll(): Promise<void> {
    for (const o of this.#outputs.values()) {
      for (const x of o.pumps) x.close();
      await o.file.close();
    }
    this.#outputs.clear();
  }
}
