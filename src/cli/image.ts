// `dabba image add|ls|rm`: registers a project's own images in the node's image store (`<data-dir>/images/`), lists and removes them.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ImageStore } from '../node/images/image-store.ts';

export class ImageCommandError extends Error {
  readonly code = 'DABBA_IMAGE_USAGE';
}

export const imageUsage = `Usage:
  dabba image add NAME:TAG --from DIR [--workdir /app] [--rootfs DIR] [--env K=V]... [--user UID]
                  [--entrypoint CMD] --cmd COMMAND [ARG...]
      DIR is mounted read-only at --workdir (default /app) on the host's read-only root
      (or on --rootfs, an unpacked root filesystem); everything after --cmd is the image's CMD.
  dabba image ls
  dabba image rm NAME:TAG
Flags: --data-dir DIR (default ~/.dabba)
Images can also be registered through the API of a running cluster: kubectl apply an Image
(apiVersion dabba.dev/v1alpha1, see \`kubectl explain image.spec\`); \`kubectl get images\` lists those.
`;

/** Runs one `dabba image` subcommand; returns what to print. */
export async function imageCommand(args: string[], dataDir: string): Promise<string> {
  const [sub, ...rest] = args;
  const store = new ImageStore({ dataDir });
  switch (sub) {
    case 'add': {
      const cmdAt = rest.indexOf('--cmd');
      const flags = cmdAt === -1 ? rest : rest.slice(0, cmdAt);
      const cmd = cmdAt === -1 ? [] : rest.slice(cmdAt + 1);
      const { values, positionals } = parseArgs({
        args: flags,
        options: {
          from: { type: 'string' },
          workdir: { type: 'string' },
          rootfs: { type: 'string' },
          env: { type: 'string', multiple: true },
          user: { type: 'string' },
          entrypoint: { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
      });
      const [name] = positionals;
      if (!name || positionals.length > 1) throw new ImageCommandError('image add: give exactly one NAME:TAG');
      if (!values.from && !values.rootfs) throw new ImageCommandError('image add: --from DIR (the project directory) or --rootfs DIR is required');
      if (cmd.length === 0 && !values.entrypoint) throw new ImageCommandError('image add: --cmd COMMAND [ARG...] (or --entrypoint) is required');
      const workdir = values.workdir ?? (values.from ? '/app' : '/');
      if (!workdir.startsWith('/')) throw new ImageCommandError(`image add: --workdir must be an absolute path, not "${workdir}"`);
      const env: Record<string, string> = {};
      for (const kv of values.env ?? []) {
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new ImageCommandError(`image add: --env wants KEY=VALUE, not "${kv}"`);
        env[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      const user = values.user === undefined ? 0 : Number(values.user);
      if (!Number.isInteger(user) || user < 0) throw new ImageCommandError(`image add: --user must be a numeric uid, not "${values.user}"`);
      const from = values.from ? resolve(values.from) : undefined;
      if (from && !(await stat(from).then((s) => s.isDirectory(), () => false))) throw new ImageCommandError(`image add: --from ${from} is not a directory`);
      const rec = await store.add({
        name,
        rootfs: values.rootfs ? resolve(values.rootfs) : '/',
        mounts: from ? [{ hostPath: from, containerPath: workdir, readOnly: true }] : [],
        entrypoint: values.entrypoint ? [values.entrypoint] : [],
        cmd,
        workingDir: workdir,
        env,
        user,
        description: from ? `${from} at ${workdir}` : `root filesystem ${values.rootfs}`,
      });
      return `image ${rec.repository}:${rec.tag} registered in ${store.dir}\n`;
    }
    case 'ls':
    case 'list': {
      const rows = await store.list();
      const width = Math.max(4, ...rows.map((r) => r.name.length));
      return [`${'NAME'.padEnd(width)}  KIND      READY  DESCRIPTION`, ...rows.map((r) => `${r.name.padEnd(width)}  ${(r.builtin ? 'built-in' : 'project').padEnd(8)}  ${(r.available ? 'yes' : 'no').padEnd(5)}  ${r.description}`)].join('\n') + '\n';
    }
    case 'rm':
    case 'remove': {
      if (rest.length !== 1) throw new ImageCommandError('image rm: give exactly one NAME:TAG');
      if (!(await store.remove(rest[0]))) throw new ImageCommandError(`image rm: ${rest[0]} is not registered (built-in images cannot be removed)`);
      return `image ${rest[0]} removed\n`;
    }
    default:
      throw new ImageCommandError(sub ? `unknown image command "${sub}"` : 'image: add, ls or rm?');
  }
}
