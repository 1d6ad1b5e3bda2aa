import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { imageTag, setDefaults, setPodSpecDefaults } from './defaults.ts';

test('image tags decide the pull policy as the container runtime parses references', () => {
  const cases: [string, string, string][] = [
    ['nginx', 'latest', 'Always'],
    ['nginx:latest', 'latest', 'Always'],
    ['nginx:1.27', '1.27', 'IfNotPresent'],
    ['swiggy/order-service:v2.1.0', 'v2.1.0', 'IfNotPresent'],
    ['localhost:5000/app', 'latest', 'Always'],
    ['localhost:5000/app:dev', 'dev', 'IfNotPresent'],
    ['registry.k8s.io/pause@sha256:' + 'a'.repeat(64), '', 'IfNotPresent'],
    ['busybox:1.36@sha256:' + 'b'.repeat(64), '1.36', 'IfNotPresent'],
    ['Nginx', '', 'IfNotPresent'],
    ['', '', 'IfNotPresent'],
  ];
  for (const [image, tag, policy] of cases) {
    assert.equal(imageTag(image), tag, image);
    const spec: KObject['spec'] = { containers: [{ name: 'c', image }] };
    setPodSpecDefaults(spec);
    assert.equal(spec.containers[0].imagePullPolicy, policy, image);
  }
});

test('a minimal pod gets every upstream default', () => {
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web' },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: '500m', memory: '0.5Gi' } },
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        },
      ],
      volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'cfg' } }, { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }],
    },
  };
  setDefaults(pod);
  assert.deepEqual(pod.spec, {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '500m', memory: '512Mi' } },
        livenessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
        env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }],
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    volumes: [
      { name: 'scratch', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
      { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }], defaultMode: 420 } },
    ],
    enableServiceLinks: true,
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
  });
});

test('host-network pods get host ports; templates get no pod-only defaults', () => {
  const pod: KObject = { metadata: { name: 'p' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8080 }] }] } };
  setDefaults(pod);
  assert.equal(pod.spec.containers[0].ports[0].hostPort, 8080);
  const template: KObject['spec'] = { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: '1' } } }] };
  setPodSpecDefaults(template);
  assert.equal(template.enableServiceLinks, undefined);
  assert.equal(template.containers[0].resources.requests, undefined);
});
