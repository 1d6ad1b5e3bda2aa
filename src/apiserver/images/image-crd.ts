// The `images.dabba.dev` CustomResourceDefinition: a project's own images registered through the API (`kubectl apply`), as `dabba image add` does on the command line.
import { createHash } from 'node:crypto';
import { bundleHashAnnotation, type CustomResourceDefinition, type JsonSchema } from '../../api/crds/bundled-crds.ts';

export const imageGroup = 'dabba.dev';
export const imageVersion = 'v1alpha1';
export const imageResource = 'images';

const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const strings = (description: string): JsonSchema => ({ type: 'array', description, items: { type: 'string' } });

const spec: JsonSchema = {
  type: 'object',
  description: 'What a container of this image starts with. Pods name it in `image:` exactly as written in spec.image.',
  required: ['image'],
  properties: {
    image: str('The image reference pods use, with its tag: `swiggy/order-service:v2.1.0`. Digests are not accepted.'),
    from: str(
      "An absolute directory on this machine (the project's build output), mounted read-only at workingDir. The host's root filesystem (read-only) is the rest of the image unless rootfs says otherwise.",
    ),
    rootfs: str('An absolute directory holding an unpacked root filesystem; default `/`, the host\'s own root, read-only.'),
    workingDir: str('The working directory; default `/app` when `from` is set, `/` otherwise.'),
    command: strings("The image's ENTRYPOINT; a container's `command` replaces it."),
    args: strings("The image's CMD; a container's `args` replaces it."),
    env: {
      type: 'array',
      description: 'Environment variables every container of this image starts with (a container\'s own `env` wins).',
      items: { type: 'object', required: ['name'], properties: { name: str('The variable name.'), value: str('The value (may be empty).') } },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
    user: { type: 'integer', format: 'int64', minimum: 0, description: 'The numeric user the image runs as unless a securityContext says otherwise; default 0.' },
    mounts: {
      type: 'array',
      description: 'Further host directories the image brings along.',
      items: {
        type: 'object',
        required: ['hostPath', 'containerPath'],
        properties: {
          hostPath: str('An absolute path on this machine.'),
          containerPath: str('An absolute path inside the container.'),
          readOnly: { type: 'boolean', description: 'Mount read-only; default true.' },
        },
      },
    },
  },
};

const status: JsonSchema = {
  type: 'object',
  description: "The node's view of the image.",
  properties: {
    observedGeneration: { type: 'integer', format: 'int64' },
    conditions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'status'],
        properties: {
          type: str('Ready: the node can start containers of this image.'),
          status: str('True, False or Unknown.'),
          reason: str('Registered, PathNotFound or Conflict.'),
          message: str('Why, in words.'),
          lastTransitionTime: str('When status last changed.', { format: 'date-time' }),
          observedGeneration: { type: 'integer', format: 'int64' },
        },
      },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    },
  },
};

function build(): CustomResourceDefinition {
  const crd: CustomResourceDefinition = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${imageResource}.${imageGroup}`, labels: { 'app.kubernetes.io/part-of': 'dabba' }, annotations: {} },
    spec: {
      group: imageGroup,
      names: { kind: 'Image', listKind: 'ImageList', plural: imageResource, singular: 'image', shortNames: ['img'], categories: ['dabba'] },
      scope: 'Cluster',
      versions: [
        {
          name: imageVersion,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description:
                "An image on dabba's node: dabba does not pull from registries; a project registers its images here (or with `dabba image add`) and pods name them in `image:`.",
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec,
                status,
              },
            },
          },
          additionalPrinterColumns: [
            { name: 'Image', type: 'string', jsonPath: '.spec.image' },
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'From', type: 'string', jsonPath: '.spec.from', priority: 1 },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          subresources: { status: {} },
        },
      ],
    },
  };
  const hash = createHash('sha256').update(JSON.stringify(crd.spec)).digest('hex').slice(0, 16);
  crd.metadata.annotations![bundleHashAnnotation] = hash;
  return crd;
}

/** The CRD (a fresh copy the caller may change). */
export function imageCrd(): CustomResourceDefinition {
  return build();
}
