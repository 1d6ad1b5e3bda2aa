// kubectl 1.27, 1.30 and 1.33 drive a real `dabba up`: the seed manifests, everyday commands and upstream's messages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { exists, kubectlPath, repoRoot, TestCluster } from '../cluster.ts';
import { cidrContains, parseCidr } from '../../../src/node/network/cidr.ts';

const seed = (f: string) => join(repoRoot, 'examples/seed', f);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const namespaces = (...names: string[]) => names.map((n) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n`).join('---\n');
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  a: "1"\n`;

for (const minor of [27, 30, 33]) {
  describe(`kubectl 1.${minor}`, async () => {
    const missing = !(await exists(kubectlPath(minor)));
    let c: TestCluster;
    const k = (...args: string[]) => c.kubectl(minor, args);
    const ok = async (...args: string[]) => {
      const r = await k(...args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    };
    const okIn = async (input: string, ...args: string[]) => {
      const r = await c.kubectl(minor, args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    };

    before(async () => {
      if (!missing) c = await TestCluster.start();
    });
    after(async () => {
      await c?.destroy();
    });

    const opts = { skip: missing ? `skipped: kubectl 1.${minor} not installed` : false };

    it('applies the seed manifests as a real cluster would', opts, async () => {
      const first = await k('apply', '-f', seed('01-service-clusterip-payment.yaml'));
      assert.notEqual(first.code, 0);
      assert.match(first.stderr, /namespaces "swiggy-prod" not found/);
      // kubectl >= 1.32 sends `create namespace` as protobuf (a later issue); apply sends JSON on every version.
      await okIn(namespaces('swiggy-prod', 'swiggy-dev'), 'apply', '-f', '-');
      for (const f of [
        '01-service-clusterip-payment.yaml',
        '02-service-nodeport-api.yaml',
        '03-service-loadbalancer-public-api.yaml',
        '04-service-externalname-razorpay.yaml',
        '06-ingress-main.yaml',
        '07-configmaps-dev-prod.yaml',
        '08-secret-prod.yaml',
        '10-deployment-order-config-secrets.yaml',
        '11-hpa-order-service.yaml',
      ]) {
        await ok('apply', '-f', seed(f));
      }
      const bad = await k('apply', '-f', seed('19-deployment-order-resources.yaml'));
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /spec\.selector: Required value/);
      assert.match(bad.stderr, /`selector` does not match template `labels`/);
      const sidecar = await k('apply', '-f', seed('14-deployment-order-istio-sidecar.yaml'));
      assert.notEqual(sidecar.code, 0, 'seed 14 changes the selector of seed 10');
      assert.match(sidecar.stderr, /spec\.selector: Invalid value: .*: field is immutable/);
      const svc = await ok('get', 'svc', '-n', 'swiggy-prod', 'swiggy-api-service');
      const ip = /NodePort\s+(\d+\.\d+\.\d+\.\d+)\s+<none>\s+8080:30001\/TCP/.exec(svc)?.[1];
      assert.ok(ip && cidrContains(parseCidr(c.serviceCIDR), ip), `a cluster IP from ${c.serviceCIDR}:\n${svc}`);
      const clash = await okIn(
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: clash\n  namespace: swiggy-prod\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30001\n',
        'apply',
        '-f',
        '-',
      ).catch((e: Error) => e.message);
      assert.match(clash, /spec\.ports\[0\]\.nodePort: Invalid value: 30001: provided port is already allocated/);
    });

    it('gets in every output format and describes with defaults', opts, async () => {
      const wide = await ok('get', 'deploy', '-n', 'swiggy-prod', '-o', 'wide');
      assert.match(wide, /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
      assert.match(wide, /order-service/);
      const y = await ok('get', 'deploy', '-n', 'swiggy-prod', 'swiggy-order-service', '-o', 'yaml');
      assert.match(y, /progressDeadlineSeconds: 600/);
      assert.match(y, /revisionHistoryLimit: 10/);
      const d = await ok('describe', 'deploy', '-n', 'swiggy-prod', 'swiggy-order-service');
      assert.match(d, /StrategyType:\s+RollingUpdate/);
      assert.match(d, /RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
      const ns = await ok('get', 'ns');
      for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'swiggy-prod']) {
        assert.match(ns, new RegExp(`${n}\\s+Active`));
      }
    });

    it('scales, labels, annotates and patches', opts, async () => {
      await ok('scale', 'deploy', '-n', 'swiggy-prod', 'swiggy-order-service', '--replicas=5');
      assert.equal(await ok('get', 'deploy', '-n', 'swiggy-prod', 'swiggy-order-service', '-o', 'jsonpath={.spec.replicas}'), '5');
      await ok('label', 'cm', '-n', 'swiggy-prod', 'swiggy-config-prod', 'tier=config');
      await ok('annotate', 'cm', '-n', 'swiggy-prod', 'swiggy-config-prod', 'owner=platform');
      const got = await ok('get', 'cm', '-n', 'swiggy-prod', '-l', 'tier=config', '-o', 'jsonpath={.items[0].metadata.annotations.owner}');
      assert.equal(got, 'platform');
      await ok('patch', 'deploy', '-n', 'swiggy-prod', 'swiggy-order-service', '--type=merge', '-p', '{"spec":{"minReadySeconds":7}}');
      await ok('patch', 'deploy', '-n', 'swiggy-prod', 'swiggy-order-service', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]');
      await ok(
        'patch',
        'deploy',
        '-n',
        'swiggy-prod',
        'swiggy-order-service',
        '-p',
        '{"spec":{"template":{"spec":{"containers":[{"name":"order-service","image":"swiggy/order-service:v2"}]}}}}',
      );
      const j = JSON.parse(await ok('get', 'deploy', '-n', 'swiggy-prod', 'swiggy-order-service', '-o', 'json'));
      assert.equal(j.spec.minReadySeconds, 7);
      assert.equal(j.spec.replicas, 2);
      assert.equal(j.spec.template.spec.containers[0].image, 'swiggy/order-service:v2');
      assert.ok(j.spec.template.spec.containers[0].env.length > 0, 'strategic merge kept the env list');
    });

    it('re-apply removes a field deleted from the manifest', opts, async () => {
      const m = (extra: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: reapply\n  namespace: default\ndata:\n  a: "1"\n${extra}`;
      await okIn(m('  b: "2"\n'), 'apply', '-f', '-');
      await okIn(m(''), 'apply', '-f', '-');
      const data = JSON.parse(await ok('get', 'cm', 'reapply', '-o', 'jsonpath={.data}'));
      assert.deepEqual(data, { a: '1' });
    });

    it('create -f, replace -f and diff', opts, async () => {
      const m = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfd\n  namespace: default\ndata:\n  a: "${v}"\n`;
      await okIn(m('1'), 'create', '-f', '-');
      await okIn(m('2'), 'replace', '-f', '-');
      const same = await c.kubectl(minor, ['diff', '-f', '-'], m('2'));
      assert.equal(same.code, 0, `no difference: ${same.stdout}${same.stderr}`);
      const d = await c.kubectl(minor, ['diff', '-f', '-'], m('3'));
      assert.equal(d.code, 1, d.stderr);
      assert.match(d.stdout, /-  a: "2"\n\+  a: "3"/);
      assert.equal(await ok('get', 'cm', 'cfd', '-o', 'jsonpath={.data.a}'), '2', 'diff changed nothing');
    });

    it('replace with a stale resourceVersion gives the upstream Conflict', opts, async () => {
      await okIn(configMap('stale'), 'apply', '-f', '-');
      const obj = JSON.parse(await ok('get', 'cm', 'stale', '-o', 'json'));
      await ok('label', 'cm', 'stale', 'x=y');
      obj.data.a = '2';
      const r = await c.kubectl(minor, ['replace', '-f', '-'], JSON.stringify(obj));
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again/,
      );
    });

    it('strict field validation rejects unknown fields with upstream text', opts, async () => {
      const r = await c.kubectl(minor, ['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\nbogus: 1\ndata: {}\n');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /unknown field "bogus"/);
    });

    it('deletes with cascade and waits for deletion', opts, async () => {
      await okIn(configMap('gone'), 'apply', '-f', '-');
      const waiter = k('wait', '--for=delete', 'cm/gone', '--timeout=20s');
      await sleep(300);
      await ok('delete', 'cm', 'gone', '--cascade=foreground');
      const w = await waiter;
      assert.equal(w.code, 0, w.stderr);
      const g = await k('get', 'cm', 'gone');
      assert.match(g.stderr, /configmaps "gone" not found/);
    });

    it('lists api-resources and explains fields', opts, async () => {
      const ar = await ok('api-resources');
      assert.match(ar, /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
      assert.match(ar, /horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler/);
      const ex = await ok('explain', 'deployment.spec.strategy');
      assert.match(ex, /rollingUpdate/);
    });

    it('watches with get -w', opts, async () => {
      const proc = spawn(
        kubectlPath(minor),
        ['--kubeconfig', c.kubeconfig, '--cache-dir', join(c.dataDir, `kcache-${minor}`), 'get', 'cm', '-n', 'default', '-w'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      proc.stdout.on('data', (d) => (out += d));
      try {
        const deadline = Date.now() + 10_000;
        while (!/reapply/.test(out) && Date.now() < deadline) await sleep(50);
        await okIn(configMap('watched'), 'apply', '-f', '-');
        while (!/watched/.test(out) && Date.now() < deadline) await sleep(50);
        assert.match(out, /watched\s+1\s+\d+s/);
        assert.equal(out.match(/NAME/g)?.length, 1, `one header only:\n${out}`);
      } finally {
        proc.kill('SIGTERM');
      }
    });
  });
}
