// Installs the Kubernetes protobuf body decoder, so kubectl 1.32+'s protobuf create requests are understood.
import type { ApiExtension } from '../extension.ts';
import type { KubernetesProtobufDecoder } from './kubernetes-protobuf-decoder.ts';

export function protobufExtension(): ApiExtension {
  return {
    name: 'protobuf',
    install(ctx) {
      // The decoder's code loads with the first protobuf body: most clients (and every one before kubectl 1.32) send JSON.
      let decoder: Promise<KubernetesProtobufDecoder> | undefined;
      const load = async () => new (await import('./kubernetes-protobuf-decoder.ts')).KubernetesProtobufDecoder();
      ctx.setProtobuf({ decode: async (body) => (await (decoder ??= load())).decode(body) });
    },
  };
}
