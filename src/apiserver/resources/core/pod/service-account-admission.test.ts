// The ServiceAccount admission mutation: default account name and the kube-api-access volume, unless opted out.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { admitServiceAccount, serviceAccountMountPath } from './service-account-admission.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const pod = (spec: Record<string, unknown>): { metadata: Record<string, unknown>; spec: any } => ({
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});

it('defaults the account and mounts a bound-token projected volume in every container', () => {
  const p = pod({ initContainers: [{ name: 'i', image: 'busybox' }] });
  admitServiceAccount(p);
  assert.equal(p.spec.serviceAccountName, 'default');
  const vol = (p.spec as { volumes: { name: string; projected: { sources: object[] } }[] }).volumes[0];
  assert.match(vol.name, /^kube-api-access-[a-z0-9]{5}$/);
  assert.deepEqual(vol.projected.sources[0], { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } });
  for (const c of [...(p.spec as { initContainers: { volumeMounts: object[] }[] }).initContainers, ...(p.spec.containers as { volumeMounts: object[] }[])]) {
    assert.deepEqual(c.volumeMounts, [{ name: vol.name, readOnly: true, mountPath: serviceAccountMountPath }]);
  }
});

it('keeps a given account, and adds nothing when the pod opts out or mounts the path itself', () => {
  const named = pod({ serviceAccountName: 'builder', automountServiceAccountToken: false });
  admitServiceAccount(named);
  assert.equal(named.spec.serviceAccountName, 'builder');
  assert.equal((named.spec as { volumes?: unknown }).volumes, undefined);
  const own = pod({ containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'x', mountPath: serviceAccountMountPath + '/' }] }] });
  admitServiceAccount(own);
  assert.equal((own.spec as { volumes?: unknown }).volumes, undefined);
});
