// `dabba doctor`: which container runtime `dabba up` will use on this machine and why, what is missing, and the apt-get line that fixes it.
import { ImageStore, type ImageListEntry } from '../node/images/image-store.ts';
import { runHostCommand } from '../node/network/host-command.ts';
import { chooseRuntime, CNI_PLUGINS, probeHost, type HostProbe, type RuntimeChoice, type RuntimeMode } from '../node/runtime/select-runtime.ts';

const CGROUP_WORDS: Record<HostProbe['cgroupMode'], string> = {
  v1: 'cgroup v1',
  hybrid: 'hybrid (cgroup v1 controllers plus a cgroup2 mount)',
  v2: 'cgroup v2 (unified)',
  none: 'none mounted',
};

export interface DoctorInput {
  mode: RuntimeMode;
  probe: HostProbe;
  versions: Record<string, string | undefined>;
  images: ImageListEntry[];
}

/** The report as text; `ok` is false when the asked-for runtime cannot run here. */
export function formatDoctor(input: DoctorInput): { text: string; ok: boolean } {
  const { probe, mode } = input;
  let choice: RuntimeChoice | undefined;
  let failure: string | undefined;
  try {
    choice = chooseRuntime(mode, probe);
  } catch (e) {
    failure = (e as Error).message;
  }
  const lines: string[] = [];
  const check = (ok: boolean, text: string) => lines.push(`  ${ok ? '✔' : '✘'} ${text}`);
  if (choice) {
    lines.push(`Runtime: ${choice.kind}${choice.ociRuntime ? ` (${choice.ociRuntime})` : ''}${mode === 'auto' ? ' — chosen by --runtime auto' : ''}`);
    for (const r of choice.reasons) lines.push(`  - ${r}`);
  } else {
    lines.push(`Runtime: none — ${failure}`);
  }
  lines.push('', 'Checks:');
  check(probe.platform === 'linux', `Linux (${probe.platform})`);
  check(probe.root, probe.root ? 'running as root' : 'not running as root (the isolated runtime needs root)');
  for (const t of ['crun', 'runc']) {
    const v = input.versions[t];
    lines.push(`  ${probe.tools[t] ? '✔' : '·'} ${t}${probe.tools[t] ? ` ${v ?? ''} (${probe.tools[t]})` : ' not installed'}`);
  }
  check(probe.cniMissing.length === 0, probe.cniMissing.length === 0 ? `CNI plugins ${CNI_PLUGINS.join(', ')} (${probe.cniDir})` : `CNI plugins missing: ${probe.cniMissing.join(', ')}`);
  for (const t of ['ip', 'nft', 'unshare', 'mount', 'mkfifo', 'setpriv', 'script']) check(Boolean(probe.tools[t]), probe.tools[t] ? `${t} (${probe.tools[t]})` : `${t} not found`);
  check(probe.cgroupMode !== 'none' && (probe.cgroupWritable || !probe.root), `cgroups: ${CGROUP_WORDS[probe.cgroupMode]}${probe.root ? (probe.cgroupWritable ? ', writable' : ', not writable') : ''}`);
  check(probe.overlay, probe.overlay ? 'overlay filesystem' : 'no overlay filesystem in this kernel');
  check(probe.lowerOomScore, probe.lowerOomScore ? 'CAP_SYS_RESOURCE (negative OOM scores for Guaranteed pods)' : 'no CAP_SYS_RESOURCE: OOM scores below 0 are raised to 0');
  const notes = choice?.notes ?? [];
  if (notes.length) {
    lines.push('', 'Notes:');
    for (const n of notes) lines.push(`  - ${n}`);
  }
  lines.push('', 'Images (built in, and registered with `dabba image add`):');
  for (const i of input.images) lines.push(`  ${i.available ? '✔' : '✘'} ${i.name.padEnd(24)} ${i.description}`);
  const fix = choice?.fix ?? /to fix: (.*)$/.exec(failure ?? '')?.[1];
  if (fix) lines.push('', `To get the isolated runtime: ${fix}${probe.root ? '' : ' (and run dabba as root)'}`);
  return { text: lines.join('\n') + '\n', ok: choice !== undefined };
}

export async function doctor(mode: RuntimeMode, dataDir: string): Promise<{ text: string; ok: boolean }> {
  const probe = await probeHost();
  const versions: Record<string, string | undefined> = {};
  for (const t of ['crun', 'runc']) {
    if (!probe.tools[t]) continue;
    const { stdout } = await runHostCommand(probe.tools[t]!, ['--version']).catch(() => ({ stdout: '' }));
    versions[t] = /(\d+\.\d+\.\d+)/.exec(stdout)?.[1];
  }
  const images = await new ImageStore({ dataDir }).list().catch(() => []);
  return formatDoctor({ mode, probe, versions, images });
}
