// Tests for the core/v1 table printers: column definitions as upstream declares them, and rows hand-computed from upstream's rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../registry/kobject.ts';
import type { Printer } from '../../registry/table.ts';
import { printer as configmap } from './configmap/columns.ts';
import { printer as endpoints } from './endpoints/columns.ts';
import { printer as event } from './event/columns.ts';
import { printer as namespace } from './namespace/columns.ts';
import { printer as node } from './node/columns.ts';
import { printer as pod } from './pod/columns.ts';
import { printer as podtemplate } from './podtemplate/columns.ts';
import { printer as secret } from './secret/columns.ts';
import { printer as service } from './service/columns.ts';
import { printer as serviceaccount } from './serviceaccount/columns.ts';

const now = new Date('2025-06-01T12:00:00Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;

/** An RFC 3339 timestamp `ms` before `now`; `micro` gives the MicroTime form events use. */
function ago(ms: number, micro = false): string {
  const iso = new Date(now.getTime() - ms).toISOString();
  return micro ? iso.replace(/\.(\d{3})Z$/, '.$1000Z') : iso.replace(/\.\d{3}Z$/, 'Z');
}

function obj(name: string, fields: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KObject {
  return { metadata: { name, creationTimestamp: ago(310 * S), ...meta }, ...fields };
}

describe('core column definitions match upstream', () => {
  const cases: [string, Printer, [string, string, number][]][] = [
    ['namespace', namespace, [['Name', 'string', 0], ['Status', 'string', 0], ['Age', 'string', 0]]],
    ['configmap', configmap, [['Name', 'string', 0], ['Data', 'string', 0], ['Age', 'string', 0]]],
    ['secret', secret, [['Name', 'string', 0], ['Type', 'string', 0], ['Data', 'string', 0], ['Age', 'string', 0]]],
    ['serviceaccount', serviceaccount, [['Name', 'string', 0], ['Secrets', 'string', 0], ['Age', 'string', 0]]],
    ['podtemplate', podtemplate, [['Name', 'string', 0], ['Containers', 'string', 0], ['Images', 'string', 0], ['Pod Labels', 'string', 0]]],
    ['endpoints', endpoints, [['Name', 'string', 0], ['Endpoints', 'string', 0], ['Age', 'string', 0]]],
    [
      'pod',
      pod,
      [
        ['Name', 'string', 0], ['Ready', 'string', 0], ['Status', 'string', 0], ['Restarts', 'string', 0], ['Age', 'string', 0],
        ['IP', 'string', 1], ['Node', 'string', 1], ['Nominated Node', 'string', 1], ['Readiness Gates', 'string', 1],
      ],
    ],
    [
      'service',
      service,
      [['Name', 'string', 0], ['Type', 'string', 0], ['Cluster-IP', 'string', 0], ['External-IP', 'string', 0], ['Port(s)', 'string', 0], ['Age', 'string', 0], ['Selector', 'string', 1]],
    ],
    [
      'node',
      node,
      [
        ['Name', 'string', 0], ['Status', 'string', 0], ['Roles', 'string', 0], ['Age', 'string', 0], ['Version', 'string', 0],
        ['Internal-IP', 'string', 1], ['External-IP', 'string', 1], ['OS-Image', 'string', 1], ['Kernel-Version', 'string', 1], ['Container-Runtime', 'string', 1],
      ],
    ],
    [
      'event',
      event,
      [
        ['Last Seen', 'string', 0], ['Type', 'string', 0], ['Reason', 'string', 0], ['Object', 'string', 0], ['Subobject', 'string', 1],
        ['Source', 'string', 1], ['Message', 'string', 0], ['First Seen', 'string', 1], ['Count', 'string', 1], ['Name', 'string', 1],
      ],
    ],
  ];
  for (const [kind, printer, want] of cases) {
    it(kind, () => {
      assert.deepEqual(printer.columns.map((c) => [c.name, c.type, c.priority]), want);
      for (const c of printer.columns) {
        assert.equal(c.format, c.name === 'Name' ? 'name' : '', `${kind} ${c.name} format`);
        assert.ok(c.description.length > 0, `${kind} ${c.name} description`);
      }
      assert.equal(printer.row(obj('x'), now).length, printer.columns.length, `${kind} row width`);
    });
  }
});

describe('pod rows', () => {
  const running = { state: { running: { startedAt: ago(H) } }, ready: true, restartCount: 0 };
  const cases: [string, KObject, unknown[]][] = [
    [
      'running with all containers ready',
      obj('web', {
        spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'node-1' },
        status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }], containerStatuses: [{ name: 'a', ...running }, { name: 'b', ...running }] },
      }),
      ['web', '2/2', 'Running', '0', '5m10s', '10.0.0.5', 'node-1', '<none>', '<none>'],
    ],
    [
      'pending and unscheduled',
      obj('new', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending' } }),
      ['new', '0/1', 'Pending', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'crash loop shows restarts with the last restart age',
      obj('crashy', {
        spec: { containers: [{ name: 'a' }] },
        status: {
          phase: 'Running',
          containerStatuses: [{ name: 'a', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * M + 20 * S) } } }],
        },
      }),
      ['crashy', '0/1', 'CrashLoopBackOff', '4 (5m20s ago)', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'restarts without a recorded termination show the bare count',
      obj('r', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'a', ...running, restartCount: 3 }] } }),
      ['r', '1/1', 'Running', '3', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'init containers in progress',
      obj('init', {
        spec: { initContainers: [{ name: 'i0' }, { name: 'i1' }, { name: 'i2' }], containers: [{ name: 'a' }] },
        status: {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i0', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
            { name: 'i1', state: { running: {} } },
            { name: 'i2', state: { waiting: { reason: 'PodInitializing' } } },
          ],
          containerStatuses: [{ name: 'a', state: { waiting: { reason: 'PodInitializing' } } }],
        },
      }),
      ['init', '0/1', 'Init:1/3', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'init container crash looping',
      obj('init-crash', {
        spec: { initContainers: [{ name: 'i0' }], containers: [{ name: 'a' }] },
        status: {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'i0', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(30 * S) } } }],
        },
      }),
      ['init-crash', '0/1', 'Init:CrashLoopBackOff', '2 (30s ago)', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'init container failed with a reason',
      obj('i', { spec: { initContainers: [{ name: 'i0' }], containers: [{ name: 'a' }] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i0', state: { terminated: { exitCode: 1, reason: 'Error' } } }] } }),
      ['i', '0/1', 'Init:Error', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'init container killed by a signal',
      obj('i', { spec: { initContainers: [{ name: 'i0' }], containers: [{ name: 'a' }] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i0', state: { terminated: { exitCode: 137, signal: 9 } } }] } }),
      ['i', '0/1', 'Init:Signal:9', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'init container exited without a reason',
      obj('i', { spec: { initContainers: [{ name: 'i0' }], containers: [{ name: 'a' }] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i0', state: { terminated: { exitCode: 2 } } }] } }),
      ['i', '0/1', 'Init:ExitCode:2', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'completed',
      obj('done', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Succeeded', containerStatuses: [{ name: 'a', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } }),
      ['done', '0/1', 'Completed', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'a completed container beside a running one reads Running when the pod is ready',
      obj('half', {
        spec: { containers: [{ name: 'a' }, { name: 'b' }] },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'b', ...running }],
        },
      }),
      ['half', '1/2', 'Running', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'and NotReady when it is not',
      obj('half', {
        spec: { containers: [{ name: 'a' }, { name: 'b' }] },
        status: { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'b', ...running }] },
      }),
      ['half', '1/2', 'NotReady', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      "the first container's reason wins",
      obj('pull', {
        spec: { containers: [{ name: 'a' }, { name: 'b' }] },
        status: { phase: 'Pending', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ImagePullBackOff' } } }, { name: 'b', state: { waiting: { reason: 'ContainerCreating' } } }] },
      }),
      ['pull', '0/2', 'ImagePullBackOff', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'terminated container without a reason shows its exit code',
      obj('oom', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 137 } } }] } }),
      ['oom', '0/1', 'ExitCode:137', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'terminated container without a reason shows its signal',
      obj('killed', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 143, signal: 15 } } }] } }),
      ['killed', '0/1', 'Signal:15', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'deleting',
      obj('bye', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'a', ...running }] } }, { deletionTimestamp: ago(10 * S) }),
      ['bye', '1/1', 'Terminating', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'deleting a finished pod keeps its reason',
      obj('bye', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 1, reason: 'Error' } } }] } }, { deletionTimestamp: ago(10 * S) }),
      ['bye', '0/1', 'Error', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'deleting a pod on a lost node',
      obj('lost', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', reason: 'NodeLost', containerStatuses: [{ name: 'a', ...running }] } }, { deletionTimestamp: ago(10 * S) }),
      ['lost', '1/1', 'Unknown', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'status reason overrides the phase',
      obj('evicted', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Failed', reason: 'Evicted' } }),
      ['evicted', '0/1', 'Evicted', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'scheduling gated',
      obj('gated', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }),
      ['gated', '0/1', 'SchedulingGated', '0', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'a sidecar counts as a container and its restarts count',
      obj('mesh', {
        spec: { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [{ name: 'proxy', started: true, ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(90 * S) } } }],
          containerStatuses: [{ name: 'app', ...running, restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * H) } } }],
        },
      }),
      ['mesh', '2/2', 'Running', '3 (90s ago)', '5m10s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'readiness gates and a nominated node',
      obj('gates', {
        spec: { containers: [{ name: 'a' }], readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
        status: {
          phase: 'Pending',
          nominatedNodeName: 'node-2',
          conditions: [{ type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }],
        },
      }),
      ['gates', '0/1', 'Pending', '0', '5m10s', '<none>', '<none>', 'node-2', '1/2'],
    ],
    [
      'no creation time',
      { metadata: { name: 'ghost' }, spec: { containers: [] }, status: { phase: 'Pending' } },
      ['ghost', '0/0', 'Pending', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>'],
    ],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => assert.deepEqual(pod.row(object, now), want));
  }
});

