// The errors both container runtimes throw, so the node agent can tell a missing container from a failed start.

export class ContainerNotFoundError extends Error {
  readonly code = 'NODE_ERR_CONTAINER_NOT_FOUND';
}

export class SandboxNotFoundError extends Error {
  readonly code = 'NODE_ERR_SANDBOX_NOT_FOUND';
}

export class RuntimeNotReadyError extends Error {
  readonly code = 'NODE_ERR_RUNTIME_NOT_READY';
}

export class ContainerStartError extends Error {
  readonly code = 'NODE_ERR_CONTAINER_START';
}

export interface RuntimeLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
}
