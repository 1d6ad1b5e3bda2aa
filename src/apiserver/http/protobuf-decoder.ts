// The contract between request decoding and the Kubernetes protobuf codec (`application/vnd.kubernetes.protobuf`).

export interface ProtobufDecoder {
  /** Decodes a `k8s\0`-prefixed runtime.Unknown envelope into the object's JSON shape (apiVersion, kind, …). */
  decode(body: Buffer): unknown | Promise<unknown>;
}
