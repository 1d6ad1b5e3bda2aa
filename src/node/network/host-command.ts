// Runs host tools (ip, nft, a CNI plugin, an OCI runtime), alone or several in one shell, and fails with a typed error that keeps the exit code and stderr.
import { spawn } from 'node:child_process';

export class HostCommandError extends Error {
  readonly code = 'NODE_ERR_HOST_COMMAND';
  readonly command: string;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  constructor(command: string, exitCode: number | null, stdout: string, stderr: string, cause?: unknown) {
    const detail = stderr.trim() || stdout.trim() || (cause instanceof Error ? cause.message : '');
    super(`${command}: exited with ${exitCode ?? 'a signal'}${detail ? `: ${detail}` : ''}`, { cause });
    this.command = command;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

export interface HostCommandOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Exit codes that count as success besides 0. */
  okCodes?: number[];
}

export interface HostCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a host command: `runHostCommand` itself, or a HostShell's `run`. */
export type CommandRunner = (file: string, args: string[], options?: HostCommandOptions) => Promise<HostCommandResult>;

export function runHostCommand(file: string, args: string[], options: HostCommandOptions = {}): Promise<HostCommandResult> {
  const command = [file, ...args].join(' ');
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(file, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      reject(new HostCommandError(command, null, '', '', e));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
      : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new HostCommandError(command, null, '', '', e));
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0 || (code !== null && options.okCodes?.includes(code))) resolve({ stdout, stderr, exitCode: code });
      else reject(new HostCommandError(command, code, stdout, stderr));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** One command of `runHostSteps`: its own variables (added to PATH) and standard input. */
export interface HostStep {
  file: string;
  args: string[];
  env?: Record<string, string>;
  input?: string;
}

/** A step of `runHostSteps` failed; `step` is its index, `exitCode` and `stdout` its own, `stderr` the shell's. */
export class HostStepError extends HostCommandError {
  readonly step: number;
  constructor(step: number, command: string, exitCode: number | null, stdout: string, stderr: string) {
    super(command, exitCode, stdout, stderr);
    this.step = step;
  }
}

const stepFailedBase = 100;

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs the steps one after another in one `sh`, stopping at the first that fails: the agent forks once for the
 * sequence instead of once per step (a fork of the agent's large process costs far more than one of the shell's).
 * Returns each step's standard output.
 */
export async function runHostSteps(steps: HostStep[], options: Pick<HostCommandOptions, 'timeoutMs'> = {}, run: CommandRunner = runHostCommand): Promise<string[]> {
  if (steps.length > 255 - stepFailedBase) throw new Error(`runHostSteps: ${steps.length} steps are too many for one shell`);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' };
  const lines = steps.map((s, i) => {
    const vars = Object.entries(s.env ?? {}).map(([k, v]) => `${k}=${quote(v)} `).join('');
    const command = `${vars}${[s.file, ...s.args].map(quote).join(' ')}`;
    let line: string;
    if (s.input === undefined) line = `${command} </dev/null`;
    else {
      env[`DABBA_STEP_INPUT_${i}`] = s.input;
      line = `printf '%s' "$DABBA_STEP_INPUT_${i}" | ${command}`;
    }
    // Steps' outputs are separated by a NUL byte, which none of these tools print.
    // A failing step's exit code follows its output.
    return `${i > 0 ? "printf '\\0'; " : ''}${line} || { c=$?; printf '\\0%s' "$c"; exit ${stepFailedBase + i}; }`;
  });
  try {
    const { stdout } = await run('sh', ['-c', lines.join('\n')], { env, timeoutMs: options.timeoutMs });
    return stdout.split('\0');
  } catch (e) {
    if (!(e instanceof HostCommandError) || e.exitCode === null || e.exitCode < stepFailedBase || e.exitCode >= stepFailedBase + steps.length) throw e;
    const i = e.exitCode - stepFailedBase;
    const s = steps[i];
    const parts = e.stdout.split('\0');
    const code = Number(parts[i + 1]);
    throw new HostStepError(i, [s.file, ...s.args].join(' '), Number.isInteger(code) ? code : null, parts[i] ?? '', e.stderr);
  }
}