describe('service rows', () => {
  const cases: [string, KObject, unknown[]][] = [
    [
      'cluster IP with two protocols',
      obj('kube-dns', { spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], selector: { 'k8s-app': 'kube-dns' } } }),
      ['kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP', '5m10s', 'k8s-app=kube-dns'],
    ],
    [
      'node port with an external IP',
      obj('web', { spec: { type: 'NodePort', clusterIPs: ['10.96.1.2'], externalIPs: ['192.0.2.4'], ports: [{ port: 80, nodePort: 30001, protocol: 'TCP' }], selector: { app: 'web', tier: 'fe' } } }),
      ['web', 'NodePort', '10.96.1.2', '192.0.2.4', '80:30001/TCP', '5m10s', 'app=web,tier=fe'],
    ],
    [
      'load balancer not yet provisioned',
      obj('lb', { spec: { type: 'LoadBalancer', clusterIPs: ['10.96.3.3'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] } }),
      ['lb', 'LoadBalancer', '10.96.3.3', '<pending>', '443:31443/TCP', '5m10s', '<none>'],
    ],
    [
      'load balancer addresses, sorted and unclipped, then external IPs',
      obj('lb', {
        spec: { type: 'LoadBalancer', clusterIPs: ['10.96.3.3'], externalIPs: ['198.51.100.1'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb-1234567890.example.com' }, { ip: '203.0.113.9' }] } },
      }),
      ['lb', 'LoadBalancer', '10.96.3.3', '203.0.113.9,lb-1234567890.example.com,198.51.100.1', '80:30080/TCP', '5m10s', '<none>'],
    ],
    [
      'external name',
      obj('db', { spec: { type: 'ExternalName', externalName: 'db.example.com' } }),
      ['db', 'ExternalName', '<none>', 'db.example.com', '<none>', '5m10s', '<none>'],
    ],
    [
      'headless, cluster IP only in the singular field',
      obj('stateful', { spec: { clusterIP: 'None', ports: [{ port: 5432 }], selector: { app: 'pg' } } }),
      ['stateful', 'ClusterIP', 'None', '<none>', '5432/TCP', '5m10s', 'app=pg'],
    ],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => assert.deepEqual(service.row(object, now), want));
  }
});

