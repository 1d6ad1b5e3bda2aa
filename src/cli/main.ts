// The `dabba` command line: `up` runs a cluster in the foreground; `kubeconfig` prints how to reach it.
import { parseArgs } from 'node:util';
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdir, readFile } from 'node:fs/promises';
import { createLogger } from '../server/logger.ts';
import { nodeNameFromHostname } from '../node/registration/node-name.ts';
import { cidrContains, parseCidr, type Ipv4Cidr } from '../node/network/cidr.ts';
import { parseGoDuration } from '../machinery/go-duration.ts';

const usage = `Usage: dabba <command> [flags]

Commands:
  up          Run a cluster in the foreground until SIGINT/SIGTERM
  kubeconfig  Print the kubeconfig of the cluster in --data-dir
  doctor      Tell which container runtime \`up\` will use here and why, and what is missing [--runtime MODE]
  image       Manage the node's image store: image add NAME:TAG --from DIR --cmd COMMAND...; image ls; image rm NAME:TAG
  version     Print the version

Flags for up:
  --data-dir DIR         state directory (default ~/.dabba)
  --port N               API port (default 6443; 0 picks a free port)
  --host ADDR            API listen address (default 127.0.0.1)
  --kubeconfig FILE      where to write the kubeconfig (default <data-dir>/kubeconfig)
  --datastore KIND       sqlite (default) or etcd://HOST:PORT
  --runtime MODE         auto|isolated|host: containers (root + crun/runc + CNI) or plain processes (default auto; see dabba doctor)
  --pod-cidr CIDR        pod address range, routed to the instance's bridge (default 10.244.0.0/16; /8 to /24)
  --service-cidr CIDR    Service virtual IP range (default 10.96.0.0/16)
  --node-name NAME       this machine's Node name (default the hostname, lowercased)
  --event-ttl DURATION   how long Events are kept after they were last seen (default 1h0m0s; 0 keeps them)
`;

class UsageError extends Error {
  readonly code = 'DABBA_USAGE';
}

