import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());

/** A valid pod, changed by `edit` before defaulting (as a client would send it). */
function pod(edit: (spec: Json) => void = () => {}): KObject {
  const p: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], volumeMounts: [{ name: 'cache', mountPath: '/cache' }] }],
      volumes: [{ name: 'cache', emptyDir: {} }],
    },
  };
  edit(p.spec);
  strategy.defaults!(p);
  strategy.prepareForCreate!(p);
  return p;
}

const dnsLabelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

test('pod specs are validated with upstream messages', () => {
  const cases: { name: string; edit: (s: Json) => void; want: string[] }[] = [
    { name: 'valid', edit: () => {}, want: [] },
    { name: 'no containers', edit: (s) => (s.containers = []), want: ['spec.containers: Required value'] },
    { name: 'bad container name', edit: (s) => (s.containers[0].name = 'Web_1'), want: [`spec.containers[0].name: Invalid value: "Web_1": ${dnsLabelMsg}`] },
    {
      name: 'duplicate container names',
      edit: (s) => s.containers.push({ name: 'web', image: 'busybox' }),
      want: ['spec.containers[1].name: Duplicate value: "web"'],
    },
    { name: 'no image', edit: (s) => delete s.containers[0].image, want: ['spec.containers[0].image: Required value'] },
    { name: 'port 0', edit: (s) => (s.containers[0].ports[0].containerPort = 0), want: ['spec.containers[0].ports[0].containerPort: Required value'] },
    {
      name: 'port out of range',
      edit: (s) => (s.containers[0].ports[0].containerPort = 70000),
      want: ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    },
    {
      name: 'unknown protocol',
      edit: (s) => (s.containers[0].ports[0].protocol = 'HTTP'),
      want: ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    },
    {
      name: 'env with two sources',
      edit: (s) =>
        (s.containers[0].env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } } }]),
      want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time'],
    },
    {
      name: 'env with value and valueFrom',
      edit: (s) => (s.containers[0].env = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
      want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
    },
    {
      name: 'env valueFrom without a source',
      edit: (s) => (s.containers[0].env = [{ name: 'A', valueFrom: {} }]),
      want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'],
    },
    {
      name: 'env name with =',
      edit: (s) => (s.containers[0].env = [{ name: 'A=B', value: 'x' }]),
      want: [`spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`],
    },
    {
      name: 'configMapKeyRef without key',
      edit: (s) => (s.containers[0].env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg' } } }]),
      want: ['spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value'],
    },
    {
      name: 'unsupported downward API field',
      edit: (s) => (s.containers[0].env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }]),
      want: [
        'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ],
    },
    {
      name: 'request above limit',
      edit: (s) => (s.containers[0].resources = { requests: { cpu: '1' }, limits: { cpu: '500m' } }),
      want: ['spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m'],
    },
    {
      name: 'memory request above limit',
      edit: (s) => (s.containers[0].resources = { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } }),
      want: ['spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi'],
    },
    {
      name: 'negative quantity',
      edit: (s) => (s.containers[0].resources = { requests: { memory: '-1' } }),
      want: ['spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0'],
    },
    {
      name: 'unknown resource (requests are defaulted from limits first)',
      edit: (s) => (s.containers[0].resources = { limits: { gpu: '1' } }),
      want: [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    },
    {
      name: 'extended resource request without limit',
      edit: (s) => (s.containers[0].resources = { requests: { 'nvidia.com/gpu': '1' } }),
      want: ['spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources'],
    },
    {
      name: 'mount of a missing volume',
      edit: (s) => (s.containers[0].volumeMounts[0].name = 'data'),
      want: ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    },
    {
      name: 'duplicate mount path',
      edit: (s) => s.containers[0].volumeMounts.push({ name: 'cache', mountPath: '/cache' }),
      want: ['spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/cache": must be unique'],
    },
    {
      name: 'volume with two sources',
      edit: (s) => (s.volumes[0].configMap = { name: 'cfg' }),
      // The invalid volume is left out of the known volumes, so its mount is not found either.
      want: ['spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type', 'spec.containers[0].volumeMounts[0].name: Not found: "cache"'],
    },
    {
      name: 'duplicate volume',
      edit: (s) => s.volumes.push({ name: 'cache', emptyDir: {} }),
      want: ['spec.volumes[1].name: Duplicate value: "cache"'],
    },
    {
      name: 'secret volume mode',
      edit: (s) => s.volumes.push({ name: 'sec', secret: { secretName: 's', defaultMode: 1000 } }),
      want: ['spec.volumes[1].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive'],
    },
    {
      name: 'restart policy',
      edit: (s) => (s.restartPolicy = 'Sometimes'),
      want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    },
    {
      name: 'dns policy',
      edit: (s) => (s.dnsPolicy = 'Google'),
      want: ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    },
    {
      name: 'dns policy None without config',
      edit: (s) => (s.dnsPolicy = 'None'),
      want: ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
    },
    {
      name: 'probe without handler',
      edit: (s) => (s.containers[0].livenessProbe = { periodSeconds: 5 }),
      want: ['spec.containers[0].livenessProbe: Required value: must specify a handler type'],
    },
    {
      name: 'probe with two handlers',
      edit: (s) => (s.containers[0].readinessProbe = { httpGet: { port: 80 }, tcpSocket: { port: 80 } }),
      want: ['spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'],
    },
    {
      name: 'liveness success threshold',
      edit: (s) => (s.containers[0].livenessProbe = { tcpSocket: { port: 'http' }, successThreshold: 2 }),
      want: ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    },
    {
      name: 'probe port name',
      edit: (s) => (s.containers[0].startupProbe = { httpGet: { port: 'HTTP' } }),
      want: [
        'spec.containers[0].startupProbe.httpGet.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].startupProbe.httpGet.port: Invalid value: "HTTP": must contain at least one letter (a-z)',
      ],
    },
    {
      name: 'negative user id',
      edit: (s) => (s.containers[0].securityContext = { runAsUser: -1 }),
      want: ['spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive'],
    },
    {
      name: 'image pull policy',
      edit: (s) => (s.containers[0].imagePullPolicy = 'Sometimes'),
      want: ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    },
    {
      name: 'restartPolicy on a regular container',
      edit: (s) => (s.containers[0].restartPolicy = 'Always'),
      want: ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    },
    {
      name: 'probe on a plain init container',
      edit: (s) => (s.initContainers = [{ name: 'init', image: 'busybox', livenessProbe: { exec: { command: ['true'] } } }]),
      want: ['spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'],
    },
    {
      name: 'init container named like a container',
      edit: (s) => (s.initContainers = [{ name: 'web', image: 'busybox' }]),
      want: ['spec.initContainers[0].name: Duplicate value: "web"'],
    },
    {
      name: 'active deadline',
      edit: (s) => (s.activeDeadlineSeconds = 0),
      want: ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
    },
    {
      name: 'toleration without key',
      edit: (s) => (s.tolerations = [{ operator: 'Equal', value: 'x' }]),
      want: ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
    },
    {
      name: 'ephemeral containers on create',
      edit: (s) => (s.ephemeralContainers = [{ name: 'debug', image: 'busybox' }]),
      want: ['spec.ephemeralContainers: Forbidden: cannot be set on create'],
    },
  ];
  for (const c of cases) assert.deepEqual(messages(strategy.validate!(pod(c.edit))), c.want, c.name);
});

