// A container's argv and working directory from its command/args and its image's entrypoint/cmd, after $(VAR) expansion.
import type { ImageSpec } from '../runtime/runtime.ts';
import type { Container, VolumeMount } from '../pod-worker-types.ts';
import { ContainerConfigError } from './environment.ts';
import { expand, mappingFor } from './expansion.ts';

/**
 * ExpandContainerCommandAndArgs, then the image rules a CRI runtime applies: `command` replaces the entrypoint and
 * drops the image's cmd; `args` alone replace the cmd.
 */
export function containerArgv(container: Container, env: readonly [string, string][], image: Pick<ImageSpec, 'entrypoint' | 'cmd'>): string[] {
  const mapping = mappingFor(new Map(env));
  const command = (container.command ?? []).map((c) => expand(c, mapping));
  const args = (container.args ?? []).map((a) => expand(a, mapping));
  if (command.length) return [...command, ...args];
  if (container.args?.length) return [...image.entrypoint, ...args];
  return [...image.entrypoint, ...image.cmd];
}

export function workingDir(container: Container, image: Pick<ImageSpec, 'workingDir'>): string {
  return container.workingDir || image.workingDir || '/';
}

/** The image's environment overlaid with the container's, as the runtime would merge them. */
export function mergeImageEnv(hostname: string, image: Pick<ImageSpec, 'env'>, env: readonly [string, string][]): [string, string][] {
  const out = new Map<string, string>([['HOSTNAME', hostname]]);
  for (const [k, v] of Object.entries(image.env)) out.set(k, v);
  for (const [k, v] of env) out.set(k, v);
  return [...out];
}

/** kubecontainer.ExpandContainerVolumeMounts: a mount's subPath, or its subPathExpr expanded with the container's env. */
export function expandSubPath(mount: VolumeMount, env: readonly [string, string][]): string {
  if (!mount.subPathExpr) return mount.subPath ?? '';
  const vars = new Map(env);
  let missing = false;
  const expanded = expand(mount.subPathExpr, (name) => {
    const v = vars.get(name);
    if (!v) missing = true;
    return v ?? '';
  });
  if (missing) throw new ContainerConfigError(`missing value for ${mount.subPathExpr}`);
  return expanded;
}
