// Table-driven tests for strategic merge patch, with cases taken from upstream's strategicpatch tests and kubectl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PatchMeta } from './patch-meta.ts';
import { applyStrategicMergePatch, StrategicMergePatchError } from './strategic-merge-patch.ts';

// Hand-built schema information, shaped like the x-kubernetes-patch-* data the server derives from OpenAPI.

const primitive: PatchMeta = { kind: 'primitive', strategies: [], field: () => undefined };

function object(fields: Record<string, PatchMeta>, strategies: string[] = []): PatchMeta {
  return { kind: 'object', strategies, field: (name) => (Object.hasOwn(fields, name) ? fields[name] : undefined) };
}

function mapOf(items: PatchMeta): PatchMeta {
  return { kind: 'map', strategies: [], items, field: () => items };
}

function list(items: PatchMeta, strategies: string[] = [], mergeKey?: string): PatchMeta {
  return { kind: 'list', strategies, mergeKey, items, field: () => undefined };
}

// Upstream's test type `mergeItem`, which nests itself.
const mergeItemFields: Record<string, PatchMeta> = {};
const mergeItem = object(mergeItemFields);
Object.assign(mergeItemFields, {
  name: primitive,
  value: primitive,
  other: primitive,
  mergingList: list(mergeItem, ['merge'], 'name'),
  nonMergingList: list(mergeItem),
  mergingIntList: list(primitive, ['merge']),
  nonMergingIntList: list(primitive),
  simpleMap: mapOf(primitive),
  replacingItem: object({}, ['replace']),
  retainKeysMap: object({ name: primitive, value: primitive, other: primitive }, ['retainKeys']),
  retainKeysMergingList: list(mergeItem, ['merge', 'retainKeys'], 'name'),
  keylessMergingList: list(mergeItem, ['merge']),
});

const labels = mapOf(primitive);
const objectMeta = object({ name: primitive, labels, annotations: labels, finalizers: list(primitive, ['merge']) });
const envVar = object({ name: primitive, value: primitive });
const containerPort = object({ containerPort: primitive, protocol: primitive });
const container = object({
  name: primitive,
  image: primitive,
  args: list(primitive),
  env: list(envVar, ['merge'], 'name'),
  ports: list(containerPort, ['merge'], 'containerPort'),
});
const volume = object({
  name: primitive,
  emptyDir: object({ medium: primitive }),
  configMap: object({ name: primitive }),
});
const podSpec = object({
  containers: list(container, ['merge'], 'name'),
  volumes: list(volume, ['merge', 'retainKeys'], 'name'),
  tolerations: list(object({ key: primitive, operator: primitive })),
});
const deployment = object({
  metadata: objectMeta,
  spec: object({
    replicas: primitive,
    strategy: object(
      { type: primitive, rollingUpdate: object({ maxSurge: primitive, maxUnavailable: primitive }) },
      ['retainKeys'],
    ),
    template: object({ metadata: objectMeta, spec: podSpec }),
  }),
});

interface Case {
  name: string;
  meta?: PatchMeta;
  original: unknown;
  patch: unknown;
  want: unknown;
}

