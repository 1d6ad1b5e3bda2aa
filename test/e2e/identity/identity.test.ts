// Identity with real kubectl 1.31 (JSON) and 1.33 (protobuf bodies): tokens, RBAC, impersonation, can-i and whoami.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { api, exists, kubectlPath, run, TestCluster, type RunResult } from '../cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sa = 'system:serviceaccount:default:default';
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

const viewBinding = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: default-view
  namespace: default
subjects:
- kind: ServiceAccount
  name: default
roleRef:
  kind: ClusterRole
  name: view
`;

const leaseReader = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: lease-reader
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
rules:
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "list", "watch"]
`;

for (const minor of [31, 33]) {
  describe(`identity with kubectl 1.${minor}`, async () => {
    const missing = !(await exists(kubectlPath(minor)));
    const opts = { skip: missing ? `skipped: kubectl 1.${minor} not installed` : false };
    let c: TestCluster;
    let tokenConfig = '';
    const k = (...args: string[]) => c.kubectl(minor, args);
    const ok = async (...args: string[]): Promise<string> => {
      const r = await k(...args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    };
    const apply = async (yaml: string): Promise<RunResult> => c.kubectl(minor, ['apply', '-f', '-'], yaml);
    /** kubectl with a kubeconfig holding only the service account's token (a client certificate would win, as upstream). */
    const asToken = (...args: string[]) => run(kubectlPath(minor), ['--kubeconfig', tokenConfig, '--cache-dir', join(c.dataDir, `kcache-token-${minor}`), ...args]);

    before(async () => {
      if (missing) return;
      c = await TestCluster.start();
      for (let i = 0; i < 100 && (await k('get', 'serviceaccount', 'default')).code !== 0; i++) await sleep(50);
    });
    after(async () => {
      await c?.destroy();
    });

    it('bootstraps the default roles and bindings', opts, async () => {
      const roles = await ok('get', 'clusterroles');
      assert.match(roles, /^NAME\s+CREATED AT$/m);
      for (const r of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:public-info-viewer']) {
        assert.match(roles, new RegExp(`^${r}\\s+\\d{4}-\\d\\d-\\d\\dT`, 'm'), r);
      }
      const bindings = await ok('get', 'clusterrolebindings', '-o', 'wide');
      assert.match(bindings, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS$/m);
      assert.match(bindings, /^cluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters\s*$/m);
      assert.match(bindings, /^system:public-info-viewer\s+ClusterRole\/system:public-info-viewer\s+\S+\s+system:authenticated, system:unauthenticated\s*$/m);
      const view = JSON.parse(await ok('get', 'clusterrole', 'view', '-o', 'json'));
      assert.ok(view.rules.some((r: { resources?: string[] }) => r.resources?.includes('pods')), 'view is aggregated from system:aggregate-to-view');
    });

    it('whoami and can-i for the admin', opts, async () => {
      const who = await ok('auth', 'whoami');
      assert.match(who, /^Username\s+kubernetes-admin$/m);
      assert.match(who, /^Groups\s+\[system:masters system:authenticated\]$/m);
      assert.equal((await ok('auth', 'can-i', '*', '*')).trim(), 'yes');
      const list = await ok('auth', 'can-i', '--list');
      assert.match(list, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    });

    it('impersonated users have only what bindings grant', opts, async () => {
      const secrets = await k('auth', 'can-i', 'get', 'secrets', `--as=${sa}`);
      assert.equal(secrets.stdout.trim(), 'no');
      assert.equal(secrets.code, 1);
      const list = await ok('auth', 'can-i', '--list', `--as=${sa}`);
      assert.match(list, /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
      assert.match(list, /^selfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
      assert.match(list, /^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]$/m);
      assert.doesNotMatch(list, /^pods/m);
      const jane = await k('get', 'pods', '--as=jane');
      assert.notEqual(jane.code, 0);
      assert.equal(jane.stderr.trim(), 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"');
      const janeWho = await ok('auth', 'whoami', '--as=jane', '--as-group=devs');
      assert.match(janeWho, /^Username\s+jane$/m);
      assert.match(janeWho, /^Groups\s+\[devs system:authenticated\]$/m);
    });

    it('create token gives a bound JWT that authenticates as the service account', opts, async () => {
      const token = (await ok('create', 'token', 'default')).trim();
      const cl = claims(token);
      assert.equal(cl.sub, sa);
      assert.deepEqual(cl.aud, ["https://kubernetes.default.svc.cluster.local"]);
      assert.equal(cl.iss, "https://kubernetes.default.svc.cluster.local");
      assert.equal(cl.exp - cl.iat, 3600);
      assert.equal(cl['kubernetes.io'].namespace, 'default');
      assert.equal(cl['kubernetes.io'].serviceaccount.name, 'default');
      assert.equal(cl['kubernetes.io'].serviceaccount.uid, JSON.parse(await ok('get', 'sa', 'default', '-o', 'json')).metadata.uid);
      const kc = parse(await readFile(c.kubeconfig, 'utf8'));
      kc.users[0].user = { token };
      tokenConfig = join(c.dataDir, `token-kubeconfig-${minor}`);
      await writeFile(tokenConfig, stringify(kc));

      const who = await asToken('auth', 'whoami');
      assert.equal(who.code, 0, who.stderr);
      assert.match(who.stdout, new RegExp(`^Username\\s+${sa}$`, 'm'));
      assert.match(who.stdout, /^Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]$/m);
      const denied = await asToken('get', 'pods');
      assert.equal(
        denied.stderr.trim(),
        `Error from server (Forbidden): pods is forbidden: User "${sa}" cannot list resource "pods" in API group "" in the namespace "default"`,
      );

      const bound = await apply(viewBinding);
      assert.equal(bound.code, 0, bound.stderr);
      assert.match(await ok('get', 'rolebinding', 'default-view', '-o', 'wide'), /^default-view\s+ClusterRole\/view\s+\S+\s+default\s*$/m);
      const pods = await asToken('get', 'pods');
      assert.equal(pods.code, 0, pods.stderr);
      assert.match(pods.stderr, /No resources found in default namespace/);
      const secrets = await asToken('get', 'secrets');
      assert.match(secrets.stderr, /secrets is forbidden: User "system:serviceaccount:default:default" cannot list resource "secrets"/);
    });

    it('a ClusterRole labelled for aggregation extends view', opts, async () => {
      const applied = await apply(leaseReader);
      assert.equal(applied.code, 0, applied.stderr);
      let r: RunResult | undefined;
      for (let i = 0; i < 40; i++) {
        r = await k('auth', 'can-i', 'list', 'leases.coordination.k8s.io', `--as=${sa}`);
        if (r.stdout.trim() === 'yes') break;
        await sleep(50);
      }
      assert.equal(r?.stdout.trim(), 'yes');
    });

    it('rejects what a real cluster rejects, with its messages', opts, async () => {
      const moved = await apply(viewBinding.replace('name: view', 'name: edit'));
      assert.notEqual(moved.code, 0);
      assert.match(
        moved.stderr,
        /The RoleBinding "default-view" is invalid: roleRef: Invalid value: rbac\.RoleRef\{APIGroup:"rbac\.authorization\.k8s\.io", Kind:"ClusterRole", Name:"edit"\}: cannot change roleRef/,
      );
      const short = await k('create', 'token', 'default', '--duration=1m');
      assert.equal(
        short.stderr.trim(),
        'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
      );
      const nobody = await k('create', 'token', 'nobody');
      assert.equal(nobody.stderr.trim(), 'error: failed to create token: serviceaccounts "nobody" not found');
      const escalate = await k('create', 'rolebinding', 'grab', '--clusterrole=cluster-admin', `--serviceaccount=default:default`, `--as=${sa}`);
      assert.match(escalate.stderr, /is forbidden: User "system:serviceaccount:default:default" cannot create resource "rolebindings"/);
      // Discovery is cached from the earlier runs, so the 401 of the list itself is what kubectl reports.
      const garbage = await asToken('--token', 'not.a.token', 'get', 'pods');
      assert.match(garbage.stderr, /^error: You must be logged in to the server \(Unauthorized\)$/m);
    });
  });
}

describe('identity over the raw API', async () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
  });
  after(async () => {
    await c?.destroy();
  });

  it('TokenRequest, TokenReview and SubjectAccessReview answer as upstream', async () => {
    for (let i = 0; i < 100 && (await api(c, 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status !== 200; i++) await sleep(50);
    const tr = await api(c, 'POST', '/api/v1/namespaces/default/serviceaccounts/default/token', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['vault'], expirationSeconds: 600 } },
    });
    assert.equal(tr.status, 201, tr.body);
    const out = tr.json();
    assert.equal(out.kind, 'TokenRequest');
    assert.deepEqual(out.spec.audiences, ['vault']);
    assert.match(out.status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const review = async (token: string, audiences?: string[]) =>
      (await api(c, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences } } })).json();
    const good = await review(out.status.token, ['vault']);
    assert.equal(good.status.authenticated, true);
    assert.equal(good.status.user.username, sa);
    assert.deepEqual(good.status.audiences, ['vault']);
    assert.equal((await review(out.status.token)).status.error, `[invalid bearer token, token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]]`);

    const noAud = await api(c, 'GET', '/api/v1/namespaces/default/pods', { anonymous: true, headers: { Authorization: `Bearer ${out.status.token}` } });
    assert.equal(noAud.status, 401);
    assert.equal(noAud.json().message, 'Unauthorized');

    const sar = await api(c, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: 'kubernetes-admin', groups: ['system:masters'], resourceAttributes: { verb: 'delete', resource: 'nodes' } },
      },
    });
    assert.deepEqual(sar.json().status, { allowed: true });
    const basic = await api(c, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'jane', groups: ['system:authenticated'], nonResourceAttributes: { verb: 'get', path: '/apis/apps' } } },
    });
    assert.deepEqual(basic.json().status, {
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    });
  });

  it('the forbidden Status names the resource', async () => {
    const r = await api(c, 'GET', '/api/v1/namespaces/default/secrets/db', { headers: { 'Impersonate-User': 'jane' } });
    assert.equal(r.status, 403);
    assert.deepEqual(r.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'secrets "db" is forbidden: User "jane" cannot get resource "secrets" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { name: 'db', kind: 'secrets' },
      code: 403,
    });
    const path = await api(c, 'GET', '/metrics', { headers: { 'Impersonate-User': 'jane' } });
    assert.equal(path.json().message, 'forbidden: User "jane" cannot get path "/metrics"');
  });
});
