// The API server extensions dabba installs, in order (each adds kinds, authenticators, admission or codecs).
import type { ApiExtension } from './extension.ts';
import type { SigningKey } from './identity/signing-key.ts';
import { serverSideApplyExtension } from './fieldmanager/server-side-apply-extension.ts';
import { protobufExtension } from './protobuf/protobuf-extension.ts';
import { identityExtension } from './identity/identity-extension.ts';
import { istioNetworking } from './istio/extension.ts';
import { verticalPodAutoscaling } from './vpa/extension.ts';
import { imageApi } from './images/extension.ts';
import { customResourceDefinitions } from './crd/crd-serving.ts';
import { podStreams } from './streams/streams-extension.ts';
import { podEviction } from './eviction/eviction-extension.ts';
import { podBindingExtension } from './binding/binding-extension.ts';

export function apiExtensions(o: { serviceAccountKey?: Promise<SigningKey> } = {}): ApiExtension[] {
  return [
    serverSideApplyExtension,
    protobufExtension(),
    identityExtension(o.serviceAccountKey),
    customResourceDefinitions(),
    istioNetworking(), verticalPodAutoscaling(),
    imageApi(),
    podStreams(), podEviction(),
    podBindingExtension(),
  ];
}