test('pod updates may change images, deadlines and tolerations only', () => {
  const forbidden =
    'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';
  const cases: { name: string; edit: (s: Json) => void; want: string[] | RegExp }[] = [
    { name: 'unchanged', edit: () => {}, want: [] },
    { name: 'new image', edit: (s) => (s.containers[0].image = 'nginx:1.28'), want: [] },
    { name: 'deadline set', edit: (s) => (s.activeDeadlineSeconds = 30), want: [] },
    { name: 'toleration added', edit: (s) => (s.tolerations = [{ key: 'k', operator: 'Exists' }]), want: [] },
    { name: 'empty image', edit: (s) => (s.containers[0].image = ''), want: ['spec.containers[0].image: Required value', 'spec.containers[0].image: Required value'] },
    { name: 'container added', edit: (s) => s.containers.push({ name: 'side', image: 'busybox' }), want: ['spec.containers: Forbidden: pod updates may not add or remove containers'] },
    { name: 'port changed', edit: (s) => (s.containers[0].ports[0].containerPort = 8080), want: new RegExp(`^${forbidden.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) },
  ];
  for (const c of cases) {
    const old = pod();
    old.metadata.resourceVersion = '5';
    const updated: KObject = structuredClone(old);
    c.edit(updated.spec);
    strategy.defaults!(updated);
    strategy.prepareForUpdate!(updated, old);
    const got = messages(strategy.validateUpdate!(updated, old));
    if (c.want instanceof RegExp) {
      assert.equal(got.length, 1, c.name);
      assert.match(got[0], c.want, c.name);
      assert.match(got[0], /- \tContainers: /, c.name);
    } else assert.deepEqual(got, c.want, c.name);
  }
});
