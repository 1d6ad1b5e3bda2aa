// Installs the Kubernetes protobuf body decoder, so kubectl 1.32+'s protobuf create requests are understood.
import type { ApiExtension } from '../extension.ts';
import { KubernetesProtobufDecoder } from './kubernetes-protobuf-decoder.ts';

export function protobufExtension(): ApiExtension {
  return {
    name: 'protobuf',
    install(ctx) {
      ctx.setProtobuf(new KubernetesProtobufDecoder());
    },
  };
}
