// The ServiceAccount admission plugin's mutation: a default serviceAccountName and the kube-api-access projected volume.
import type { KObject } from '../../../registry/kobject.ts';

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

const nameChars = 'bcdfghjklmnpqrstvwxz2456789';
const suffix = () => Array.from({ length: 5 }, () => nameChars[Math.floor(Math.random() * nameChars.length)]).join('');

/**
 * As upstream's plugin/pkg/admission/serviceaccount on create: `serviceAccountName` defaults to `default`; unless the
 * pod opts out (automountServiceAccountToken: false) or a container already mounts the path, a `kube-api-access-*`
 * projected volume (bound token, cluster CA, namespace) is added and mounted read-only in every container.
 * (The service account's own automountServiceAccountToken is honoured by the node agent, which skips the volume.)
 */
export function admitServiceAccount(pod: KObject): void {
  const spec = pod.spec;
  if (!spec || pod.metadata.annotations?.['kubernetes.io/config.mirror']) return;
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
  if (spec.automountServiceAccountToken === false) return;
  const containers: KObject[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const mounted = containers.some((c) => (c.volumeMounts ?? []).some((m: { mountPath?: string }) => m.mountPath?.replace(/\/+$/, '') === serviceAccountMountPath));
  if (mounted) return;
  const name = `kube-api-access-${suffix()}`;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ];
  for (const c of containers) c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: serviceAccountMountPath }];
}
