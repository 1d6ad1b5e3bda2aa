import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHash, quantity, safeEncodeString, spewPodTemplate } from './pod-template-hash.ts';

const template = {
  metadata: { creationTimestamp: null, labels: { app: 'nginx' } },
  spec: {
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.14.2',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { limits: { cpu: '500m', memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/', port: 80, scheme: 'HTTP' }, periodSeconds: 10 },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  },
};

test('prints the template as go-spew %#v prints the Go struct: types, field order, nil pointers, sorted maps', () => {
  const s = spewPodTemplate(template);
  assert.ok(s.startsWith('(v1.PodTemplateSpec){ObjectMeta:(v1.ObjectMeta){Name:(string) GenerateName:(string) Namespace:(string) SelfLink:(string) UID:(types.UID) '));
  assert.ok(s.includes('CreationTimestamp:(v1.Time){Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}} DeletionTimestamp:(*v1.Time)<nil>'));
  assert.ok(s.includes('Labels:(map[string]string)map[app:nginx] Annotations:(map[string]string)<nil>'));
  assert.ok(s.includes('Spec:(v1.PodSpec){Volumes:([]v1.Volume)<nil> InitContainers:([]v1.Container)<nil> Containers:([]v1.Container)[{Name:(string)nginx Image:(string)nginx:1.14.2 '));
  assert.ok(s.includes('Ports:([]v1.ContainerPort)[{Name:(string) HostPort:(int32)0 ContainerPort:(int32)80 Protocol:(v1.Protocol)TCP HostIP:(string)}]'));
  // ResourceList keys sorted; quantity internals as ParseQuantity leaves them.
  assert.ok(
    s.includes(
      'Limits:(v1.ResourceList)map[cpu:{i:(resource.int64Amount){value:(int64)500 scale:(resource.Scale)-3} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)500m Format:(resource.Format)DecimalSI} memory:{i:(resource.int64Amount){value:(int64)134217728 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string) Format:(resource.Format)BinarySI}]',
    ),
  );
  // A non-nil pointer prints (*T) then the value without its type; IntOrString is a struct.
  assert.ok(s.includes('ReadinessProbe:(*v1.Probe){ProbeHandler:(v1.ProbeHandler){Exec:(*v1.ExecAction)<nil> HTTPGet:(*v1.HTTPGetAction){Path:(string)/ Port:(intstr.IntOrString){Type:(intstr.Type)0 IntVal:(int32)80 StrVal:(string)} Host:(string) Scheme:(v1.URIScheme)HTTP HTTPHeaders:([]v1.HTTPHeader)<nil>}'));
  assert.ok(s.includes('TerminationGracePeriodSeconds:(*int64)30'));
  assert.ok(s.includes('SecurityContext:(*v1.PodSecurityContext){SELinuxOptions:(*v1.SELinuxOptions)<nil>'));
  assert.ok(s.includes('DNSPolicy:(v1.DNSPolicy)ClusterFirst'));
});

test('quantities: cached string only in canonical int64 forms', () => {
  const q = (s: string) => /value:\(int64\)(-?\d+) scale:\(resource.Scale\)(-?\d+)\}.* s:\(string\)(\S*) Format:\(resource.Format\)(\w+)/.exec(quantity(s))!.slice(1).join(' ');
  assert.equal(q('0'), '0 0 0 DecimalSI');
  assert.equal(q('100m'), '100 -3 100m DecimalSI');
  assert.equal(q('1'), '1 0 1 DecimalSI');
  assert.equal(q('1Gi'), '1073741824 0 1Gi BinarySI');
  assert.equal(q('512Mi'), '536870912 0  BinarySI');
  assert.equal(q('1k'), '1 3 1k DecimalSI');
  assert.equal(q('1e3'), '1 3 1e3 DecimalExponent');
  assert.equal(q('-2'), '-2 0 -2 DecimalSI');
});

test('the hash: FNV-32a of the text, collisionCount appended as 8 little-endian bytes, encoded without vowels', () => {
  const h = computeHash(template);
  assert.match(h, /^[4-9bcdf]{1,10}$/);
  assert.equal(computeHash(structuredClone(template)), h);
  // A nil collisionCount is not the same as 0.
  assert.notEqual(computeHash(template, 0), h);
  assert.notEqual(computeHash(template, 1), computeHash(template, 0));
  // Empty lists and maps are nil after a protobuf round trip: the same hash.
  const withEmpty = structuredClone(template) as Record<string, any>;
  withEmpty.spec.volumes = [];
  withEmpty.metadata.annotations = {};
  assert.equal(computeHash(withEmpty), h);
  const changed = structuredClone(template) as Record<string, any>;
  changed.spec.containers[0].image = 'nginx:1.16.1';
  assert.notEqual(computeHash(changed), h);
  // Digits map to 4-9 and b, c, d, f: why every real pod-template-hash uses only those.
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

// A template using most PodSpec features. Its text and hash were checked against go-spew (the revision Kubernetes
// vendors, d8f796a) printing Go structs generated from pod-template-layout.json, and Go's hash/fnv.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const rich: any = {
  metadata: { creationTimestamp: null, labels: { app: 'web', tier: 'front', 'a.b/c': 'x' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z', b: '' } },
  spec: {
    volumes: [{ name: 'cfg', configMap: { name: 'c', items: [{ key: 'k', path: 'p', mode: 420 }], defaultMode: 420, optional: true } }, { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }],
    initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'], restartPolicy: 'Always' }],
    containers: [{
      name: 'web', image: 'nginx:1.25', args: ['-g', 'daemon off;'], workingDir: '/srv',
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP', hostPort: 5353, hostIP: '127.0.0.1' }],
      envFrom: [{ configMapRef: { name: 'env', optional: false }, prefix: 'X_' }],
      env: [{ name: 'A', value: '1' }, { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }, { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'M', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } }],
      resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '250m', memory: '512Mi', 'nvidia.com/gpu': '2' } },
      volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg', readOnly: true, subPath: 'x' }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X', value: 'y' }] }, initialDelaySeconds: 3, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
      readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
      startupProbe: { exec: { command: ['cat', '/tmp/ok'] }, failureThreshold: 30 },
      lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
      securityContext: { runAsUser: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
      stdin: false, tty: false,
    }],
    restartPolicy: 'Always', terminationGracePeriodSeconds: 30, activeDeadlineSeconds: 100, dnsPolicy: 'ClusterFirst',
    nodeSelector: { disk: 'ssd', 'kubernetes.io/os': 'linux' }, serviceAccountName: 'sa', automountServiceAccountToken: false,
    securityContext: { fsGroup: 2000, runAsGroup: 3000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
    imagePullSecrets: [{ name: 'reg' }], hostname: 'h', subdomain: 's',
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } }, podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } }] } },
    schedulerName: 'default-scheduler',
    tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    priorityClassName: 'high', priority: 1000, dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] },
    enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', overhead: { cpu: '10m' },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, minDomains: 2 }],
    hostAliases: [{ ip: '10.0.0.1', hostnames: ['a', 'b'] }], os: { name: 'linux' },
  },
};

test('a rich template hashes as go-spew and hash/fnv do', () => {
  assert.equal(spewPodTemplate(rich).length, 14169);
  assert.equal(computeHash(rich), '6cd866d667');
});
