// A small structured logger: constant messages, data in fields, one line per entry on stderr.

export type LogFn = (msg: string, fields?: Record<string, unknown>) => void;

export interface Logger {
  info: LogFn;
  error: LogFn;
  debug: LogFn;
}

export function createLogger(component = 'dabba', verbose = process.env.DABBA_DEBUG === '1'): Logger {
  const line = (level: string, msg: string, fields?: Record<string, unknown>) => {
    const ts = new Date().toISOString();
    const data = fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : '';
    process.stderr.write(`${ts} ${level} ${component}: ${msg}${data}\n`);
  };
  return {
    info: (m, f) => line('I', m, f),
    error: (m, f) => line('E', m, f),
    debug: (m, f) => (verbose ? line('D', m, f) : undefined),
  };
}
