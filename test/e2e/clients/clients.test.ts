// The official Python client and @kubernetes/client-node (an informer) work against a real `dabba up`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { exists, repoRoot, run, TestCluster } from '../cluster.ts';

const python = '/usr/bin/python3';

describe('official clients', async () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
  });
  after(async () => {
    await c?.destroy();
  });

  const hasPy = (await exists(python)) && (await run(python, ['-c', 'import kubernetes'])).code === 0;
  it('python3-kubernetes lists, creates, watches and patches', { skip: hasPy ? false : 'skipped: python3-kubernetes not installed (apt-get install python3-kubernetes)' }, async () => {
    const r = await run(python, [join(repoRoot, 'test/e2e/clients/python_client.py'), c.kubeconfig]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /python client ok/);
  });

  it('@kubernetes/client-node reads a ConfigMap and a Secret and patches a Deployment with its whole body', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(c.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'js-cm' }, data: { mode: 'fast' } } });
    await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'js-secret' }, stringData: { token: 't0k3n' } } });
    assert.equal((await core.readNamespacedConfigMap({ name: 'js-cm', namespace: 'default' })).data?.mode, 'fast');
    const secret = await core.readNamespacedSecret({ name: 'js-secret', namespace: 'default' });
    assert.equal(Buffer.from(secret.data!.token, 'base64').toString(), 't0k3n');
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'js-deploy' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'js' } },
          template: { metadata: { labels: { app: 'js' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
        },
      },
    });
    // The whole object carries its resourceVersion: a controller write in between is a 409, so read again and retry.
    for (let attempt = 0; ; attempt++) {
      const d = await apps.readNamespacedDeployment({ name: 'js-deploy', namespace: 'default' });
      d.spec!.replicas = 4;
      try {
        await apps.patchNamespacedDeployment(
          { name: 'js-deploy', namespace: 'default', body: d },
          k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
        );
        break;
      } catch (e) {
        if ((e as { code?: number }).code !== 409 || attempt > 20) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.equal((await apps.readNamespacedDeployment({ name: 'js-deploy', namespace: 'default' })).spec?.replicas, 4);
  });

  it('@kubernetes/client-node runs an informer', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(c.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
    const added: string[] = [];
    const deleted: string[] = [];
    informer.on('add', (o) => added.push(o.metadata?.name ?? ''));
    informer.on('delete', (o) => deleted.push(o.metadata?.name ?? ''));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'node-informed' }, data: { a: '1' } } });
      const until = async (f: () => boolean) => {
        const deadline = Date.now() + 10_000;
        while (!f() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      };
      await until(() => added.includes('node-informed'));
      assert.ok(added.includes('node-informed'), `added: ${added}`);
      await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'node-informed' });
      await until(() => deleted.includes('node-informed'));
      assert.ok(deleted.includes('node-informed'), `deleted: ${deleted}`);
    } finally {
      await informer.stop();
    }
  });
});
