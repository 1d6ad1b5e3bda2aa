// A long-lived `sh` that forks the agent's host commands: a fork of the agent's large process costs about 10 ms of CPU, one of a small shell well under 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostCommandError, type HostCommandOptions, type HostCommandResult } from './host-command.ts';

interface Job {
  command: string;
  okCodes: number[];
  files: string[];
  resolve: (r: HostCommandResult) => void;
  reject: (e: unknown) => void;
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export class HostShell {
  readonly #home: string | undefined;
  #sh: ChildProcess | undefined;
  #dir: Promise<string> | undefined;
  readonly #jobs = new Map<number, Job>();
  #next = 0;
  #pending = '';

  /** `dir` holds the commands' input and output files (created; a private temporary directory by default). */
  constructor(options: { dir?: string } = {}) {
    this.#home = options.dir;
  }

  /**
   * Runs `file args` as `runHostCommand` does, forked by the shell: stdin, stdout and stderr go through files in a
   * private temporary directory, `options.env` is added to the environment the agent had when the shell started,
   * and a timeout kills the command with SIGKILL.
   */
  run(file: string, args: string[], options: HostCommandOptions = {}): Promise<HostCommandResult> {
    const command = [file, ...args].join(' ');
    return new Promise((resolve, reject) => {
      void this.#submit(file, args, options, { command, okCodes: options.okCodes ?? [], files: [], resolve, reject }).catch(reject);
    });
  }

  async #submit(file: string, args: string[], options: HostCommandOptions, job: Job): Promise<void> {
    const dir = await this.#start();
    const id = this.#next++;
    const [input, out, err] = ['in', 'out', 'err'].map((s) => join(dir, `${id}.${s}`));
    job.files = [out, err];
    if (options.input !== undefined) {
      await writeFile(input, options.input, { mode: 0o600 });
      job.files.push(input);
    }
    const vars = Object.entries(options.env ?? {})
      .filter(([k, v]) => v !== undefined && v !== process.env[k])
      .map(([k, v]) => `${k}=${quote(v!)} `)
      .join('');
    const limit = options.timeoutMs ? `timeout -s KILL ${Math.max(1, Math.ceil(options.timeoutMs / 1000))} ` : '';
    const argv = [file, ...args].map(quote).join(' ');
    const stdin = options.input !== undefined ? quote(input) : '/dev/null';
    // The subshell forks the job and exits at once, so the shell reaps it and init the job: no zombies pile up.
    const line = `( { ${vars}${limit}${argv} <${stdin} >${quote(out)} 2>${quote(err)}; echo "${id} $?" >&3; } 3>&1 </dev/null >/dev/null 2>&1 & )\n`;
    this.#jobs.set(id, job);
    this.#holdOpen();
    this.#sh!.stdin!.write(line);
  }

  /** The shell keeps the agent's event loop alive only while it has commands running. */
  #holdOpen(): void {
    const sh = this.#sh;
    if (!sh) return;
    const handles = [sh, sh.stdout as unknown as { ref(): void; unref(): void }];
    for (const h of handles) {
      if (this.#jobs.size > 0) h.ref();
      else h.unref();
    }
  }

  #start(): Promise<string> {
    if (this.#sh && this.#dir) return this.#dir;
    const home = this.#home;
    const dir = home ? mkdir(home, { recursive: true, mode: 0o700 }).then(() => home) : mkdtemp(join(tmpdir(), 'dabba-host-shell-'));
    this.#dir = dir;
    const sh = spawn('sh', ['-s'], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.#sh = sh;
    sh.stdin!.on('error', () => undefined);
    sh.stdout!.on('data', (b: Buffer) => this.#read(b.toString()));
    const gone = (why: string) => {
      if (this.#sh !== sh) return;
      this.#sh = undefined;
      // A command still running holds the output pipe open; the agent stops listening to it.
      sh.stdout!.destroy();
      this.#dir = undefined;
      if (!home) void dir.then((d) => rm(d, { recursive: true, force: true })).catch(() => undefined);
      for (const [id, job] of this.#jobs) {
        this.#jobs.delete(id);
        job.reject(new HostCommandError(job.command, null, '', '', new Error(why)));
      }
    };
    sh.on('error', (e) => gone(`the host shell failed: ${e.message}`));
    sh.on('exit', (code, signal) => gone(`the host shell exited with ${code ?? signal}`));
    (sh.stdin as unknown as { unref(): void }).unref();
    return dir;
  }

  #read(text: string): void {
    this.#pending += text;
    let nl: number;
    while ((nl = this.#pending.indexOf('\n')) >= 0) {
      const [id, code] = this.#pending.slice(0, nl).split(' ').map(Number);
      this.#pending = this.#pending.slice(nl + 1);
      const job = this.#jobs.get(id);
      if (!job) continue;
      this.#jobs.delete(id);
      void this.#finish(job, code);
    }
    this.#holdOpen();
  }

  async #finish(job: Job, code: number): Promise<void> {
    const [out, err] = job.files;
    const stdout = await readFile(out, 'utf8').catch(() => '');
    const stderr = await readFile(err, 'utf8').catch(() => '');
    await Promise.all(job.files.map((f) => unlink(f).catch(() => undefined)));
    if (code === 0 || job.okCodes.includes(code)) job.resolve({ stdout, stderr, exitCode: code });
    else job.reject(new HostCommandError(job.command, code, stdout, stderr));
  }

  /** Ends the shell once the commands it forked have reported back (for at most `graceMs`; later ones fail). */
  async close(graceMs = 3000): Promise<void> {
    const sh = this.#sh;
    if (!sh) return;
    for (const end = Date.now() + graceMs; this.#jobs.size > 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    const exited = new Promise((r) => sh.once('exit', r));
    sh.stdin!.end();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (this.#sh === sh) sh.kill('SIGKILL');
  }
}