const cases: Case[] = [
  // Maps.
  { name: 'adds a field', original: { name: 1 }, patch: { value: 1 }, want: { name: 1, value: 1 } },
  {
    name: 'null deletes a field and unmatched nulls are dropped',
    original: { name: 1, value: 1 },
    patch: { name: null, other: null, value: 2 },
    want: { value: 2 },
  },
  {
    name: 'nested maps merge key by key',
    original: { simpleMap: { key1: 1, key2: 1 } },
    patch: { simpleMap: { key2: null, key3: 3 } },
    want: { simpleMap: { key1: 1, key3: 3 } },
  },
  { name: 'nil original', original: null, patch: { name: 1 }, want: { name: 1 } },
  { name: 'null patch changes nothing', original: { name: 1 }, patch: null, want: { name: 1 } },
  {
    name: '$patch: delete on a map leaves it empty, as upstream does',
    original: { simpleMap: { key1: 1, key2: 1 } },
    patch: { simpleMap: { $patch: 'delete' } },
    want: { simpleMap: {} },
  },
  {
    name: '$patch: replace on the whole object drops every key',
    original: { name: 1, value: 1 },
    patch: { $patch: 'replace' },
    want: {},
  },
  {
    name: '$patch: replace keeps only the patch keys',
    original: { name: 1, value: 1 },
    patch: { other: 'a', $patch: 'replace' },
    want: { other: 'a' },
  },
  {
    name: '$patch: replace on a nested map consumes directives inside it',
    original: { simpleMap: { key1: 1 }, mergingList: [{ name: 1 }] },
    patch: { mergingList: [{ name: 1, simpleMap: { $patch: 'replace', key2: 2, key3: null } }] },
    want: { simpleMap: { key1: 1 }, mergingList: [{ name: 1, simpleMap: { key2: 2 } }] },
  },
  {
    name: '$patch: merge is an explicit default',
    original: { simpleMap: { key1: 1 } },
    patch: { simpleMap: { $patch: 'merge', key2: 2 } },
    want: { simpleMap: { key1: 1, key2: 2 } },
  },
  {
    name: 'a field with the replace strategy is replaced',
    original: { replacingItem: { a: 1, b: 1 } },
    patch: { replacingItem: { b: 2 } },
    want: { replacingItem: { b: 2 } },
  },
  {
    name: 'a map added where none was drops its nulls and directives',
    original: {},
    patch: { simpleMap: { key1: null, key2: 2 }, mergingList: [{ name: 1 }, { name: 2, $patch: 'delete' }] },
    want: { simpleMap: { key2: 2 }, mergingList: [{ name: 1 }] },
  },
  {
    name: 'a value of another type replaces the original',
    original: { simpleMap: 'text', name: { a: 1 } },
    patch: { simpleMap: { key1: 1 }, name: 'x' },
    want: { simpleMap: { key1: 1 }, name: 'x' },
  },

  // Lists of maps with a merge key.
  {
    name: 'merging list merges elements by key',
    original: { mergingList: [{ name: 1, value: 1 }, { name: 2, value: 2 }] },
    patch: { mergingList: [{ name: 1, value: 'a', other: 'x' }] },
    want: { mergingList: [{ name: 1, value: 'a', other: 'x' }, { name: 2, value: 2 }] },
  },
  {
    name: 'new elements go before the server-only ones without $setElementOrder',
    original: { mergingList: [{ name: 1 }, { name: 2 }] },
    patch: { mergingList: [{ name: 3 }] },
    want: { mergingList: [{ name: 3 }, { name: 1 }, { name: 2 }] },
  },
  {
    name: 'preserve the order from the patch in a merging list',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, other: 'x' }] },
    want: {
      mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, value: 'b', other: 'x' }],
    },
  },
  {
    name: 'preserve the order from the patch in a merging list 2',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }] },
    want: { mergingList: [{ name: 2, value: 'b' }, { name: 3, value: 'c' }, { name: 1, value: 'a' }] },
  },
  {
    name: 'element $patch: delete removes every element with that key',
    original: {
      mergingList: [{ name: 1 }, { name: 1 }, { name: 2, value: 'a' }, { name: 3 }, { name: 3 }],
    },
    patch: { mergingList: [{ name: 1, $patch: 'delete' }, { name: 3, $patch: 'delete' }] },
    want: { mergingList: [{ name: 2, value: 'a' }] },
  },
  {
    name: 'deleting a missing element is a no-op',
    original: { mergingList: [{ name: 2 }] },
    patch: { mergingList: [{ name: 1, $patch: 'delete' }] },
    want: { mergingList: [{ name: 2 }] },
  },
  {
    name: 'element $patch: replace empties the list',
    original: { mergingList: [{ name: 1 }, { name: 2 }] },
    patch: { mergingList: [{ $patch: 'replace' }] },
    want: { mergingList: [] },
  },
  {
    name: 'element $patch: replace replaces the list with the other elements',
    original: { mergingList: [{ name: 1, value: 1 }, { name: 2 }] },
    patch: { mergingList: [{ name: 3 }, { $patch: 'replace' }, { name: 1, other: 'x' }] },
    want: { mergingList: [{ name: 3 }, { name: 1, other: 'x' }] },
  },
  {
    name: 'an empty patch list leaves a merging list alone',
    original: { mergingList: [{ name: 1 }] },
    patch: { mergingList: [] },
    want: { mergingList: [{ name: 1 }] },
  },
  {
    name: 'merge empty merging lists',
    original: { mergingList: [] },
    patch: { mergingList: [] },
    want: { mergingList: [] },
  },
  {
    name: 'a list without the merge strategy is replaced',
    original: { nonMergingList: [{ name: 1, value: 1 }], nonMergingIntList: [1, 2] },
    patch: { nonMergingList: [{ name: 1 }], nonMergingIntList: [2, 3] },
    want: { nonMergingList: [{ name: 1 }], nonMergingIntList: [2, 3] },
  },

  // Lists of primitives with the merge strategy.
  {
    name: 'unique scalars when merging lists',
    original: { mergingIntList: [1, 2] },
    patch: { mergingIntList: [2, 3] },
    want: { mergingIntList: [1, 2, 3] },
  },
  {
    name: 'preserve the order from the patch in a merging int list',
    original: { mergingIntList: [1, 2, 3] },
    patch: { mergingIntList: [3, 1, 2] },
    want: { mergingIntList: [3, 1, 2] },
  },
  {
    name: 'preserve the order from the patch in a merging int list 2',
    original: { mergingIntList: [1, 2, 3] },
    patch: { mergingIntList: [3, 1] },
    want: { mergingIntList: [2, 3, 1] },
  },
  {
    name: '$deleteFromPrimitiveList removes values, duplicates included',
    original: { mergingIntList: [1, 2, 3, 3] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3, 9] },
    want: { mergingIntList: [1, 2] },
  },
  {
    name: '$deleteFromPrimitiveList on a missing list adds nothing',
    original: {},
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3] },
    want: {},
  },

  // $setElementOrder, applied to a live object (upstream's current + three-way patch = result cases).
  {
    name: 'delete items in lists of scalars',
    original: { mergingIntList: [1, 2, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    want: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'delete all duplicate items in lists of scalars',
    original: { mergingIntList: [1, 2, 3, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    want: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'add and delete items in lists of scalars',
    original: { mergingIntList: [1, 2, 3] },
    patch: {
      '$setElementOrder/mergingIntList': [1, 2, 4],
      '$deleteFromPrimitiveList/mergingIntList': [3],
      mergingIntList: [4],
    },
    want: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'reorder a list of scalars',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [3, 1, 2] },
    want: { mergingIntList: [3, 1, 2] },
  },
  {
    name: 'merge lists of maps',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 4 }, { name: 1 }, { name: 2 }, { name: 3 }],
      mergingList: [{ name: 4, value: 4 }, { name: 3, value: 3 }],
    },
    want: {
      mergingList: [
        { name: 4, value: 4 },
        { name: 1, other: 'a' },
        { name: 2, value: 2, other: 'b' },
        { name: 3, value: 3 },
      ],
    },
  },
  {
    name: 'merge lists of maps with conflict',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 3, other: 'b' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }],
      mergingList: [{ name: 2, value: 2 }, { name: 3, value: 3 }],
    },
    want: {
      mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }],
    },
  },
  {
    name: 'add field to map in merging list with conflict',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 3, value: 2, other: 'b' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }],
      mergingList: [{ name: 1, value: 1 }, { name: 2, value: 2 }],
    },
    want: {
      mergingList: [{ name: 1, value: 1, other: 'a' }, { name: 2, value: 2 }, { name: 3, value: 2, other: 'b' }],
    },
  },
  {
    name: 'delete map from merging list',
    original: { mergingList: [{ name: 1 }, { name: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }], mergingList: [{ name: 1, $patch: 'delete' }] },
    want: { mergingList: [{ name: 2, other: 'b' }] },
  },
  {
    name: 'delete missing map from merging list with conflict',
    original: { mergingList: [{ name: 3, other: 'a' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 2 }],
      mergingList: [{ name: 2 }, { name: 1, $patch: 'delete' }],
    },
    want: { mergingList: [{ name: 2 }, { name: 3, other: 'a' }] },
  },
  {
    name: 'add map and delete map from merging list',
    original: { mergingList: [{ name: 1 }, { name: 2, other: 'b' }, { name: 4, other: 'c' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }],
      mergingList: [{ name: 3 }, { name: 1, $patch: 'delete' }],
    },
    want: { mergingList: [{ name: 2, other: 'b' }, { name: 4, other: 'c' }, { name: 3 }] },
  },
  {
    name: 'add map and delete map from merging list with conflict',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 4, other: 'c' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }],
      mergingList: [{ name: 2 }, { name: 3 }, { name: 1, $patch: 'delete' }],
    },
    want: { mergingList: [{ name: 4, other: 'c' }, { name: 2 }, { name: 3 }] },
  },
  {
    name: '$setElementOrder contains item that is not present in the list to be merged',
    original: { mergingList: [{ name: 1 }, { name: 3 }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 3 }, { name: 2 }, { name: 1 }],
      mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }],
    },
    want: { mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
  },
  {
    name: '$setElementOrder contains item that is not present in the int list to be merged',
    original: { mergingIntList: [1, 3] },
    patch: { '$setElementOrder/mergingIntList': [3, 2, 1] },
    want: { mergingIntList: [3, 1] },
  },
  {
    name: '$setElementOrder for a list the object lacks takes the patch list',
    original: {},
    patch: {
      '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }],
      mergingList: [{ name: 2 }, { name: 1 }],
    },
    want: { mergingList: [{ name: 2 }, { name: 1 }] },
  },
  {
    name: '$setElementOrder for a list in neither is dropped',
    original: { name: 1 },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }] },
    want: { name: 1 },
  },

  // $retainKeys.
  {
    name: '$retainKeys clears the keys it does not list',
    original: { retainKeysMap: { name: 'foo', value: 'a', other: 'b' } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'c' } },
    want: { retainKeysMap: { name: 'foo', value: 'c' } },
  },
  {
    name: 'retainKeys map can delete a field when no retainKeys directive present',
    original: { retainKeysMap: { name: 'foo', value: 'a' } },
    patch: { retainKeysMap: { value: null } },
    want: { retainKeysMap: { name: 'foo' } },
  },
  {
    name: 'retainKeys map merge an empty map',
    original: { retainKeysMap: { name: 'foo', value: 'a' } },
    patch: { retainKeysMap: {} },
    want: { retainKeysMap: { name: 'foo', value: 'a' } },
  },
  {
    name: '$retainKeys inside an element of a merging list',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a', other: 'x' }] },
    patch: { retainKeysMergingList: [{ $retainKeys: ['name', 'other'], name: 'foo', other: 'y' }] },
    want: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', other: 'y' }] },
  },
  {
    name: '$retainKeys allows nulls and parallel lists for unlisted keys',
    original: { retainKeysMap: { name: 'foo', value: 'a' }, mergingIntList: [1] },
    patch: { $retainKeys: ['retainKeysMap', 'mergingIntList'], value: null, '$deleteFromPrimitiveList/mergingIntList': [1] },
    want: { retainKeysMap: { name: 'foo', value: 'a' }, mergingIntList: [] },
  },

  // Kubernetes objects, as kubectl patches them.
  {
    name: 'kubectl 1.33 apply: reorder containers, update env with a deletion, drop ports',
    meta: deployment,
    original: {
      metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}' } },
      spec: {
        replicas: 1,
        template: {
          spec: {
            containers: [
              {
                name: 'nginx',
                image: 'nginx:1.25',
                env: [
                  { name: 'A', value: '1' },
                  { name: 'B', value: '1' },
                ],
                ports: [{ containerPort: 80, protocol: 'TCP' }],
              },
              { name: 'sidecar', image: 'busybox:1.35' },
            ],
          },
        },
      },
    },
    patch: {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }],
            containers: [
              { image: 'busybox:1.36', name: 'sidecar' },
              {
                '$setElementOrder/env': [{ name: 'B' }],
                env: [
                  { name: 'B', value: '2' },
                  { $patch: 'delete', name: 'A' },
                ],
                image: 'nginx:1.27',
                name: 'nginx',
                ports: null,
              },
            ],
          },
        },
      },
    },
    want: {
      metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              { name: 'sidecar', image: 'busybox:1.36' },
              { name: 'nginx', image: 'nginx:1.27', env: [{ name: 'B', value: '2' }] },
            ],
          },
        },
      },
    },
  },
  {
    name: 'kubectl apply: RollingUpdate to Recreate with $retainKeys',
    meta: deployment,
    original: {
      spec: {
        replicas: 2,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      },
    },
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
    want: { spec: { replicas: 2, strategy: { type: 'Recreate' } } },
  },
  {
    name: 'kubectl apply: a volume switches source with $retainKeys',
    meta: deployment,
    original: {
      spec: {
        template: {
          spec: {
            volumes: [
              { name: 'data', emptyDir: { medium: 'Memory' } },
              { name: 'cache', emptyDir: {} },
            ],
          },
        },
      },
    },
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }, { name: 'cache' }],
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, emptyDir: null, name: 'data' }],
          },
        },
      },
    },
    want: {
      spec: {
        template: {
          spec: {
            volumes: [
              { name: 'data', configMap: { name: 'cfg' } },
              { name: 'cache', emptyDir: {} },
            ],
          },
        },
      },
    },
  },
  {
    name: 'kubectl apply: add a container in the middle, add a port, replace args and tolerations',
    meta: deployment,
    original: {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'a', args: ['x', 'y'], ports: [{ containerPort: 80 }] },
              { name: 'c', image: 'c' },
            ],
            tolerations: [{ key: 'k1', operator: 'Exists' }],
          },
        },
      },
    },
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
            containers: [
              {
                name: 'a',
                args: ['z'],
                '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }],
                ports: [{ containerPort: 443 }],
              },
              { name: 'b', image: 'b' },
            ],
            tolerations: [{ key: 'k2', operator: 'Exists' }],
          },
        },
      },
    },
    want: {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'a', args: ['z'], ports: [{ containerPort: 80 }, { containerPort: 443 }] },
              { name: 'b', image: 'b' },
              { name: 'c', image: 'c' },
            ],
            tolerations: [{ key: 'k2', operator: 'Exists' }],
          },
        },
      },
    },
  },
  {
    name: 'kubectl patch: labels, finalizers and a finalizer deletion',
    meta: deployment,
    original: { metadata: { labels: { app: 'web', tier: 'front' }, finalizers: ['a.io/x', 'b.io/y'] } },
    patch: {
      metadata: {
        labels: { tier: null, team: 'core' },
        finalizers: ['c.io/z'],
        '$deleteFromPrimitiveList/finalizers': ['a.io/x'],
      },
    },
    want: { metadata: { labels: { app: 'web', team: 'core' }, finalizers: ['c.io/z', 'b.io/y'] } },
  },
];