describe('node rows', () => {
  const cases: [string, KObject, unknown[]][] = [
    [
      'ready control plane with both role label styles',
      obj(
        'cp-1',
        {
          status: {
            conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
            addresses: [{ type: 'Hostname', address: 'cp-1' }, { type: 'InternalIP', address: '192.168.1.10' }],
            nodeInfo: { kubeletVersion: 'v1.33.1', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'containerd://1.7.13' },
          },
        },
        { labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master', 'kubernetes.io/hostname': 'cp-1' }, creationTimestamp: ago(52 * H) },
      ),
      ['cp-1', 'Ready', 'control-plane,master', '2d4h', 'v1.33.1', '192.168.1.10', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.7.13'],
    ],
    [
      'cordoned and not ready',
      obj('w-1', {
        spec: { unschedulable: true },
        status: { conditions: [{ type: 'Ready', status: 'False' }], addresses: [{ type: 'ExternalIP', address: '203.0.113.5' }], nodeInfo: { kubeletVersion: 'v1.33.1' } },
      }),
      ['w-1', 'NotReady,SchedulingDisabled', '<none>', '5m10s', 'v1.33.1', '<none>', '203.0.113.5', '<unknown>', '<unknown>', '<unknown>'],
    ],
    [
      'no conditions reported yet',
      obj('w-2', {}, { labels: { 'node-role.kubernetes.io/': '', 'kubernetes.io/role': '' } }),
      ['w-2', 'Unknown', '<none>', '5m10s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
    ],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => assert.deepEqual(node.row(object, now), want));
  }
});

describe('event rows', () => {
  const cases: [string, KObject, unknown[]][] = [
    [
      'a core event with timestamps and a count',
      obj('web-1.17a', {
        type: 'Warning',
        reason: 'BackOff',
        message: '  Back-off restarting failed container web\n',
        count: 7,
        firstTimestamp: ago(2 * H),
        lastTimestamp: ago(5 * M),
        involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{web}' },
        source: { component: 'kubelet', host: 'node-1' },
      }),
      ['5m', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{web}', 'kubelet, node-1', 'Back-off restarting failed container web', '120m', 7, 'web-1.17a'],
    ],
    [
      'a singleton events.k8s.io event: eventTime, reporting fields, count 1',
      obj('cp-1.17b', {
        type: 'Normal',
        reason: 'Starting',
        message: 'Starting kubelet.',
        eventTime: ago(30 * S, true),
        reportingComponent: 'default-scheduler',
        reportingInstance: '',
        involvedObject: { kind: 'Node' },
        source: {},
      }),
      ['30s', 'Normal', 'Starting', 'node', '', 'default-scheduler', 'Starting kubelet.', '30s', 1, 'cp-1.17b'],
    ],
    [
      'a series takes its last-observed time and count',
      obj('api.17c', {
        type: 'Warning',
        reason: 'Unhealthy',
        message: 'Readiness probe failed',
        eventTime: ago(3 * H, true),
        series: { count: 12, lastObservedTime: ago(10 * S, true) },
        reportingComponent: 'kubelet',
        reportingInstance: 'node-2',
        involvedObject: { kind: 'Pod', name: 'api-0' },
      }),
      ['10s', 'Warning', 'Unhealthy', 'pod/api-0', '', 'kubelet, node-2', 'Readiness probe failed', '3h', 12, 'api.17c'],
    ],
    [
      'no timestamps at all',
      obj('x', { reason: 'R', involvedObject: { kind: 'Deployment', name: 'd' }, source: { component: 'deployment-controller' }, firstTimestamp: null, lastTimestamp: null }),
      ['<unknown>', '', 'R', 'deployment/d', '', 'deployment-controller', '', '<unknown>', 1, 'x'],
    ],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => assert.deepEqual(event.row(object, now), want));
  }
});

describe('endpoints rows', () => {
  const cases: [string, unknown, string][] = [
    ['no subsets', undefined, '<none>'],
    ['addresses times ports, first three then the rest counted', [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }], '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...'],
    ['headless without ports lists bare IPs', [{ addresses: [{ ip: '10.0.0.1' }] }], '10.0.0.1'],
    ['IPv6 in brackets', [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 8080 }] }], '[fd00::1]:8080'],
    ['only not-ready addresses', [{ notReadyAddresses: [{ ip: '10.0.0.9' }], ports: [{ port: 80 }] }], ''],
    [
      'counts across subsets',
      [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }] }, { addresses: [{ ip: '10.0.1.1' }, { ip: '10.0.1.2' }, { ip: '10.0.1.3' }], ports: [{ port: 81 }] }],
      '10.0.0.1:80,10.0.0.2:80,10.0.1.1:81 + 2 more...',
    ],
  ];
  for (const [name, subsets, want] of cases) {
    it(name, () => assert.deepEqual(endpoints.row(obj('svc', { subsets }), now), ['svc', want, '5m10s']));
  }
});

