// Host routes for the pod and service ranges: pointed at the instance's bridge, refused when another device owns them, and checked with `ip route get`.
import { cidrContains, parseCidr, type Ipv4Cidr } from './cidr.ts';
import { runHostCommand, type CommandRunner } from './host-command.ts';

export class RouteConflictError extends Error {
  readonly code = 'NODE_ERR_ROUTE_CONFLICT';
}

export class RouteSafetyError extends Error {
  readonly code = 'NODE_ERR_ROUTE_SAFETY';
}

interface IpRoute {
  dst: string;
  dev?: string;
  gateway?: string;
  type?: string;
}

function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return cidrContains(a, b.base) || cidrContains(b, a.base);
}

/** The routes of the main table that overlap `cidr` and do not go through `dev`. */
export async function foreignRoutes(cidr: string, dev: string): Promise<IpRoute[]> {
  const { stdout } = await runHostCommand('ip', ['-j', 'route', 'show', 'table', 'main']);
  const want = parseCidr(cidr);
  const routes = JSON.parse(stdout || '[]') as IpRoute[];
  return routes.filter((r) => {
    if (r.dst === 'default' || r.dev === dev) return false;
    let dst: Ipv4Cidr;
    try {
      dst = parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/32`);
    } catch {
      return false;
    }
    return overlaps(dst, want);
  });
}

/** Routes `cidr` to `dev`, unless a route through another device already covers part of it (another cluster, a VPN…). */
export async function routeToDevice(cidr: string, dev: string): Promise<void> {
  const others = await foreignRoutes(cidr, dev);
  if (others.length > 0) {
    const seen = others.map((r) => `${r.dst} ${r.type === 'blackhole' ? 'blackhole' : `dev ${r.dev ?? '?'}`}`).join(', ');
    throw new RouteConflictError(`cannot route ${cidr} to ${dev}: the host already routes ${seen} (another dabba instance or network uses this range; pick another --pod-cidr/--service-cidr)`);
  }
  await runHostCommand('ip', ['route', 'replace', cidr, 'dev', dev]);
}

/** The device the kernel would send a packet to `ip` through. */
export async function routeDevice(ip: string, run: CommandRunner = runHostCommand): Promise<{ dev?: string; gateway?: string; type?: string }> {
  const { stdout } = await run('ip', ['-j', 'route', 'get', ip], { okCodes: [2] });
  const [r] = JSON.parse(stdout || '[]') as IpRoute[];
  return r ?? { type: 'unreachable' };
}

/** The devices for several addresses with one `ip -batch` (one by one when a lookup fails and leaves no line). */
export async function routeDevices(ips: string[], run: CommandRunner = runHostCommand): Promise<{ dev?: string; gateway?: string; type?: string }[]> {
  if (ips.length === 1) return [await routeDevice(ips[0], run)];
  const input = ips.map((ip) => `route get ${ip}\n`).join('');
  const { stdout } = await run('ip', ['-j', '-force', '-batch', '-'], { input, okCodes: [1, 2] });
  const lines = stdout.split('\n').filter((l) => l.trim());
  if (lines.length !== ips.length) return Promise.all(ips.map((ip) => routeDevice(ip, run)));
  return lines.map((l) => (JSON.parse(l) as IpRoute[])[0] ?? { type: 'unreachable' });
}

function checkRoute(ip: string, dev: string, r: { dev?: string; gateway?: string; type?: string }): void {
  if (r.dev !== dev || r.gateway) {
    throw new RouteSafetyError(`a packet to ${ip} would leave through ${r.gateway ? `gateway ${r.gateway} on ` : ''}${r.dev ?? r.type ?? 'nowhere'}, not ${dev}: refusing to hand out pod addresses`);
  }
}

/** Fails unless a packet to `ip` would go out through `dev` (never through a gateway, i.e. never the default route). */
export async function assertRoutedVia(ip: string, dev: string): Promise<void> {
  checkRoute(ip, dev, await routeDevice(ip));
}

/**
 * `assertRoutedVia` for the addresses of pods that start together: the addresses asked for while one lookup runs
 * are looked up together in the next, so a hundred pods cost a few `ip` runs instead of a hundred. Each address is
 * still checked after it was handed out, in a lookup that started after the request.
 */
export class RouteChecks {
  readonly #dev: string;
  readonly #run: CommandRunner;
  #queue: { ip: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  #running = false;

  constructor(dev: string, run: CommandRunner = runHostCommand) {
    this.#dev = dev;
    this.#run = run;
  }

  assertRoutedVia(ip: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ ip, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0);
      try {
        const routes = await routeDevices(batch.map((b) => b.ip), this.#run);
        batch.forEach((b, i) => {
          try {
            checkRoute(b.ip, this.#dev, routes[i]);
            b.resolve();
          } catch (e) {
            b.reject(e);
          }
        });
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    this.#running = false;
  }
}
