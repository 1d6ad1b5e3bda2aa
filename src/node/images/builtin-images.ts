// The images every node has without registering anything: busybox, python, node and nginx, made from the host's own binaries on its read-only root.
import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { runHostCommand } from '../network/host-command.ts';
import { IMAGE_API_VERSION, type ImageRecord } from './image-record.ts';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Where the host keeps what the built-in images need; tests point these elsewhere. */
export interface HostBinaries {
  busybox?: string;
  python3?: string;
  node?: string;
  nginx?: string;
}

export function findHostBinaries(nodeBinary = process.execPath): HostBinaries {
  const first = (...paths: string[]) => paths.find((p) => existsSync(p));
  return {
    busybox: first('/usr/bin/busybox', '/bin/busybox'),
    python3: first('/usr/bin/python3'),
    node: existsSync(nodeBinary) ? nodeBinary : undefined,
    nginx: first('/usr/sbin/nginx'),
  };
}

export const BUILTIN_REPOSITORIES = ['busybox', 'python', 'node', 'nginx'] as const;
export type BuiltinRepository = (typeof BUILTIN_REPOSITORIES)[number];

/** Why a built-in image cannot be used on this host, and the command that fixes it. */
export interface BuiltinUnavailable {
  missing: string;
  fix: string;
}

export type BuiltinResult = { record: ImageRecord } | { unavailable: BuiltinUnavailable };

function record(repository: string, tag: string, r: Partial<ImageRecord>): ImageRecord {
  return {
    apiVersion: IMAGE_API_VERSION,
    kind: 'Image',
    repository,
    tag,
    rootfs: '/',
    mounts: [],
    entrypoint: [],
    cmd: [],
    workingDir: '',
    env: { PATH: DEFAULT_PATH },
    user: 0,
    ...r,
  };
}

/** busybox's applets as symlinks to the host's busybox, made once in the data directory and put first on PATH. */
async function busyboxApplets(busybox: string, dir: string): Promise<void> {
  const existing = await readdir(dir).catch(() => undefined);
  if (existing && existing.length > 0) return;
  await mkdir(dir, { recursive: true });
  const { stdout } = await runHostCommand(busybox, ['--list']);
  for (const applet of stdout.split('\n').map((s) => s.trim()).filter((s) => /^[\w.[-]+$/.test(s))) {
    await symlink(busybox, join(dir, applet)).catch(() => {});
  }
}

/** `materialize: false` only describes the image (listing must not write the busybox applet links). */
export async function builtinImage(repository: BuiltinRepository, tag: string, host: HostBinaries, stateDir: string, materialize = true): Promise<BuiltinResult> {
  switch (repository) {
    case 'busybox': {
      if (!host.busybox) {
        return {
          record: record('busybox', tag, {
            cmd: ['sh'],
            description: "host's /bin/sh and coreutils (busybox is not installed: apt-get install -y busybox adds its applets such as wget and nc)",
          }),
        };
      }
      const applets = join(stateDir, 'busybox-applets');
      if (materialize) await busyboxApplets(host.busybox, applets);
      return {
        record: record('busybox', tag, {
          cmd: ['sh'],
          mounts: [{ hostPath: applets, containerPath: '/opt/dabba/busybox/bin', readOnly: true }],
          env: { PATH: `/opt/dabba/busybox/bin:${DEFAULT_PATH}` },
          description: `host busybox (${host.busybox}) applets first on PATH, host root read-only`,
        }),
      };
    }
    case 'python': {
      if (!host.python3) return { unavailable: { missing: 'python3', fix: 'apt-get install -y python3' } };
      const { stdout } = await runHostCommand(host.python3, ['-c', 'import platform; print(platform.python_version())']).catch(() => ({ stdout: '' }));
      return {
        record: record('python', tag, {
          cmd: ['python3'],
          mounts: [{ hostPath: host.python3, containerPath: '/usr/local/bin/python', readOnly: true }],
          env: { PATH: DEFAULT_PATH, LANG: 'C.UTF-8', PYTHONUNBUFFERED: '1', ...(stdout.trim() ? { PYTHON_VERSION: stdout.trim() } : {}) },
          description: `host python3 ${stdout.trim()} for every python tag`.trim(),
        }),
      };
    }
    case 'node': {
      if (!host.node) return { unavailable: { missing: 'node', fix: 'npm ci (the node binary ships in node_modules/node)' } };
      return {
        record: record('node', tag, {
          cmd: ['node'],
          mounts: [{ hostPath: host.node, containerPath: '/usr/local/bin/node', readOnly: true }],
          env: { PATH: DEFAULT_PATH, NODE_VERSION: process.versions.node },
          description: `the node binary dabba runs on (${host.node}) for every node tag`,
        }),
      };
    }
    case 'nginx': {
      if (!host.nginx) return { unavailable: { missing: 'nginx', fix: 'apt-get install -y --no-install-recommends nginx-light' } };
      return {
        record: record('nginx', tag, {
          cmd: ['nginx', '-g', 'daemon off;'],
          description: `host nginx (${host.nginx}) with Debian's configuration (serves /var/www/html on port 80)`,
        }),
      };
    }
  }
}
