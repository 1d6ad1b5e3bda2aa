// The ServiceAccount admission plugin: default account, the account must exist, the kube-api-access volume, pull secrets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/status-error.ts';
import type { KObject } from '../registry/kobject.ts';
import type { ResourceDefinition } from '../registry/resource.ts';
import { systemContext } from '../registry/request-context.ts';
import { serviceAccountAdmission, serviceAccountMountPath } from './service-account-admission.ts';

const podsDef = { group: '', resource: 'pods' } as ResourceDefinition;

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }): KObject => ({
  metadata: { namespace: 'ns', ...metadata },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});

/** An admission over these accounts; `lookups` counts the reads, `sleeps` the pauses between them. */
function admission(accounts: Record<string, KObject>, appearAfter = 0) {
  const calls = { lookups: 0, sleeps: [] as number[] };
  const a = serviceAccountAdmission({
    getServiceAccount: async (ns, name) => {
      calls.lookups++;
      if (calls.lookups <= appearAfter) return undefined;
      return accounts[`${ns}/${name}`];
    },
    sleep: async (ms) => void calls.sleeps.push(ms),
  });
  return { admit: async (p: KObject) => a.admit('create', podsDef, p, undefined, systemContext()), calls, a };
}

const sa = (name: string, extra: Record<string, unknown> = {}): KObject => ({ metadata: { name, namespace: 'ns' }, ...extra });

describe('ServiceAccount admission', () => {
  it('is a mutating plugin for pods only, on create only', async () => {
    const { a, calls } = admission({});
    assert.equal(a.mutating, true);
    await a.admit('create', { group: '', resource: 'configmaps' } as ResourceDefinition, pod({}), undefined, systemContext());
    await a.admit('update', podsDef, pod({ serviceAccountName: 'missing' }), pod({}), systemContext());
    assert.equal(calls.lookups, 0);
  });

  it('defaults the account and mounts a bound-token projected volume in every container', async () => {
    const { admit } = admission({ 'ns/default': sa('default') });
    const p = pod({ initContainers: [{ name: 'i', image: 'busybox' }] });
    await admit(p);
    assert.equal(p.spec.serviceAccountName, 'default');
    const vol = p.spec.volumes[0];
    assert.match(vol.name, /^kube-api-access-[a-z0-9]{5}$/);
    assert.deepEqual(vol.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    for (const c of [...p.spec.initContainers, ...p.spec.containers]) {
      assert.deepEqual(c.volumeMounts, [{ name: vol.name, readOnly: true, mountPath: serviceAccountMountPath }]);
    }
  });

  it('leaves a container that mounts the path itself alone, and the token off when the pod or the account opts out', async () => {
    const { admit } = admission({ 'ns/builder': sa('builder'), 'ns/quiet': sa('quiet', { automountServiceAccountToken: false }) });
    const own = pod({
      serviceAccountName: 'builder',
      containers: [
        { name: 'a', image: 'busybox', volumeMounts: [{ name: 'x', mountPath: serviceAccountMountPath }] },
        { name: 'b', image: 'busybox' },
      ],
    });
    await admit(own);
    assert.deepEqual(own.spec.containers[0].volumeMounts, [{ name: 'x', mountPath: serviceAccountMountPath }]);
    assert.equal(own.spec.containers[1].volumeMounts[0].name, own.spec.volumes[0].name);

    const podOptOut = pod({ serviceAccountName: 'builder', automountServiceAccountToken: false });
    await admit(podOptOut);
    assert.equal(podOptOut.spec.volumes, undefined);
    const accountOptOut = pod({ serviceAccountName: 'quiet' });
    await admit(accountOptOut);
    assert.equal(accountOptOut.spec.volumes, undefined);
    const podOptIn = pod({ serviceAccountName: 'quiet', automountServiceAccountToken: true });
    await admit(podOptIn);
    assert.equal(podOptIn.spec.volumes.length, 1);
  });

  it("copies the account's imagePullSecrets to a pod that names none", async () => {
    const { admit } = admission({ 'ns/default': sa('default', { imagePullSecrets: [{ name: 'regcred' }] }) });
    const p = pod({});
    await admit(p);
    assert.deepEqual(p.spec.imagePullSecrets, [{ name: 'regcred' }]);
    const own = pod({ imagePullSecrets: [{ name: 'mine' }] });
    await admit(own);
    assert.deepEqual(own.spec.imagePullSecrets, [{ name: 'mine' }]);
  });

  it('refuses a pod whose account does not exist, naming it by generateName before the store named it', async () => {
    const { admit, calls } = admission({});
    const refused = (e: unknown, message: string) => e instanceof StatusError && e.code === 403 && e.reason === 'Forbidden' && e.message === message;
    await assert.rejects(admit(pod({ serviceAccountName: 'foo' }, { name: 'x' })), (e: unknown) =>
      refused(e, 'pods "x" is forbidden: error looking up service account ns/foo: serviceaccount "foo" not found'),
    );
    assert.equal(calls.lookups, 1, 'a named account is looked up once');
    await assert.rejects(admit(pod({ serviceAccountName: 'foo' }, { generateName: 'web-7d4b9c-' })), (e: unknown) =>
      refused(e, 'pods "web-7d4b9c-" is forbidden: error looking up service account ns/foo: serviceaccount "foo" not found'),
    );
  });

  it("looks for `default` ten times, 100–199 ms apart, while the controller may still be making it", async () => {
    const late = admission({ 'ns/default': sa('default') }, 4);
    await late.admit(pod({}));
    assert.equal(late.calls.lookups, 5);
    assert.equal(late.calls.sleeps.length, 4);
    assert.ok(late.calls.sleeps.every((ms) => ms >= 100 && ms < 200 && ms === late.calls.sleeps[0]));

    const never = admission({});
    await assert.rejects(never.admit(pod({})), { message: 'pods "p" is forbidden: error looking up service account ns/default: serviceaccount "default" not found' });
    assert.equal(never.calls.lookups, 10);
  });

  it('leaves mirror pods as they are, and refuses one that names an account', async () => {
    const { admit, calls } = admission({});
    const mirror = pod({}, { name: 'static-web', annotations: { 'kubernetes.io/config.mirror': 'abc' } });
    await admit(mirror);
    assert.equal(mirror.spec.serviceAccountName, undefined);
    assert.equal(calls.lookups, 0);
    await assert.rejects(admit(pod({ serviceAccountName: 'default' }, { name: 'static-web', annotations: { 'kubernetes.io/config.mirror': 'abc' } })), {
      message: 'pods "static-web" is forbidden: a mirror pod may not reference service accounts',
    });
  });
});