/** Path of the first `$`-prefixed key anywhere in `v`, or undefined. */
function findDirective(v: unknown, path = ''): string | undefined {
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      const found = findDirective(x, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('$')) return `${path}.${k}`;
      const found = findDirective(x, `${path}.${k}`);
      if (found) return found;
    }
  }
  return undefined;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

for (const c of cases) {
  test(c.name, () => {
    const original = deepFreeze(structuredClone(c.original));
    const patch = deepFreeze(structuredClone(c.patch));
    const got = applyStrategicMergePatch(original, patch, c.meta ?? mergeItem);
    assert.deepEqual(got, c.want);
    assert.equal(findDirective(got), undefined, 'a directive leaked into the result');
    assert.deepEqual(original, c.original, 'the original was mutated');
    assert.deepEqual(patch, c.patch, 'the patch was mutated');
  });
}

interface ErrorCase {
  name: string;
  meta?: PatchMeta;
  original: unknown;
  patch: unknown;
  message: string;
  status: number;
}

const errorCases: ErrorCase[] = [
  {
    name: 'missing merge key should error out',
    original: { mergingList: [{ name: 1, value: 'a' }] },
    patch: { mergingList: [{ value: 'b' }] },
    message: 'map: map[value:b] does not contain declared merge key: name',
    status: 500,
  },
  {
    name: 'a delete directive without the merge key',
    original: { mergingList: [{ name: 1 }] },
    patch: { mergingList: [{ $patch: 'delete', value: 1.5 }] },
    message: 'map: map[$patch:delete value:1.5] does not contain declared merge key: name',
    status: 500,
  },
  {
    name: 'an element of the live list without the merge key',
    original: { mergingList: [{ value: 'x' }] },
    patch: { mergingList: [{ name: 1 }] },
    message: 'map: map[value:x] does not contain declared merge key: name',
    status: 500,
  },
  {
    name: 'unknown $patch value on a map',
    original: { simpleMap: { key1: 1 } },
    patch: { simpleMap: { $patch: 'remove', key1: 2 } },
    message: 'unknown patch type: remove in map: map[$patch:remove key1:2]',
    status: 500,
  },
  {
    name: 'non-string $patch value in a list element',
    original: { mergingList: [{ name: 1 }] },
    patch: { mergingList: [{ $patch: 5, name: 1 }] },
    message: 'unknown patch type: %!s(int64=5) in map: map[$patch:5 name:1]',
    status: 500,
  },
  {
    name: '$patch: merge in a list element',
    original: { mergingList: [{ name: 1 }] },
    patch: { mergingList: [{ $patch: 'merge' }] },
    message: 'merging lists cannot yet be specified in the patch',
    status: 500,
  },
  {
    name: 'should check if order in $setElementOrder and patch list match',
    original: { mergingList: [{ name: 1 }, { name: 3 }, { name: 2 }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }],
      mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }],
    },
    message:
      "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n",
    status: 500,
  },
  {
    name: 'should check if order in $setElementOrder and patch int list match',
    original: { mergingIntList: [1, 3, 2] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] },
    message: "The order in patch list:\n[3 1]\n doesn't match $setElementOrder list:\n[1 2 3]\n",
    status: 500,
  },
  {
    name: '$setElementOrder that is not a list',
    original: { mergingList: [{ name: 1 }] },
    patch: { '$setElementOrder/mergingList': 'name' },
    message: 'expected a []interface {}, but received a string',
    status: 500,
  },
  {
    name: '$setElementOrder entries without the merge key',
    original: { mergingList: [{ name: 1 }] },
    patch: { '$setElementOrder/mergingList': [{ value: 1 }], mergingList: [{ name: 1 }] },
    message: 'map: map[value:1] does not contain declared merge key: name',
    status: 500,
  },
  {
    name: 'malformed $setElementOrder key',
    original: {},
    patch: { $setElementOrder: [] },
    message: 'invalid patch format of setElementOrder list',
    status: 400,
  },
  {
    name: 'malformed $deleteFromPrimitiveList key',
    original: {},
    patch: { '$deleteFromPrimitiveListx/mergingIntList': [1] },
    message: 'invalid patch format of primitive list',
    status: 400,
  },
  {
    name: '$deleteFromPrimitiveList that is not a list of primitives',
    original: { mergingIntList: [1] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [{ name: 1 }] },
    message: 'invalid patch format of primitive list',
    status: 400,
  },
  {
    name: '$retainKeys that is not a list',
    original: { retainKeysMap: { name: 'a' } },
    patch: { retainKeysMap: { $retainKeys: 'name', name: 'b' } },
    message: 'invalid patch format of retainKeys',
    status: 400,
  },
  {
    name: 'patch content not named by $retainKeys',
    original: { retainKeysMap: { name: 'a' } },
    patch: { retainKeysMap: { $retainKeys: ['name'], name: 'b', value: 'c' } },
    message: 'invalid patch format of retainKeys',
    status: 400,
  },
  {
    name: 'lists of lists',
    original: { mergingIntList: [] },
    patch: { mergingIntList: [[1]] },
    message: 'lists of lists are not supported',
    status: 422,
  },
  {
    name: 'mixed element types',
    original: { mergingIntList: [1] },
    patch: { mergingIntList: ['a'] },
    message: 'list element types are not identical: [[1] [a]]',
    status: 500,
  },
  {
    name: 'maps in a merging list without a merge key',
    original: { keylessMergingList: [{ name: 1 }] },
    patch: { keylessMergingList: [{ name: 2 }] },
    message: 'cannot merge lists without merge key for type struct',
    status: 500,
  },
  {
    name: 'primitives in a list of maps with a merge key',
    original: {},
    patch: { mergingList: ['a'] },
    message: 'expected a map[string]interface {}, but received a string',
    status: 500,
  },
  {
    name: 'a patch that is not an object',
    original: {},
    patch: [{ op: 'add' }],
    message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
    status: 400,
  },
];

