// Turns a pod's container spec into the runtime's ContainerConfig: env, argv, mounts, cgroup settings, security, and the runAsNonRoot check.
import { isAbsolute, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { ContainerConfig, ImageSpec, Mount, SecuritySettings } from './runtime/runtime.ts';
import { containerArgv, expandSubPath, mergeImageEnv, workingDir } from './env/command.ts';
import { ContainerConfigError, makeEnvironment, type EnvSources } from './env/environment.ts';
import { formatPod, type Container, type Pod, type VolumeMount } from './pod-worker-types.ts';
import { containerResources } from './status/resources.ts';
import type { MountedVolume } from './volumes/volume-manager.ts';

export interface ConfigInputs {
  pod: Pod;
  container: Container;
  image: ImageSpec;
  env: EnvSources;
  volumes: ReadonlyMap<string, MountedVolume>;
  /** The pod's /etc/hosts on the node, mounted unless the container mounts its own or the pod has no IP yet. */
  etcHostsPath: string | undefined;
  /** A file for the container's termination message, when it has a terminationMessagePath. */
  terminationLogPath: string | undefined;
  hostname: string;
  logPath: string;
  /** Mounts the API would have added to every container (the service-account volume of the ServiceAccount admission plugin). */
  extraMounts?: VolumeMount[];
  memoryCapacity: number;
}

/** securitycontext.DetermineEffectiveSecurityContext, as the runtime needs it. */
export function securitySettings(pod: Pod, c: Container): SecuritySettings {
  const psc = pod.spec.securityContext ?? {};
  const sc = c.securityContext ?? {};
  const supplemental = [...(psc.supplementalGroups ?? [])];
  if (psc.fsGroup !== undefined && !supplemental.includes(psc.fsGroup)) supplemental.push(psc.fsGroup);
  const privileged = sc.privileged === true;
  return {
    runAsUser: sc.runAsUser ?? psc.runAsUser,
    runAsGroup: sc.runAsGroup ?? psc.runAsGroup,
    supplementalGroups: supplemental,
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem === true,
    allowPrivilegeEscalation: privileged || sc.allowPrivilegeEscalation !== false,
    privileged,
    capabilitiesAdd: [...(sc.capabilities?.add ?? [])],
    capabilitiesDrop: [...(sc.capabilities?.drop ?? [])],
  };
}

/** verifyRunAsNonRoot, with upstream's messages. */
export function verifyRunAsNonRoot(pod: Pod, c: Container, imageUser: number | undefined): void {
  const runAsNonRoot = c.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot;
  if (!runAsNonRoot) return;
  const runAsUser = c.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
  if (runAsUser !== undefined) {
    if (runAsUser === 0) throw new ContainerConfigError(`container's runAsUser breaks non-root policy (pod: "${formatPod(pod)}", container: ${c.name})`);
    return;
  }
  if (imageUser === 0) throw new ContainerConfigError(`container has runAsNonRoot and image will run as root (pod: "${formatPod(pod)}", container: ${c.name})`);
}

/** makeMounts: the container's volume mounts (with subPath), then the managed /etc/hosts and the termination log. */
export async function containerMounts(inp: ConfigInputs, env: readonly [string, string][]): Promise<Mount[]> {
  const { container: c } = inp;
  const mounts: Mount[] = [];
  let mountHosts = !!inp.etcHostsPath;
  for (const m of [...(c.volumeMounts ?? []), ...(inp.extraMounts ?? [])]) {
    if (m.mountPath === '/etc/hosts') mountHosts = false;
    const vol = inp.volumes.get(m.name);
    if (!vol) throw new ContainerConfigError(`cannot find volume "${m.name}" to mount into container "${c.name}"`);
    const subPath = expandSubPath(m, env);
    let hostPath = vol.hostPath;
    if (subPath) {
      if (isAbsolute(subPath)) throw new ContainerConfigError(`error SubPath \`${subPath}\` must not be an absolute path`);
      if (subPath.split('/').includes('..')) throw new ContainerConfigError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
      hostPath = join(vol.hostPath, subPath);
      await mkdir(hostPath, { recursive: true }).catch(() => undefined);
    }
    const mount: Mount = { containerPath: m.mountPath, hostPath, readOnly: m.readOnly === true || vol.readOnly };
    if (vol.tmpfsBytes !== undefined && !subPath) mount.tmpfsBytes = vol.tmpfsBytes;
    mounts.push(mount);
  }
  if (mountHosts) mounts.push({ containerPath: '/etc/hosts', hostPath: inp.etcHostsPath!, readOnly: false });
  if (inp.terminationLogPath && c.terminationMessagePath) mounts.push({ containerPath: c.terminationMessagePath, hostPath: inp.terminationLogPath, readOnly: false });
  return mounts;
}

/** generateContainerConfig: everything the runtime needs to create the container; throws ContainerConfigError. */
export async function containerConfig(inp: ConfigInputs): Promise<ContainerConfig> {
  const { pod, container: c, image } = inp;
  const env = await makeEnvironment(pod, c, inp.env);
  const security = securitySettings(pod, c);
  verifyRunAsNonRoot(pod, c, image.user);
  const mounts = await containerMounts(inp, env);
  return {
    name: c.name,
    image,
    argv: containerArgv(c, env, image),
    env: mergeImageEnv(inp.hostname, image, env),
    workingDir: workingDir(c, image),
    mounts,
    resources: containerResources(pod, c, inp.memoryCapacity),
    security,
    tty: c.tty === true,
    stdin: c.stdin === true,
    stdinOnce: c.stdinOnce === true,
    logPath: inp.logPath,
  };
}
