// The ServiceAccount admission plugin: a pod runs as an account that exists, gets its kube-api-access volume and image pull secrets.
import { StatusError } from '../../machinery/status-error.ts';
import type { Admission } from '../extension.ts';
import type { KObject } from '../registry/kobject.ts';

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
const defaultServiceAccountName = 'default';
const tokenVolumePrefix = 'kube-api-access-';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: what the kube-api-access volume asks for. */
const tokenExpirationSeconds = 3607;
const mirrorPodAnnotation = 'kubernetes.io/config.mirror';

const nameChars = 'bcdfghjklmnpqrstvwxz2456789';
const suffix = () => Array.from({ length: 5 }, () => nameChars[Math.floor(Math.random() * nameChars.length)]).join('');

/** Reads a ServiceAccount (undefined when it does not exist). */
export type ServiceAccountGetter = (namespace: string, name: string) => Promise<KObject | undefined>;

export interface ServiceAccountAdmissionOptions {
  getServiceAccount: ServiceAccountGetter;
  /** Pause between look-ups of an account not found yet (upstream: 100–199 ms). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Upstream's getServiceAccount: `default` is looked up ten times, 100–199 ms apart, since the service account
 * controller may not have made it yet in a namespace just created; other names once.
 */
async function lookUp(o: ServiceAccountAdmissionOptions, namespace: string, name: string): Promise<KObject | undefined> {
  const attempts = name === defaultServiceAccountName ? 10 : 1;
  const interval = 100 + Math.floor(Math.random() * 100);
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await sleep(interval);
    const sa = await o.getServiceAccount(namespace, name);
    if (sa) return sa;
  }
  return undefined;
}

/** Whether the token is mounted: the pod's automountServiceAccountToken, else the account's, else yes. */
function shouldAutomount(sa: KObject, pod: KObject): boolean {
  if (typeof pod.spec.automountServiceAccountToken === 'boolean') return pod.spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

/**
 * Every init and app container that does not mount the token path itself gets the kube-api-access volume there
 * (read-only); the projected volume (bound token, cluster CA, namespace) is added when one does and the pod has none.
 */
export function mountServiceAccountToken(pod: KObject): void {
  const spec = pod.spec;
  let volumeName = (spec.volumes ?? []).find((v: { name?: string }) => v.name?.startsWith(tokenVolumePrefix))?.name as string | undefined;
  const hasVolume = volumeName !== undefined;
  volumeName ??= `${tokenVolumePrefix}${suffix()}`;
  let needed = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as KObject[]) {
    if ((c.volumeMounts ?? []).some((m: { mountPath?: string }) => m.mountPath === serviceAccountMountPath)) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: serviceAccountMountPath }];
    needed = true;
  }
  if (hasVolume || !needed) return;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name: volumeName,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: tokenExpirationSeconds, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ];
}

const podsResource = { group: '', resource: 'pods' };

/** admission.NewForbidden names an object by its generateName until the store has generated its name. */
const forbidden = (pod: KObject, why: string) => StatusError.forbidden(podsResource, pod.metadata.name || pod.metadata.generateName || 'Unknown', why);

/**
 * plugin/pkg/admission/serviceaccount on pod creation: `serviceAccountName` defaults to `default`, the account must
 * exist (`error looking up service account <ns>/<name>: serviceaccount "<name>" not found`), its token is mounted
 * unless the pod or the account opts out, and its imagePullSecrets are copied to a pod that names none. Mirror
 * pods are left as they are, and may not name an account.
 */
export function serviceAccountAdmission(o: ServiceAccountAdmissionOptions): Admission {
  return {
    name: 'ServiceAccount',
    mutating: true,
    async admit(op, def, pod) {
      if (op !== 'create' || def.group !== '' || def.resource !== 'pods' || !pod.spec) return;
      const namespace = pod.metadata.namespace ?? '';
      if (pod.metadata.annotations?.[mirrorPodAnnotation] !== undefined) {
        if (pod.spec.serviceAccountName) throw forbidden(pod, 'a mirror pod may not reference service accounts');
        return;
      }
      if (!pod.spec.serviceAccountName) pod.spec.serviceAccountName = pod.spec.serviceAccount || defaultServiceAccountName;
      const name: string = pod.spec.serviceAccountName;
      const sa = await lookUp(o, namespace, name);
      if (!sa) throw forbidden(pod, `error looking up service account ${namespace}/${name}: serviceaccount ${JSON.stringify(name)} not found`);
      if (shouldAutomount(sa, pod)) mountServiceAccountToken(pod);
      if (!pod.spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) {
        pod.spec.imagePullSecrets = (sa.imagePullSecrets as { name?: string }[]).map((s) => ({ name: s.name }));
      }
    },
  };
}
