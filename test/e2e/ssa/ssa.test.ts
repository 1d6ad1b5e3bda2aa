// Server-side apply driven by kubectl 1.27 and 1.33 against a real `dabba up`: no-op re-applies, conflicts, force, managedFields, client-side-apply upgrade, diff and pruning.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { api, exists, kubectlPath, TestCluster } from '../cluster.ts';

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

function deployment(name: string, replicas: number, opts: { image?: string; minReadySeconds?: number; labels?: Record<string, string> } = {}): string {
  const labels = opts.labels ? `  labels: ${JSON.stringify(opts.labels)}\n` : '';
  const minReady = opts.minReadySeconds === undefined ? '' : `  minReadySeconds: ${opts.minReadySeconds}\n`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
${labels}spec:
  replicas: ${replicas}
${minReady}  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: app
        image: ${opts.image ?? 'nginx:1.27'}
        ports:
        - containerPort: 80
`;
}

for (const minor of [27, 33]) {
  describe(`server-side apply with kubectl 1.${minor}`, async () => {
    const missing = !(await exists(kubectlPath(minor)));
    let c: TestCluster;
    const k = (args: string[], input?: string) => c.kubectl(minor, args, input);
    const ok = async (args: string[], input?: string) => {
      const r = await k(args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    };
    const getJson = async (name: string) => JSON.parse(await ok(['get', 'deployment', name, '-o', 'json', '--show-managed-fields']));
    const entries = async (name: string): Promise<Entry[]> => (await getJson(name)).metadata.managedFields;

    before(async () => {
      if (!missing) c = await TestCluster.start();
    });
    after(async () => {
      await c?.destroy();
    });
    const opts = { skip: missing ? `skipped: kubectl 1.${minor} not installed` : false };

    // The deployment controller writes status and the revision annotation meanwhile (as upstream's does), so the
    // applier's own record and the generation tell whether the second apply changed anything; the Service and
    // ConfigMap case below checks the resourceVersion of kinds no controller touches.
    it('applies twice without a change: same generation, same applier entry', opts, async () => {
      assert.equal(await ok(['apply', '--server-side', '-f', '-'], deployment('web', 2)), 'deployment.apps/web serverside-applied\n');
      const first = await getJson('web');
      assert.equal(await ok(['apply', '--server-side', '-f', '-'], deployment('web', 2)), 'deployment.apps/web serverside-applied\n');
      const second = await getJson('web');
      assert.equal(second.metadata.generation, first.metadata.generation);
      const applier = (o: { metadata: { managedFields: Entry[] } }) => o.metadata.managedFields.find((e) => e.manager === 'kubectl');
      assert.deepEqual(applier(second), applier(first));
    });

    it('a new co-owner applying the same values is a write (ownership changed) without a time', opts, async () => {
      await ok(['apply', '--server-side', '-f', '-'], deployment('shared', 1));
      const before = await getJson('shared');
      await ok(['apply', '--server-side', '--field-manager=co-owner', '-f', '-'], deployment('shared', 1));
      const after = await getJson('shared');
      assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
      assert.equal(after.metadata.generation, before.metadata.generation);
      const co = (after.metadata.managedFields as Entry[]).find((e) => e.manager === 'co-owner');
      assert.equal(co?.operation, 'Apply');
      assert.equal(co?.time, undefined);
      assert.deepEqual(co?.fieldsV1, (after.metadata.managedFields as Entry[]).find((e) => e.manager === 'kubectl')?.fieldsV1);
    });

    it('re-applies a Service and a ConfigMap without a change', opts, async () => {
      const manifests = `apiVersion: v1
kind: Service
metadata: {name: svc, namespace: default}
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: default}
data: {a: "1"}
`;
      assert.equal(await ok(['apply', '--server-side', '-f', '-'], manifests), 'service/svc serverside-applied\nconfigmap/cm serverside-applied\n');
      const versions = async () => (await ok(['get', 'service/svc', 'configmap/cm', '-o', 'jsonpath={.items[*].metadata.resourceVersion}'])).trim();
      const first = await versions();
      await ok(['apply', '--server-side', '-f', '-'], manifests);
      assert.equal(await versions(), first);
      const svc = JSON.parse(await ok(['get', 'service', 'svc', '-o', 'json', '--show-managed-fields']));
      assert.deepEqual(svc.metadata.managedFields[0].fieldsV1, {
        'f:spec': {
          'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } },
          'f:selector': {},
        },
      });
    });

    it('records the applier as upstream does', opts, async () => {
      const all = await entries('web');
      const e = all.find((x) => x.manager === 'kubectl');
      assert.ok(all.every((x) => x.manager === 'kubectl' || x.operation === 'Update'), 'only controllers write besides the applier');
      assert.match(e!.time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual({ ...e, time: undefined }, {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: undefined,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"app"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      });
      const yaml = await ok(['get', 'deployment', 'web', '-o', 'yaml', '--show-managed-fields']);
      assert.match(yaml, /managedFields:\n {2}- apiVersion: apps\/v1\n {4}fieldsType: FieldsV1\n {4}fieldsV1:\n {6}f:spec:\n {8}f:replicas: \{\}\n/);
      assert.match(yaml, / {14}k:\{"name":"app"\}:\n {16}\.: \{\}\n/);
      assert.doesNotMatch(await ok(['get', 'deployment', 'web', '-o', 'yaml']), /managedFields/);
    });

    it('a second field manager changing replicas gets the conflict', opts, async () => {
      const r = await k(['apply', '--server-side', '--field-manager=other', '-f', '-'], deployment('web', 3));
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas\n/);
      assert.equal((await getJson('web')).spec.replicas, 2);
    });

    it('--force-conflicts takes ownership', opts, async () => {
      await ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], deployment('web', 3));
      const obj = await getJson('web');
      assert.equal(obj.spec.replicas, 3);
      const byManager = new Map((obj.metadata.managedFields as Entry[]).map((e) => [e.manager, e]));
      const spec = (e: Entry | undefined) => (e?.fieldsV1['f:spec'] ?? {}) as Record<string, unknown>;
      assert.ok(spec(byManager.get('other'))['f:replicas']);
      assert.equal(spec(byManager.get('kubectl'))['f:replicas'], undefined);
      assert.ok(spec(byManager.get('kubectl'))['f:template'], 'fields applied with equal values stay co-owned');
      // kubectl now conflicts with "other".
      const back = await k(['apply', '--server-side', '-f', '-'], deployment('web', 2));
      assert.match(back.stderr, /conflict with "other": \.spec\.replicas/);
    });

    it('kubectl scale takes the replicas over through /scale', opts, async () => {
      await ok(['apply', '--server-side', '-f', '-'], deployment('scaled', 1));
      await ok(['scale', 'deployment', 'scaled', '--replicas=4']);
      const scaleEntry = (await entries('scaled')).find((e) => e.subresource === 'scale');
      assert.deepEqual(scaleEntry, {
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
        // kubectl scale sends no fieldManager: the manager is its User-Agent's first word, the binary's name.
        manager: `kubectl.1.${minor}`,
        operation: 'Update',
        subresource: 'scale',
      });
      const r = await k(['apply', '--server-side', '-f', '-'], deployment('scaled', 1));
      assert.equal(
        r.stderr.split('\n')[0],
        `error: Apply failed with 1 conflict: conflict with "kubectl.1.${minor}" with subresource "scale" using apps/v1: .spec.replicas`,
      );
    });

    it('kubectl diff --server-side shows a pending change and changes nothing', opts, async () => {
      await ok(['apply', '--server-side', '-f', '-'], deployment('diffed', 1));
      const before = await getJson('diffed');
      const r = await k(['diff', '--server-side', '-f', '-'], deployment('diffed', 1, { image: 'nginx:1.28' }));
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^- {6}- image: nginx:1\.27$/m);
      assert.match(r.stdout, /^\+ {6}- image: nginx:1\.28$/m);
      const changed = r.stdout.split('\n').filter((l) => /^[-+] /.test(l));
      assert.deepEqual(changed, ['-  generation: 1', '+  generation: 2', '-      - image: nginx:1.27', '+      - image: nginx:1.28']);
      const same = await k(['diff', '--server-side', '-f', '-'], deployment('diffed', 1));
      assert.equal(same.code, 0, same.stdout + same.stderr);
      assert.equal(same.stdout, '');
      // The controller keeps writing status; what diff must not change is the object itself.
      const after = await getJson('diffed');
      assert.equal(after.metadata.generation, before.metadata.generation);
      assert.equal(after.spec.template.spec.containers[0].image, 'nginx:1.27');
    });

    it('a field removed from the applied manifest is removed from the object', opts, async () => {
      await ok(['apply', '--server-side', '-f', '-'], deployment('pruned', 1, { minReadySeconds: 5, labels: { tier: 'web', team: 'a' } }));
      await ok(['apply', '--server-side', '-f', '-'], deployment('pruned', 1, { labels: { tier: 'web' } }));
      const obj = await getJson('pruned');
      assert.equal(obj.spec.minReadySeconds, undefined);
      assert.deepEqual(obj.metadata.labels, { tier: 'web' });
    });

    it('upgrades an object from client-side apply to server-side apply', opts, async () => {
      assert.equal(await ok(['apply', '-f', '-'], deployment('csa', 1)), 'deployment.apps/csa created\n');
      const created = await entries('csa');
      const csa = created.find((e) => e.manager === 'kubectl-client-side-apply');
      assert.equal(csa?.operation, 'Update');
      assert.equal(csa?.apiVersion, 'apps/v1');
      // Upstream's create compares against the Go zero value: spec and template exist there, so only new parents get ".".
      const spec = csa?.fieldsV1['f:spec'] as Record<string, Record<string, unknown>>;
      assert.equal(spec['.'], undefined);
      assert.deepEqual(spec['f:strategy'], { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} });
      // A changed replica count would conflict with kubectl-client-side-apply for anyone but kubectl.
      const other = await k(['apply', '--server-side', '--field-manager=someone', '-f', '-'], deployment('csa', 4));
      assert.match(other.stderr, /Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas/);
      assert.equal(await ok(['apply', '--server-side', '-f', '-'], deployment('csa', 4)), 'deployment.apps/csa serverside-applied\n');
      const obj = await getJson('csa');
      assert.equal(obj.spec.replicas, 4);
      const lastApplied = JSON.parse(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
      assert.equal(lastApplied.spec.replicas, 4);
      const managers = (obj.metadata.managedFields as Entry[]).map((e) => `${e.manager}/${e.operation}`);
      assert.ok(managers.includes('kubectl/Apply'), managers.join(' '));
      // Client-side apply still works on the upgraded object.
      await ok(['apply', '-f', '-'], deployment('csa', 5));
      assert.equal((await getJson('csa')).spec.replicas, 5);
    });

    it('answers applies it cannot take with upstream status errors', opts, async () => {
      const path = '/apis/apps/v1/namespaces/default/deployments/web?fieldManager=raw&fieldValidation=Strict';
      const headers = { 'Content-Type': 'application/apply-patch+yaml' };
      const bad = await api(c, 'PATCH', path, { headers, body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' } }) });
      assert.equal(bad.status, 400);
      assert.equal(bad.json().message, 'invalid object type: apps/v1, Kind=ReplicaSet');
      const unknown = await api(c, 'PATCH', path, { headers, body: deployment('web', 3).replace('  replicas: 3\n', '  replicas: 3\n  bogus: 1\n') });
      assert.equal(unknown.status, 500);
      assert.equal(unknown.json().message, 'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.bogus: field not declared in schema');
      const conflict = await api(c, 'PATCH', path, { headers, body: deployment('web', 7) });
      assert.equal(conflict.status, 409);
      assert.deepEqual(conflict.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Apply failed with 1 conflict: conflict with "other": .spec.replicas',
        reason: 'Conflict',
        details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "other"', field: '.spec.replicas' }] },
        code: 409,
      });
    });

    it('resets managedFields when a patch sets them to one empty entry, as the docs describe', opts, async () => {
      await ok(['apply', '--server-side', '-f', '-'], deployment('reset', 1));
      // The deployment controller writes its revision annotation once; let it, so only the test's managers follow the reset.
      for (let i = 0; i < 200 && !(await getJson('reset')).metadata.annotations?.['deployment.kubernetes.io/revision']; i++) await new Promise((r) => setTimeout(r, 50));
      const r = await api(c, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/reset', {
        headers: { 'Content-Type': 'application/json-patch+json' },
        body: [{ op: 'replace', path: '/metadata/managedFields', value: [{}] }],
      });
      assert.equal(r.status, 200, r.body);
      assert.equal(r.json().metadata.managedFields, undefined);
      // The next apply starts over: what exists goes to "before-first-apply".
      await ok(['apply', '--server-side', '-f', '-'], deployment('reset', 1));
      assert.deepEqual((await entries('reset')).map((e) => `${e.manager}/${e.operation}`), ['kubectl/Apply', 'before-first-apply/Update']);
    });

    it('tracks status writes under the status subresource', opts, async () => {
      const path = '/apis/apps/v1/namespaces/default/deployments/web/status?fieldManager=status-writer';
      const r = await api(c, 'PATCH', path, {
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: { status: { observedGeneration: 99 } },
      });
      assert.equal(r.status, 200, r.body);
      const e = (r.json().metadata.managedFields as Entry[]).find((x) => x.manager === 'status-writer');
      assert.deepEqual({ ...e, time: undefined }, {
        manager: 'status-writer',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: undefined,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:status': { 'f:observedGeneration': {} } },
        subresource: 'status',
      });
    });
  });
}
