// Runs a host tool (ip, nft, a CNI plugin, an OCI runtime) and fails with a typed error that keeps its exit code and stderr.
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
