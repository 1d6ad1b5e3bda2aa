// kubectl 1.33 and 1.27 drive CustomResourceDefinitions on a real `dabba up`: serving, validation, printing, scale and deletion.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { api, exists, kubectlPath, TestCluster } from '../cluster.ts';

const crdYaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec:
                type: string
                pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
              image:
                type: string
              replicas:
                type: integer
                minimum: 0
                maximum: 10
                default: 1
              policy:
                type: string
                enum: [Allow, Forbid, Replace]
                default: Allow
          status:
            type: object
            properties:
              replicas:
                type: integer
              labelSelector:
                type: string
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.labelSelector
    additionalPrinterColumns:
    - name: Spec
      type: string
      description: The cron spec defining the interval a CronJob is run
      jsonPath: .spec.cronSpec
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Policy
      type: string
      priority: 1
      jsonPath: .spec.policy
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
`;

const cronTab = (name: string, spec: string) => `apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: ${name}
  namespace: default
spec:
${spec}`;

const base = '/apis/stable.example.com/v1/namespaces/default/crontabs';

for (const minor of [33, 27]) {
  describe(`CustomResourceDefinitions with kubectl 1.${minor}`, async () => {
    const missing = !(await exists(kubectlPath(minor)));
    let c: TestCluster;
    const k = (args: string[], input?: string) => c.kubectl(minor, args, input);
    const ok = async (args: string[], input?: string) => {
      const r = await k(args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    };
    const fails = async (args: string[], input?: string) => {
      const r = await k(args, input);
      assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should have failed:\n${r.stdout}`);
      return r.stderr;
    };

    before(async () => {
      if (!missing) c = await TestCluster.start();
    });
    after(async () => {
      await c?.destroy();
    });
    const opts = { skip: missing ? `skipped: kubectl 1.${minor} not installed` : false };

    it('creates a CRD that is established and served at once', opts, async () => {
      assert.match(await ok(['apply', '-f', '-'], crdYaml), /customresourcedefinition.apiextensions.k8s.io\/crontabs.stable.example.com created/);
      await ok(['wait', '--for=condition=established', '--timeout=10s', 'crd/crontabs.stable.example.com']);
      const list = await ok(['get', 'crd']);
      assert.match(list, /^NAME\s+CREATED AT\n/);
      assert.match(list, /\ncrontabs\.stable\.example\.com\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
      const resources = await ok(['api-resources', '--api-group=stable.example.com']);
      assert.match(resources, /crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab/);
      const crd = (await api(c, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).json();
      assert.deepEqual(
        crd.status.conditions.map((x: Record<string, string>) => [x.type, x.status, x.reason, x.message]),
        [
          ['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'],
          ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'],
        ],
      );
      assert.deepEqual(crd.status.acceptedNames, {
        plural: 'crontabs',
        singular: 'crontab',
        shortNames: ['ct'],
        kind: 'CronTab',
        listKind: 'CronTabList',
        categories: ['all'],
      });
      assert.deepEqual(crd.status.storedVersions, ['v1']);
      assert.deepEqual(crd.spec.conversion, { strategy: 'None' });
    });

    it('refuses an invalid CRD with upstream messages', opts, async () => {
      const bad = crdYaml
        .replace('name: crontabs.stable.example.com', 'name: crontab.stable.example.com')
        .replace('storage: true', 'storage: false')
        .replace('              image:\n                type: string\n', '              image: {}\n');
      const err = await fails(['apply', '-f', '-'], bad);
      assert.match(err, /The CustomResourceDefinition "crontab\.stable\.example\.com" is invalid:/);
      assert.match(err, /metadata\.name: Invalid value: "crontab\.stable\.example\.com": must be spec\.names\.plural\+"\."\+spec\.group/);
      assert.match(err, /spec\.validation\.openAPIV3Schema\.properties\[spec\]\.properties\[image\]\.type: Required value: must not be empty for specified object fields/);
      assert.match(err, /spec\.versions: Invalid value: .*: must have exactly one version marked as storage version/);
    });

    it('applies a custom resource with defaults and prints its columns', opts, async () => {
      await ok(['apply', '-f', '-'], cronTab('my-cron', '  cronSpec: "* * * * */5"\n  image: my-awesome-cron-image\n'));
      const table = await ok(['get', 'ct']);
      assert.match(table, /^NAME\s+SPEC\s+REPLICAS\s+AGE\n/);
      assert.match(table, /\nmy-cron\s+\* \* \* \* \*\/5\s+1\s+\d+s\n/);
      assert.match(await ok(['get', 'crontabs', '-o', 'wide']), /^NAME\s+SPEC\s+REPLICAS\s+POLICY\s+AGE\n/);
      assert.match(await ok(['get', 'all']), /crontab\.stable\.example\.com\/my-cron/);
      const obj = JSON.parse(await ok(['get', 'crontab', 'my-cron', '-o', 'json']));
      assert.deepEqual(obj.spec, { cronSpec: '* * * * */5', image: 'my-awesome-cron-image', policy: 'Allow', replicas: 1 });
      assert.equal(obj.metadata.generation, 1);
    });

    it('rejects an invalid custom resource with upstream text', opts, async () => {
      const err = await fails(['apply', '-f', '-'], cronTab('bad', '  cronSpec: "nope"\n  replicas: "three"\n  policy: Sometimes\n'));
      assert.match(err, /The CronTab "bad" is invalid:/);
      assert.match(err, /spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/);
      assert.match(err, /spec\.policy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"/);
      assert.match(err, /spec\.cronSpec: Invalid value: "nope": spec\.cronSpec in body should match '\^\(\\d\+\|\\\*\)/);
      const big = await fails(['apply', '-f', '-'], cronTab('big', '  cronSpec: "* * * * *"\n  replicas: 11\n'));
      assert.match(big, /spec\.replicas: Invalid value: 11: spec\.replicas in body should be less than or equal to 10/);
    });

    it('rejects unknown fields under strict validation, as upstream words it', opts, async () => {
      const err = await fails(['apply', '-f', '-'], cronTab('unknown', '  cronSpec: "* * * * *"\n  foo: 1\n  bar: true\n'));
      assert.match(
        err,
        /Error from server \(BadRequest\): error when creating "STDIN": CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec\.bar", unknown field "spec\.foo"/,
      );
      // Without strict validation the fields are pruned and a warning names them.
      const r = await k(['apply', '--validate=warn', '-f', '-'], cronTab('pruned', '  cronSpec: "* * * * *"\n  foo: 1\n'));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /unknown field "spec\.foo"/);
      assert.equal((await ok(['get', 'ct', 'pruned', '-o', 'jsonpath={.spec.foo}'])).trim(), '');
    });

    it('explains the custom resource from its published schema', opts, async () => {
      const out = await ok(['explain', 'crontab.spec']);
      assert.match(out, /KIND:\s+CronTab/);
      assert.match(out, /VERSION:\s+v1/);
      assert.match(out, /replicas\s+<integer>/);
      assert.match(out, /cronSpec\s+<string>/);
      const doc = (await api(c, 'GET', '/openapi/v3/apis/stable.example.com/v1')).json();
      const schema = doc.components.schemas['com.example.stable.v1.CronTab'];
      assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    });

    it('scales through the scale subresource', opts, async () => {
      assert.match(await ok(['scale', 'ct', 'my-cron', '--replicas=3']), /crontab\.stable\.example\.com\/my-cron scaled/);
      assert.equal(await ok(['get', 'ct', 'my-cron', '-o', 'jsonpath={.spec.replicas}']), '3');
      const scale = (await api(c, 'GET', `${base}/my-cron/scale`)).json();
      assert.equal(scale.kind, 'Scale');
      assert.equal(scale.apiVersion, 'autoscaling/v1');
      assert.equal(scale.spec.replicas, 3);
      assert.equal(scale.status.replicas, 0);
    });

    it('keeps status to the status subresource', opts, async () => {
      const cur = (await api(c, 'GET', `${base}/my-cron`)).json();
      const withStatus = { ...cur, status: { replicas: 2, labelSelector: 'app=cron' } };
      const main = (await api(c, 'PUT', `${base}/my-cron`, { body: withStatus })).json();
      assert.equal(main.status, undefined);
      const st = await api(c, 'PUT', `${base}/my-cron/status`, { body: { ...withStatus, metadata: { ...withStatus.metadata, resourceVersion: main.metadata.resourceVersion } } });
      assert.equal(st.status, 200, st.body);
      assert.deepEqual(st.json().status, { replicas: 2, labelSelector: 'app=cron' });
      assert.equal((await api(c, 'GET', `${base}/my-cron/scale`)).json().status.selector, 'app=cron');
      const bad = await api(c, 'PATCH', `${base}/my-cron/status`, {
        body: { status: { replicas: 'two' } },
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      assert.equal(bad.status, 422);
      assert.match(bad.json().message, /status\.replicas: Invalid value: "string": replicas in body must be of type integer: "string"/);
    });

    it('patches with JSON merge patch, and refuses strategic merge patch as upstream', opts, async () => {
      await ok(['patch', 'ct', 'my-cron', '--type=merge', '-p', '{"spec":{"image":"new-image"}}']);
      const obj = JSON.parse(await ok(['get', 'ct', 'my-cron', '-o', 'json']));
      assert.equal(obj.spec.image, 'new-image');
      assert.equal(obj.metadata.generation, 3);
      const err = await fails(['patch', 'ct', 'my-cron', '-p', '{"spec":{"image":"x"}}']);
      assert.match(
        err,
        /application\/strategic-merge-patch\+json is not supported by stable\.example\.com\/v1, Kind=CronTab: the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml/,
      );
      const raw = await api(c, 'PATCH', `${base}/my-cron`, { body: { spec: { image: 'x' } }, headers: { 'Content-Type': 'application/strategic-merge-patch+json' } });
      assert.equal(raw.status, 415);
      assert.equal(raw.json().reason, 'UnsupportedMediaType');
    });

    it('deletes its custom resources with the CRD and leaves discovery', opts, async () => {
      assert.match(await ok(['delete', 'crd', 'crontabs.stable.example.com']), /customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted/);
      assert.equal((await api(c, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).status, 404);
      assert.equal((await api(c, 'GET', '/apis/stable.example.com/v1')).status, 404);
      assert.doesNotMatch(await ok(['api-resources']), /crontabs/);
      assert.match(await fails(['get', 'ct']), /the server doesn't have a resource type "ct"/);
      // Created again, the resource starts empty: the old custom resources went with the CRD.
      await ok(['apply', '-f', '-'], crdYaml);
      await ok(['wait', '--for=condition=established', '--timeout=10s', 'crd/crontabs.stable.example.com']);
      assert.deepEqual((await api(c, 'GET', base)).json().items, []);
    });

    it('refuses names another CRD of the group holds', opts, async () => {
      const clash = crdYaml
        .replace('name: crontabs.stable.example.com', 'name: cronjobs.stable.example.com')
        .replace('plural: crontabs', 'plural: cronjobs')
        .replace('singular: crontab', 'singular: cronjob')
        .replace('shortNames: [ct]', 'shortNames: [cj]');
      await ok(['apply', '-f', '-'], clash);
      let conditions: Record<string, string>[] = [];
      for (let i = 0; i < 50 && conditions.length < 2; i++) {
        conditions = (await api(c, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/cronjobs.stable.example.com')).json().status.conditions ?? [];
        if (conditions.length < 2) await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(
        conditions.map((x) => [x.type, x.status, x.reason, x.message]),
        [
          ['NamesAccepted', 'False', 'ListKindConflict', '"CronTabList" is already in use'],
          ['Established', 'False', 'NotAccepted', 'not all names are accepted'],
        ],
      );
      const resources = (await api(c, 'GET', '/apis/stable.example.com/v1')).json().resources.map((r: { name: string }) => r.name);
      assert.ok(!resources.includes('cronjobs'), resources.join(','));
      await ok(['delete', 'crd', 'cronjobs.stable.example.com']);
    });

    it('holds a deleted CRD until custom resources with finalizers go, refusing new ones meanwhile', opts, async () => {
      const held = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: { cronSpec: '* * * * *' } };
      assert.equal((await api(c, 'POST', base, { body: held })).status, 201);
      await ok(['delete', 'crd', 'crontabs.stable.example.com', '--wait=false']);
      const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com';
      let crd = (await api(c, 'GET', crdPath)).json();
      assert.ok(crd.metadata.deletionTimestamp);
      assert.deepEqual(crd.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
      for (let i = 0; i < 50 && crd.status.conditions.find((x: { type: string }) => x.type === 'Terminating')?.reason !== 'InstanceDeletionInProgress'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        crd = (await api(c, 'GET', crdPath)).json();
      }
      const terminating = crd.status.conditions.find((x: { type: string }) => x.type === 'Terminating');
      assert.deepEqual([terminating.status, terminating.message], ['True', 'CustomResource deletion is in progress']);
      const refused = await api(c, 'POST', base, { body: { ...held, metadata: { name: 'late' } } });
      assert.equal(refused.status, 405);
      assert.equal(refused.json().message, 'create not allowed while custom resource definition is terminating');
      const released = await api(c, 'PATCH', `${base}/held`, {
        body: { metadata: { finalizers: null } },
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      assert.equal(released.status, 200, released.body);
      let gone = false;
      for (let i = 0; i < 100 && !gone; i++) {
        gone = (await api(c, 'GET', crdPath)).status === 404;
        if (!gone) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(gone, 'the CRD should go once its last custom resource is gone');
    });

    it('serves CRDs and their custom resources again after a restart', opts, async () => {
      await ok(['apply', '-f', '-'], crdYaml);
      await ok(['wait', '--for=condition=established', '--timeout=10s', 'crd/crontabs.stable.example.com']);
      await ok(['apply', '-f', '-'], cronTab('survivor', '  cronSpec: "* * * * *"\n'));
      await c.stop();
      await c.up();
      assert.match(await ok(['get', 'ct']), /\nsurvivor\s+\* \* \* \* \*\s+1\s+/);
    });
  });
}