for (const c of errorCases) {
  test(`error: ${c.name}`, () => {
    assert.throws(
      () => applyStrategicMergePatch(c.original, c.patch, c.meta ?? mergeItem),
      (err: unknown) => {
        assert.ok(err instanceof StrategicMergePatchError);
        assert.equal(err.code, 'SMP_INVALID');
        assert.equal(err.message, c.message);
        assert.equal(err.status, c.status);
        return true;
      },
    );
  });
}

test('the result shares no objects with the inputs', () => {
  const original = { mergingList: [{ name: 1, simpleMap: { a: 1 } }], nonMergingList: [{ name: 2 }] };
  const patch = { simpleMap: { b: 2 }, nonMergingIntList: [1] };
  const got = applyStrategicMergePatch(original, patch, mergeItem) as {
    mergingList: { simpleMap: Record<string, number> }[];
    nonMergingList: unknown[];
    simpleMap: Record<string, number>;
    nonMergingIntList: number[];
  };
  got.mergingList[0].simpleMap.a = 9;
  got.nonMergingList.push('x');
  got.simpleMap.b = 9;
  got.nonMergingIntList.push(9);
  assert.deepEqual(original, { mergingList: [{ name: 1, simpleMap: { a: 1 } }], nonMergingList: [{ name: 2 }] });
  assert.deepEqual(patch, { simpleMap: { b: 2 }, nonMergingIntList: [1] });
});

test('a __proto__ key in a patch stays data', () => {
  const patch = JSON.parse('{"simpleMap":{"__proto__":{"polluted":true}},"__proto__":"x"}') as unknown;
  const got = applyStrategicMergePatch({ simpleMap: {} }, patch, mergeItem) as Record<string, unknown>;
  const simpleMap = got.simpleMap as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(simpleMap), Object.prototype);
  assert.ok(Object.hasOwn(simpleMap, '__proto__'));
  assert.ok(Object.hasOwn(got, '__proto__'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
