// The OCI runtime binary (crun or runc) as the isolated runtime drives it: the shim's run line, exec, delete, and this host's cgroup quirks.
import { runHostCommand, type CommandRunner } from '../../network/host-command.ts';
import type { CgroupMode } from '../cgroups/cgroup-tree.ts';
import { shellQuote } from '../shim/process-shim.ts';

export type OciRuntimeName = 'crun' | 'runc';

export class OciRuntimeError extends Error {
  readonly code = 'NODE_ERR_OCI_RUNTIME';
}

export interface OciRuntimeOptions {
  name: OciRuntimeName;
  /** The binary (found on PATH by default). */
  binary?: string;
  /** `--root`: the runtime's own state directory, inside the data directory. */
  stateDir: string;
  cgroupMode: CgroupMode;
  /** Runs `delete` and `list` (a HostShell's, so the agent does not fork for each); runHostCommand by default. */
  run?: CommandRunner;
}

export class OciRuntime {
  readonly name: OciRuntimeName;
  readonly binary: string;
  readonly stateDir: string;
  readonly cgroupMode: CgroupMode;
  readonly #run: CommandRunner;

  constructor(o: OciRuntimeOptions) {
    this.#run = o.run ?? runHostCommand;
    this.name = o.name;
    this.binary = o.binary ?? o.name;
    this.stateDir = o.stateDir;
    this.cgroupMode = o.cgroupMode;
  }

  /**
   * crun runs with its cgroup manager disabled inside the group the shim joined (our group keeps the OOM counter after
   * the container is gone), so the shim joins it; runc creates and fills the group itself (`--keep` leaves it to read).
   */
  get shimJoinsCgroup(): boolean {
    return this.name === 'crun';
  }

  /** Shell lines the shim runs first in its private mount namespace. */
  prepareLines(): { run: string; what: string }[] {
    // crun refuses hybrid hosts while the cgroup2 mount is visible; hide it in the shim's own mount namespace only.
    if (this.name === 'crun' && this.cgroupMode === 'hybrid') {
      return [{ run: 'umount /sys/fs/cgroup/unified 2>/dev/null || umount -l /sys/fs/cgroup/unified 2>/dev/null || true', what: 'hiding the cgroup2 mount from crun' }];
    }
    return [];
  }

  #global(): string[] {
    return [...(this.name === 'crun' ? ['--cgroup-manager=disabled'] : []), '--root', this.stateDir];
  }

  /**
   * The shim's foreground run: its exit status is the container's (128+signal when killed). For a container with a
   * terminal (`process.terminal`), crun and runc make its pty themselves but, without a console socket, insist on a
   * terminal of their own to relay it to: `script` gives them one, whose other side is the shim's stdin and stdout.
   */
  runLine(bundle: string, id: string, pidFile: string, terminal = false): string {
    const args = [this.binary, ...this.#global(), 'run', ...(this.name === 'runc' ? ['--keep'] : []), '--bundle', bundle, '--pid-file', pidFile, id];
    const line = args.map(shellQuote).join(' ');
    return terminal ? `SHELL=/bin/sh script -qfec ${shellQuote(line)} /dev/null` : line;
  }

  /**
   * `exec --process FILE`: the container's own process spec (user, groups, capabilities, no_new_privs, env, cwd)
   * with other args. With a terminal (`terminal` and `consoleSize` in the file) the runtime makes the pty in the
   * container's devpts and, lacking a console socket, relays it to a terminal of its own (`script` gives it one).
   * `--pid-file` names the process, whose terminal a resize goes to.
   */
  execArgv(id: string, processFile: string, tty: boolean, pidFile: string): string[] {
    return [this.binary, ...this.#global(), 'exec', ...(tty ? ['--tty'] : []), '--pid-file', pidFile, '--process', processFile, id];
  }

  /** Removes the runtime's record of a container (runc keeps one after `run --keep`). Missing is fine. */
  async delete(id: string): Promise<void> {
    await this.#run(this.binary, [...this.#global(), 'delete', '--force', id]).catch((e) => {
      if (!/does not exist|not found|No such file/i.test(String((e as { stderr?: string }).stderr ?? e))) throw new OciRuntimeError(`${this.name} delete ${id}: ${(e as Error).message}`, { cause: e });
    });
  }

  /** The ids the runtime still has state for (a crashed run's leftovers among them). */
  async list(): Promise<string[]> {
    const { stdout } = await runHostCommand(this.binary, [...this.#global(), 'list', '--quiet']).catch(() => ({ stdout: '' }));
    return stdout.split('\n').map((s) => s.trim()).filter((s) => s && s !== 'NAME' && s !== 'ID');
  }

  async version(): Promise<string> {
    const { stdout } = await runHostCommand(this.binary, ['--version']);
    return stdout.split('\n')[0].trim();
  }
}