describe('small core rows', () => {
  const cases: [string, Printer, KObject, unknown[]][] = [
    ['namespace', namespace, obj('team-a', { status: { phase: 'Terminating' } }), ['team-a', 'Terminating', '5m10s']],
    ['namespace before defaulting', namespace, obj('team-b'), ['team-b', 'Active', '5m10s']],
    ['configmap counts data and binaryData', configmap, obj('cfg', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), ['cfg', 3, '5m10s']],
    ['empty configmap', configmap, obj('cfg'), ['cfg', 0, '5m10s']],
    ['secret', secret, obj('tls', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }), ['tls', 'kubernetes.io/tls', 2, '5m10s']],
    ['secret type defaults to Opaque', secret, obj('s'), ['s', 'Opaque', 0, '5m10s']],
    ['serviceaccount', serviceaccount, obj('default', { secrets: [{ name: 'default-token' }] }), ['default', 1, '5m10s']],
    [
      'podtemplate',
      podtemplate,
      obj('tpl', { template: { metadata: { labels: { run: 'x', app: 'y' } }, spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'alpine:3' }] } } }),
      ['tpl', 'a,b', 'busybox,alpine:3', 'app=y,run=x'],
    ],
  ];
  for (const [name, printer, object, want] of cases) {
    it(name, () => assert.deepEqual(printer.row(object, now), want));
  }
});