function portOf(v: string | undefined): number {
  if (v === undefined) return 6443;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port: "${v}" is not a port number (0-65535)`);
  return n;
}

async function up(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      kubeconfig: { type: 'string' },
      datastore: { type: 'string' },
      runtime: { type: 'string' },
      'pod-cidr': { type: 'string' },
      'service-cidr': { type: 'string' },
      'node-name': { type: 'string' },
      'event-ttl': { type: 'string' },
    },
    strict: true,
  });
  const dataDir = resolve(values['data-dir'] ?? join(homedir(), '.dabba'));
  const runtime = (values.runtime ?? process.env.DABBA_RUNTIME ?? 'auto') as 'auto' | 'isolated' | 'host';
  if (!['auto', 'isolated', 'host'].includes(runtime)) throw new UsageError(`--runtime: "${runtime}" must be one of auto, isolated, host`);
  const serviceCIDR = values['service-cidr'] ?? '10.96.0.0/16';
  if (!/^\d+\.\d+\.\d+\.0\/(1[2-9]|2[0-4])$/.test(serviceCIDR)) {
    throw new UsageError(`--service-cidr: "${serviceCIDR}" must be an IPv4 CIDR with a prefix between /12 and /24, e.g. 10.96.0.0/16`);
  }
  const podCIDR = values['pod-cidr'] ?? '10.244.0.0/16';
  let pods: Ipv4Cidr;
  try {
    pods = parseCidr(podCIDR);
  } catch (e) {
    throw new UsageError(`--pod-cidr: ${(e as Error).message}`);
  }
  if (pods.bits < 8 || pods.bits > 24) throw new UsageError(`--pod-cidr: "${podCIDR}" must have a prefix between /8 and /24, e.g. 10.244.0.0/16`);
  const services = parseCidr(serviceCIDR);
  if (cidrContains(pods, services.base) || cidrContains(services, pods.base)) {
    throw new UsageError(`--pod-cidr: "${podCIDR}" overlaps --service-cidr "${serviceCIDR}"; pod and Service addresses must come from separate ranges`);
  }
  const nodeName = values['node-name'] ?? nodeNameFromHostname(hostname());
  if (nodeName.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(nodeName)) {
    throw new UsageError(`--node-name: "${nodeName}" must be a lowercase DNS subdomain, e.g. my-laptop`);
  }
  let eventTtlMs = 60 * 60_000;
  if (values['event-ttl'] !== undefined) {
    try {
      eventTtlMs = Number(parseGoDuration(values['event-ttl']) / 1_000_000n);
    } catch (e) {
      throw new UsageError(`--event-ttl: ${(e as Error).message} (a duration such as 1h, 30m or 90s)`);
    }
    if (eventTtlMs < 0) throw new UsageError(`--event-ttl: "${values['event-ttl']}" must not be negative`);
  }
  const started = performance.now();
  // On a first start the service-account signing key (RSA 2048, as kubeadm's) takes tens to hundreds of ms to
  // generate, off the JavaScript thread: it is made while the server's modules load.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const { ensureSigningKey } = await import('../apiserver/identity/signing-key.ts');
  const serviceAccountKey = ensureSigningKey(dataDir);
  serviceAccountKey.catch(() => {}); // awaited by the API server; a start that fails before must not leave it unhandled
  const { Cluster } = await import('../server/components.ts');
  const log = createLogger();
  const cluster = new Cluster(
    {
      dataDir,
      host: values.host ?? '127.0.0.1',
      port: portOf(values.port),
      kubeconfig: resolve(values.kubeconfig ?? join(dataDir, 'kubeconfig')),
      datastore: values.datastore ?? 'sqlite',
      serviceCIDR,
      podCIDR,
      eventTtlMs,
      nodeName,
      runtime,
      // Tests shorten this to see 410 Expired; users keep upstream's five minutes.
      compactionIntervalMs: Number(process.env.DABBA_COMPACTION_INTERVAL_MS ?? 5 * 60_000),
      serviceAccountKey,
    },
    log,
  );
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    if (stopping) return;
    log.info('stopping', { signal });
    stopping = cluster.stop().then(() => log.info('stopped'));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    await cluster.start();
  } catch (e) {
    log.error('start failed', { error: e instanceof Error ? e.message : String(e) });
    await cluster.stop();
    return 1;
  }
  const kubeconfig = resolve(values.kubeconfig ?? join(dataDir, 'kubeconfig'));
  log.info('ready', { url: cluster.api!.url, kubeconfig, startupMs: Math.round(performance.now() - started) });
  process.stdout.write(`dabba is up at ${cluster.api!.url}\n  export KUBECONFIG=${kubeconfig}\n  kubectl get namespaces\n`);
  await new Promise<void>((done) => {
    const wait = setInterval(() => {
      if (stopping) {
        clearInterval(wait);
        void stopping.then(done);
      }
    }, 50);
  });
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'up':
        return await up(rest);
      case 'kubeconfig': {
        const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' } }, strict: true });
        const dataDir = resolve(values['data-dir'] ?? join(homedir(), '.dabba'));
        process.stdout.write(await readFile(join(dataDir, 'kubeconfig'), 'utf8'));
        return 0;
      }
      case 'doctor': {
        const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' }, runtime: { type: 'string' } }, strict: true });
        const mode = values.runtime ?? 'auto';
        if (mode !== 'auto' && mode !== 'isolated' && mode !== 'host') throw new UsageError(`--runtime: "${mode}" must be one of auto, isolated, host`);
        const { doctor } = await import('./doctor.ts');
        const report = await doctor(mode, resolve(values['data-dir'] ?? join(homedir(), '.dabba')));
        process.stdout.write(report.text);
        return report.ok ? 0 : 1;
      }
      case 'image': {
        // --data-dir may appear among the flags, never after --cmd (which takes the rest of the line).
        const cmdAt = rest.indexOf('--cmd');
        const head = cmdAt === -1 ? rest : rest.slice(0, cmdAt);
        const at = head.indexOf('--data-dir');
        let dataDir = join(homedir(), '.dabba');
        const args = [...rest];
        if (at !== -1) {
          if (head[at + 1] === undefined) throw new UsageError('--data-dir needs a directory');
          dataDir = head[at + 1];
          args.splice(at, 2);
        }
        const { imageCommand, imageUsage } = await import('./image.ts');
        try {
          process.stdout.write(await imageCommand(args, resolve(dataDir)));
          return 0;
        } catch (e) {
          if ((e as { code?: string }).code === 'DABBA_IMAGE_USAGE' || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
            process.stderr.write(`dabba: ${(e as Error).message}\n\n${imageUsage}`);
            return 2;
          }
          throw e;
        }
      }
      case 'version':
        process.stdout.write('dabba 0.1.0 (Kubernetes API v1.33)\n');
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(usage);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`dabba: ${(e as Error).message}\n\n${usage}`);
      return 2;
    }
    process.stderr.write(`dabba: ${(e as Error).message}\n`);
    return 1;
  }
}
