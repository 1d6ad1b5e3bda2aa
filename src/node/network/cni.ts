// Calls a CNI plugin binary directly (CNI_* variables, config on stdin, cniVersion 1.0.0), as a container runtime does.
import { join } from 'node:path';
import { HostCommandError, runHostCommand, type CommandRunner, type HostStep } from './host-command.ts';

export const CNI_VERSION = '1.0.0';

export class CniPluginError extends Error {
  readonly code = 'NODE_ERR_CNI_PLUGIN';
  readonly plugin: string;
  readonly command: string;
  constructor(plugin: string, command: string, message: string, cause?: unknown) {
    super(`CNI plugin ${plugin} ${command} failed: ${message}`, { cause });
    this.plugin = plugin;
    this.command = command;
  }
}

export interface CniInvocation {
  binDir: string;
  plugin: string;
  command: 'ADD' | 'DEL' | 'CHECK';
  containerId: string;
  netnsPath: string;
  ifName: string;
  config: Record<string, unknown>;
}

/** The parts of a CNI 1.0 result that dabba reads. */
export interface CniResult {
  cniVersion?: string;
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: { address: string; gateway?: string; interface?: number }[];
  routes?: { dst: string; gw?: string }[];
  [key: string]: unknown;
}

/** The plugin call as a host step: CNI_* variables, the config on stdin. */
export function cniStep(call: CniInvocation): HostStep {
  return {
    file: join(call.binDir, call.plugin),
    args: [],
    env: { CNI_COMMAND: call.command, CNI_CONTAINERID: call.containerId, CNI_NETNS: call.netnsPath, CNI_IFNAME: call.ifName, CNI_PATH: call.binDir },
    input: JSON.stringify({ cniVersion: CNI_VERSION, ...call.config }),
  };
}

export function cniResult(stdout: string): CniResult {
  return stdout.trim() ? (JSON.parse(stdout) as CniResult) : {};
}

/** The plugin's failure, with the message of the JSON error object plugins print on stdout. */
export function cniPluginError(call: CniInvocation, e: unknown): CniPluginError {
  if (e instanceof HostCommandError) {
    let message = e.stderr.trim() || e.message;
    try {
      const err = JSON.parse(e.stdout) as { msg?: string; details?: string };
      if (err.msg) message = err.details ? `${err.msg}: ${err.details}` : err.msg;
    } catch {
      // not JSON: keep stderr
    }
    return new CniPluginError(call.plugin, call.command, message, e);
  }
  return new CniPluginError(call.plugin, call.command, (e as Error).message, e);
}

export async function invokeCniPlugin(call: CniInvocation, run: CommandRunner = runHostCommand): Promise<CniResult> {
  const step = cniStep(call);
  const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...step.env };
  try {
    const { stdout } = await run(step.file, step.args, { input: step.input, env, timeoutMs: 30_000 });
    return cniResult(stdout);
  } catch (e) {
    throw cniPluginError(call, e);
  }
}
