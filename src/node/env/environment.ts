// A container's environment as the kubelet builds it: envFrom, then env with $(VAR) expansion and value sources, then service links.
import type { ConfigMap, Container, Pod, ResourceList, Secret, Service } from '../pod-worker-types.ts';
import { expand, mappingFor } from './expansion.ts';
import { DownwardAPIError, podFieldValue, resourceFieldValue, type PodAddresses } from './field-ref.ts';
import { serviceEnvMap } from './service-env.ts';

/** The container cannot be configured (reason CreateContainerConfigError); the message is upstream's. */
export class ContainerConfigError extends Error {
  readonly code = 'NODE_ERR_CONTAINER_CONFIG';
}

/** Where env values come from: ConfigMaps and Secrets of the pod's namespace (undefined when absent) and the Services seen so far. */
export interface EnvSources extends PodAddresses {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  /** Every Service in the cluster, or undefined until the Service informer listed once. */
  services(): readonly Service[] | undefined;
  /** The node's allocatable resources: the limits a container without limits reports. */
  allocatable: ResourceList;
}

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

/** kubelet.makeEnvironmentVariables; throws ContainerConfigError with upstream's message. */
export async function makeEnvironment(pod: Pod, container: Container, src: EnvSources): Promise<[string, string][]> {
  if (pod.spec.enableServiceLinks === undefined || pod.spec.enableServiceLinks === null) {
    throw new ContainerConfigError('nil pod.spec.enableServiceLinks encountered, cannot construct envvars');
  }
  const services = src.services();
  if (!services) throw new ContainerConfigError('services have not yet been read at least once, cannot construct envvars');
  const serviceEnv = serviceEnvMap(services, pod.metadata.namespace, pod.spec.enableServiceLinks);
  const ns = pod.metadata.namespace;

  const configMaps = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  const getConfigMap = async (name: string): Promise<ConfigMap | undefined> => {
    if (configMaps.has(name)) return configMaps.get(name);
    const cm = await src.configMap(ns, name);
    if (cm) configMaps.set(name, cm);
    return cm;
  };
  const getSecret = async (name: string): Promise<Secret | undefined> => {
    if (secrets.has(name)) return secrets.get(name);
    const s = await src.secret(ns, name);
    if (s) secrets.set(name, s);
    return s;
  };

  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      const cm = await getConfigMap(name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) env.set(prefix + k, v);
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      const s = await getSecret(name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      for (const [k, v] of Object.entries(s.data ?? {})) env.set(prefix + k, decode(v));
    }
  }

  const mapping = mappingFor(env, serviceEnv);
  for (const e of container.env ?? []) {
    let value = e.value ?? '';
    if (value !== '') {
      value = expand(value, mapping);
    } else if (e.valueFrom) {
      const from = e.valueFrom;
      try {
        if (from.fieldRef) {
          value = podFieldValue(from.fieldRef, pod, src);
        } else if (from.resourceFieldRef) {
          value = resourceFieldValue(from.resourceFieldRef, pod, container, src.allocatable);
        } else if (from.configMapKeyRef) {
          const { name = '', key, optional } = from.configMapKeyRef;
          const cm = await getConfigMap(name);
          if (!cm) {
            if (optional) continue;
            throw new ContainerConfigError(`configmap "${name}" not found`);
          }
          const v = cm.data?.[key];
          if (v === undefined) {
            if (optional) continue;
            throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
          }
          value = v;
        } else if (from.secretKeyRef) {
          const { name = '', key, optional } = from.secretKeyRef;
          const s = await getSecret(name);
          if (!s) {
            if (optional) continue;
            throw new ContainerConfigError(`secret "${name}" not found`);
          }
          const v = s.data?.[key];
          if (v === undefined) {
            if (optional) continue;
            throw new ContainerConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
          }
          value = decode(v);
        }
      } catch (err) {
        if (err instanceof DownwardAPIError) throw new ContainerConfigError(err.message, { cause: err });
        throw err;
      }
    }
    // Re-setting keeps the first position of a name, as a map would.
    env.set(e.name, value);
  }

  const out: [string, string][] = [...env];
  for (const [k, v] of serviceEnv) if (!env.has(k)) out.push([k, v]);
  return out;
}
