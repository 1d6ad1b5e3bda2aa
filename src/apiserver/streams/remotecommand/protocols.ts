// The remote command (exec/attach) subprotocols, their channels, and the Status each version reports at the end.

export const RemoteCommandProtocol = {
  v1: 'channel.k8s.io',
  v2: 'v2.channel.k8s.io',
  v3: 'v3.channel.k8s.io',
  v4: 'v4.channel.k8s.io',
  v5: 'v5.channel.k8s.io',
  base64V1: 'base64.channel.k8s.io',
  base64V4: 'v4.base64.channel.k8s.io',
} as const;

/** What the kubelet's SPDY server offers (apimachinery SupportedStreamingProtocols): v5 is WebSocket-only upstream. */
export const spdyRemoteCommandProtocols: readonly string[] = [
  RemoteCommandProtocol.v4,
  RemoteCommandProtocol.v3,
  RemoteCommandProtocol.v2,
  RemoteCommandProtocol.v1,
];

/** WebSocket subprotocols served: v5 as the API server's stream translator, the rest as the kubelet's WebSocket server. */
export const webSocketRemoteCommandProtocols: readonly string[] = [
  RemoteCommandProtocol.v5,
  RemoteCommandProtocol.v4,
  RemoteCommandProtocol.base64V4,
  RemoteCommandProtocol.v1,
  RemoteCommandProtocol.base64V1,
];

/** Stream ids (apimachinery remotecommand constants); over SPDY the same streams are named by a `streamType` header. */
export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export const streamTypeChannel: Record<string, number> = {
  stdin: Channel.stdin,
  stdout: Channel.stdout,
  stderr: Channel.stderr,
  error: Channel.error,
  resize: Channel.resize,
};

/** v4 and later report a JSON Status on the error stream (with the exit code); earlier versions only an error's text. */
export const reportsStatusJson = (protocol: string): boolean =>
  protocol === RemoteCommandProtocol.v4 || protocol === RemoteCommandProtocol.v5 || protocol === RemoteCommandProtocol.base64V4;

export const isBase64Protocol = (protocol: string): boolean => protocol.startsWith('base64.') || protocol.includes('.base64.');

/** v5 adds the client's CLOSE signal (channel 255 followed by the channel it half-closes). */
export const supportsCloseSignal = (protocol: string): boolean => protocol === RemoteCommandProtocol.v5;

/** metav1.Status as the kubelet marshals it onto the error stream (no kind/apiVersion, Go's field order). */
export interface RemoteCommandStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason?: string; message: string }[] };
  code?: number;
}

export function successStatus(): RemoteCommandStatus {
  return { metadata: {}, status: 'Success' };
}

/**
 * A command's non-zero exit. The message is what upstream sends: the kubelet's CRI error for v4, the stream
 * translator's re-wrapped client error for v5; clients only read the ExitCode cause.
 */
export function exitStatus(code: number, argv: string[], protocol: string): RemoteCommandStatus {
  const inner = protocol === RemoteCommandProtocol.v5 ? `command terminated with exit code ${code}` : `error executing command [${argv.join(' ')}], exit code ${code}`;
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${inner}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** apierrors.NewInternalError as marshalled onto the error stream. */
export function internalErrorStatus(message: string): RemoteCommandStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

/** The bytes for the error stream: JSON for v4+, the failure's text for older versions, nothing for their success. */
export function encodeStatus(status: RemoteCommandStatus, protocol: string): Buffer | undefined {
  if (reportsStatusJson(protocol)) return Buffer.from(JSON.stringify(status));
  if (status.status === 'Success') return undefined;
  return Buffer.from(status.message ?? '');
}
