// Table tests for Service defaulting and validation: the seed manifests pass, broken ones fail with upstream's text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

const seed = (file: string): KObject => parse(readFileSync(new URL(`../../../../../examples/seed/${file}`, import.meta.url), 'utf8'));

/** What the store does before validating a create. */
function created(input: KObject): KObject {
  const svc = structuredClone(input);
  strategy.defaults!(svc);
  strategy.prepareForCreate!(svc);
  return svc;
}

const messages = (svc: KObject) => strategy.validate!(created(svc)).map((e) => e.message());

const svc = (spec: Record<string, unknown>, name = 'web'): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
const port80 = [{ port: 80 }];

describe('Service validation', () => {
  const accepted: [string, KObject][] = [
    ['seed 01 ClusterIP', seed('01-service-clusterip-payment.yaml')],
    ['seed 02 NodePort 30001', seed('02-service-nodeport-api.yaml')],
    ['seed 03 LoadBalancer with AWS annotations', seed('03-service-loadbalancer-public-api.yaml')],
    ['seed 04 ExternalName', seed('04-service-externalname-razorpay.yaml')],
    ['headless without ports', svc({ clusterIP: 'None', selector: { app: 'db' } })],
    ['ExternalName with a trailing dot', svc({ type: 'ExternalName', externalName: 'api.razorpay.com.' })],
    ['two named ports', svc({ ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] })],
    ['same port number, different protocols', svc({ ports: [{ name: 'dns', port: 53 }, { name: 'dns-udp', port: 53, protocol: 'UDP' }] })],
    ['ClientIP affinity gets its default timeout', svc({ ports: port80, sessionAffinity: 'ClientIP' })],
    ['named targetPort', svc({ ports: [{ port: 80, targetPort: 'http' }] })],
  ];
  for (const [name, obj] of accepted) {
    it(`accepts ${name}`, () => assert.deepEqual(messages(obj), []));
  }

  const rejected: [string, KObject, string[]][] = [
    ['no ports', svc({ selector: { app: 'web' } }), ['spec.ports: Required value']],
    [
      'several ports without names',
      svc({ ports: [{ port: 80 }, { port: 443 }] }),
      ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value'],
    ],
    ['duplicate port names', svc({ ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }), ['spec.ports[1].name: Duplicate value: "http"']],
    [
      'a port name that is not a DNS label',
      svc({ ports: [{ name: 'Http', port: 80 }, { name: 'b', port: 81 }] }),
      [
        `spec.ports[0].name: Invalid value: "Http": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      'port 0',
      svc({ ports: [{ port: 0 }] }),
      [
        'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      ],
    ],
    [
      'an unsupported protocol',
      svc({ ports: [{ port: 80, protocol: 'HTTP' }] }),
      ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      'a nodePort on a ClusterIP Service',
      svc({ ports: [{ port: 80, nodePort: 30080 }] }),
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      'an unknown type',
      svc({ type: 'Internal', ports: port80 }),
      ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ],
    ['ExternalName without a name', svc({ type: 'ExternalName' }), ['spec.externalName: Required value']],
    [
      'ExternalName that is not a DNS name',
      svc({ type: 'ExternalName', externalName: 'api_razorpay.com' }),
      [
        `spec.externalName: Invalid value: "api_razorpay.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [
      'ExternalName with a cluster IP',
      svc({ type: 'ExternalName', externalName: 'example.com', clusterIP: '10.96.0.50' }),
      ['spec.clusterIPs: Forbidden: may not be set for ExternalName services'],
    ],
    [
      'a selector value that is not a label value',
      svc({ ports: port80, selector: { app: 'payment service' } }),
      [
        `spec.selector: Invalid value: "payment service": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    [
      'a cluster IP that is not an IP',
      svc({ ports: port80, clusterIP: 'ten.ninety-six' }),
      ['spec.clusterIPs[0]: Invalid value: "ten.ninety-six": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    ],
    [
      'clusterIPs that disagree with clusterIP',
      svc({ ports: port80, clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.21'] }),
      ['spec.clusterIPs: Invalid value: []string{"10.96.0.21"}: first value must match `clusterIP`'],
    ],
    [
      'a headless LoadBalancer',
      svc({ type: 'LoadBalancer', clusterIP: 'None', ports: port80 }),
      ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"],
    ],
    [
      'a headless NodePort',
      svc({ type: 'NodePort', clusterIP: 'None', ports: port80 }),
      ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
    ],
    [
      'an affinity timeout of zero',
      svc({ ports: port80, sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }),
      ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400'],
    ],
    [
      'an unknown session affinity',
      svc({ ports: port80, sessionAffinity: 'Cookie' }),
      ['spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"'],
    ],
    [
      'externalTrafficPolicy on a ClusterIP Service',
      svc({ ports: port80, externalTrafficPolicy: 'Local' }),
      ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
    ],
    [
      'the same protocol and port twice',
      svc({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }),
      [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ],
    ],
    [
      'the same nodePort twice',
      svc({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81, nodePort: 30080 }] }),
      ['spec.ports[1].nodePort: Duplicate value: 30080'],
    ],
    [
      'a loopback external IP',
      svc({ ports: port80, externalIPs: ['127.0.0.1'] }),
      ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ],
    [
      'source ranges on a ClusterIP Service',
      svc({ ports: port80, loadBalancerSourceRanges: ['10.0.0.0/8'] }),
      ["spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"],
    ],
    [
      'an unknown internal traffic policy',
      svc({ ports: port80, internalTrafficPolicy: 'Node' }),
      ['spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"'],
    ],
    [
      'a health-check node port without Local traffic',
      svc({ type: 'LoadBalancer', ports: port80, healthCheckNodePort: 30100 }),
      ["spec.healthCheckNodePort: Invalid value: 30100: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"],
    ],
  ];
  for (const [name, obj, want] of rejected) {
    it(`rejects ${name}`, () => assert.deepEqual(messages(obj), want));
  }

  it('uses DNS-1035 labels for names, as upstream ValidateServiceName does', () => {
    assert.equal(strategy.nameValidation, 'dns1035Label');
  });
});

describe('Service defaults', () => {
  it('fills what the apiserver fills', () => {
    const lb = created(seed('03-service-loadbalancer-public-api.yaml'));
    assert.deepEqual(lb.spec, {
      type: 'LoadBalancer',
      selector: { app: 'swiggy-api' },
      ports: [{ port: 443, targetPort: 8080, protocol: 'TCP' }],
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
    });
    assert.deepEqual(lb.status, { loadBalancer: {} });
  });

  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['targetPort defaults to port', { ports: [{ port: 8080 }] }, { ports: [{ port: 8080, targetPort: 8080, protocol: 'TCP' }] }],
    ['ClientIP affinity timeout', { ports: port80, sessionAffinity: 'ClientIP' }, { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } }],
    ['no internal traffic policy for ExternalName', { type: 'ExternalName', externalName: 'a.b' }, { internalTrafficPolicy: undefined }],
    ['external traffic policy for external IPs', { ports: port80, externalIPs: ['192.0.2.1'] }, { externalTrafficPolicy: 'Cluster' }],
    ['NodePort gets Cluster external traffic', { type: 'NodePort', ports: port80 }, { externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: undefined }],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => {
      const got = created(svc(spec)).spec;
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
    });
  }
});

describe('Service updates', () => {
  const stored = (): KObject => {
    const s = created(svc({ type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] }));
    Object.assign(s.spec, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    s.spec.ports[0].nodePort = 30080;
    return s;
  };
  const updated = (input: KObject, old: KObject): KObject => {
    const next = structuredClone(input);
    strategy.defaults!(next);
    strategy.prepareForUpdate!(next, old);
    return next;
  };

  it('keeps allocated values when the original manifest is resubmitted', () => {
    const old = stored();
    const next = updated(svc({ type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] }), old);
    assert.equal(next.spec.clusterIP, '10.96.0.10');
    assert.deepEqual(next.spec.clusterIPs, ['10.96.0.10']);
    assert.equal(next.spec.ports[0].nodePort, 30080);
    assert.deepEqual(strategy.validateUpdate!(next, old), []);
  });

  it('refuses to change the cluster IP', () => {
    const old = stored();
    const next = updated(svc({ type: 'NodePort', clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] }), old);
    assert.deepEqual(
      strategy.validateUpdate!(next, old).map((e) => e.message()),
      ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.20"}: may not change once set'],
    );
  });

  it('drops node ports and externalTrafficPolicy when the type becomes ClusterIP', () => {
    const old = stored();
    const input = structuredClone(old);
    input.spec.type = 'ClusterIP';
    const next = updated(input, old);
    assert.equal(next.spec.ports[0].nodePort, undefined);
    assert.equal(next.spec.externalTrafficPolicy, undefined);
    assert.deepEqual(strategy.validateUpdate!(next, old), []);
  });

  it('clears the cluster IP when the type becomes ExternalName', () => {
    const old = stored();
    const input = structuredClone(old);
    Object.assign(input.spec, { type: 'ExternalName', externalName: 'example.com' });
    const next = updated(input, old);
    assert.equal(next.spec.clusterIP, undefined);
    assert.equal(next.spec.ipFamilies, undefined);
    assert.deepEqual(strategy.validateUpdate!(next, old), []);
  });
});
