// Allocates Service cluster IPs and node ports the way kube-apiserver's service registry does.
//
// Contract (mirrors upstream's beginCreate/beginUpdate transactions):
// - `load(services)` once at start-up, before any `allocate`, rebuilds the used sets from storage.
// - `allocate(svc, old?)` completes `svc.spec` in place (clusterIP/clusterIPs, ipFamilies, ipFamilyPolicy,
//   nodePorts, healthCheckNodePort) and reserves every value it hands out at once, so two writes in flight
//   can never receive the same address or port. It returns an `Allocation`:
//     `commit()`   after the object was stored: applies the releases the update implies (dropped node
//                  ports, a switch to ExternalName);
//     `rollback()` when the write failed for any reason (validation, conflict, storage): frees exactly what
//                  this call reserved, the old object's values stay allocated.
//   Call exactly one of them; later calls are ignored.
// - When it throws (a StatusError: 422 Invalid with upstream's text, or 500 for an exhausted range) it
//   holds nothing.
// - `release(svc)` after a delete was stored.
// Only the IPv4 family is served; an IPv6 request is rejected as upstream does on a single-stack cluster.
import { FieldError, FieldPath, fieldInvalid } from '../../../../machinery/field-errors.ts';
import { StatusError } from '../../../../machinery/status-error.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { familyOfIP, formatIPv4, parseIPv4 } from './addresses.ts';
import { validateClusterIPsRelatedFields } from './validation.ts';

export interface ServiceAllocatorOptions {
  serviceCIDR?: string;
  /** Inclusive [first, last]. */
  nodePortRange?: [number, number];
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

export interface Allocation {
  commit(): void;
  rollback(): void;
}

const serviceGK = { group: '', kind: 'Service' };
const IPv4 = 'IPv4';
const IPv6 = 'IPv6';

/** Upstream's ipallocator errors (pkg/registry/core/service/ipallocator/interfaces.go). */
const errIPAllocated = 'provided IP is already allocated';
const errMismatchedNetwork = 'the provided network does not match the current range';
const errFull = 'range is full';
const errPortAllocated = 'provided port is already allocated';

class AllocationError extends Error {}

/**
 * A set of integers in [first, last] with upstream's static/dynamic split: explicit requests may take any
 * value, dynamic allocation prefers the upper band and falls back to the lower `offset` values.
 */
class RangeSet {
  readonly first: number;
  readonly last: number;
  readonly offset: number;
  readonly used = new Set<number>();
  private readonly random: () => number;

  constructor(first: number, last: number, offset: number, random: () => number) {
    this.first = first;
    this.last = last;
    this.offset = offset;
    this.random = random;
  }

  get size(): number {
    return this.last - this.first + 1;
  }

  contains(v: number): boolean {
    return v >= this.first && v <= this.last;
  }

  next(): number | undefined {
    const upper = this.size - this.offset;
    const pick = (count: number) => Math.min(count - 1, Math.floor(this.random() * count));
    if (upper > 0) {
      const start = pick(upper);
      for (let i = 0; i < upper; i++) {
        const v = this.first + this.offset + ((start + i) % upper);
        if (!this.used.has(v)) return v;
      }
    }
    if (this.offset > 0) {
      const start = pick(this.offset);
      for (let i = 0; i < this.offset; i++) {
        const v = this.first + ((start + i) % this.offset);
        if (!this.used.has(v)) return v;
      }
    }
    return undefined;
  }
}

/** `min(max(lo, size/step), hi)`, 0 for tiny ranges (KEP-3070, upstream calculateRangeOffset). */
function rangeOffset(size: number, lo: number, hi: number, step: number): number {
  if (size <= lo) return 0;
  return Math.min(Math.max(lo, Math.floor(size / step)), hi);
}

function parseCIDR(cidr: string): { base: number; bits: number } {
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr.trim());
  const ip = m ? parseIPv4(m[1]) : undefined;
  const bits = m ? Number(m[2]) : NaN;
  if (ip === undefined || !(bits >= 0 && bits <= 32)) {
    throw new Error(`invalid service CIDR ${JSON.stringify(cidr)}: only IPv4 CIDRs are supported`);
  }
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ip & mask) >>> 0, bits };
}

const isExternalName = (svc: KObject) => svc.spec?.type === 'ExternalName';
const isHeadless = (svc: KObject) => Array.isArray(svc.spec?.clusterIPs) && svc.spec.clusterIPs[0] === 'None';
const needsNodePort = (svc: KObject) => svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
const needsHealthCheck = (svc: KObject) =>
  svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';
const shouldAllocateNodePorts = (svc: KObject) =>
  svc.spec?.type === 'NodePort' || (svc.spec?.type === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);
const hasSelector = (svc: KObject) => Object.keys(svc.spec?.selector ?? {}).length > 0;
const sameList = (a: unknown, b: unknown) =>
  JSON.stringify(Array.isArray(a) ? a : []) === JSON.stringify(Array.isArray(b) ? b : []);

function portsOf(svc: KObject): Record<string, any>[] {
  return Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
}

function nodePortsOf(svc: KObject): number[] {
  return portsOf(svc)
    .map((p) => p?.nodePort)
    .filter((n): n is number => typeof n === 'number' && n !== 0);
}

/** One allocation in progress: what it reserved (undone by rollback) and what it will free on commit. */
class Transaction implements Allocation {
  readonly reservedIPs: number[] = [];
  readonly reservedPorts: number[] = [];
  readonly deferredIPs: number[] = [];
  readonly deferredPorts: number[] = [];
  private done = false;
  private readonly owner: ServiceAllocator;

  constructor(owner: ServiceAllocator) {
    this.owner = owner;
  }

  commit(): void {
    if (this.done) return;
    this.done = true;
    for (const ip of this.deferredIPs) this.owner.ips.used.delete(ip);
    for (const p of this.deferredPorts) this.owner.ports.used.delete(p);
  }

  rollback(): void {
    if (this.done) return;
    this.done = true;
    for (const ip of this.reservedIPs) this.owner.ips.used.delete(ip);
    for (const p of this.reservedPorts) this.owner.ports.used.delete(p);
  }

  /** Reserves a specific node port; the error text is upstream's portallocator message. */
  allocatePort(port: number): void {
    const ports = this.owner.ports;
    if (!ports.contains(port)) {
      throw new AllocationError(
        `provided port is not in the valid range. The range of valid ports is ${ports.first}-${ports.last}`,
      );
    }
    if (ports.used.has(port)) throw new AllocationError(errPortAllocated);
    ports.used.add(port);
    this.reservedPorts.push(port);
  }

  allocateNextPort(): number {
    const p = this.owner.ports.next();
    if (p === undefined) throw new AllocationError(errFull);
    this.owner.ports.used.add(p);
    this.reservedPorts.push(p);
    return p;
  }

  allocateIP(ip: string): void {
    const ips = this.owner.ips;
    const n = parseIPv4(ip);
    if (n === undefined || !this.owner.inCIDR(n)) throw new AllocationError(errMismatchedNetwork);
    if (!ips.contains(n)) {
      throw new AllocationError(
        `the provided IP (${formatIPv4(n)}) is not in the valid range. The range of valid IPs is ${this.owner.cidr}`,
      );
    }
    if (ips.used.has(n)) throw new AllocationError(errIPAllocated);
    ips.used.add(n);
    this.reservedIPs.push(n);
  }

  allocateNextIP(): string {
    const n = this.owner.ips.next();
    if (n === undefined) throw new AllocationError(errFull);
    this.owner.ips.used.add(n);
    this.reservedIPs.push(n);
    return formatIPv4(n);
  }
}

export class ServiceAllocator {
  /** The service CIDR in canonical form, e.g. `10.96.0.0/16`. */
  readonly cidr: string;
  readonly family = IPv4;
  readonly ips: RangeSet;
  readonly ports: RangeSet;
  private readonly base: number;
  private readonly bits: number;

  constructor({ serviceCIDR = '10.96.0.0/16', nodePortRange = [30000, 32767], random = Math.random }: ServiceAllocatorOptions = {}) {
    const { base, bits } = parseCIDR(serviceCIDR);
    const total = 2 ** (32 - bits);
    if (total < 8) throw new Error('the service cluster IP range must be at least 8 IP addresses');
    this.base = base;
    this.bits = bits;
    this.cidr = `${formatIPv4(base)}/${bits}`;
    // The network and broadcast addresses are never handed out.
    this.ips = new RangeSet(base + 1, base + total - 2, rangeOffset(total, 16, 256, 16), random);
    const [lo, hi] = nodePortRange;
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo > 0 && hi >= lo && hi <= 65535)) {
      throw new Error(`invalid node port range ${lo}-${hi}`);
    }
    this.ports = new RangeSet(lo, hi, rangeOffset(hi - lo + 1, 16, 128, 32), random);
  }

  inCIDR(n: number): boolean {
    return n >= this.base && n < this.base + 2 ** (32 - this.bits);
  }

  /** Rebuilds the used sets from the stored Services (values outside the ranges are ignored). */
  load(services: KObject[]): void {
    this.ips.used.clear();
    this.ports.used.clear();
    for (const svc of services) {
      for (const n of this.clusterIPsOf(svc)) if (this.ips.contains(n)) this.ips.used.add(n);
      for (const p of this.nodePortsToFree(svc)) if (this.ports.contains(p)) this.ports.used.add(p);
    }
  }

  /** Frees everything a deleted Service held. */
  release(svc: KObject): void {
    for (const n of this.clusterIPsOf(svc)) this.ips.used.delete(n);
    for (const p of this.nodePortsToFree(svc)) this.ports.used.delete(p);
  }

  isIPAllocated(ip: string): boolean {
    const n = parseIPv4(ip);
    return n !== undefined && this.ips.used.has(n);
  }

  isPortAllocated(port: number): boolean {
    return this.ports.used.has(port);
  }

  allocate(svc: KObject, old?: KObject): Allocation {
    svc.spec ??= {};
    const txn = new Transaction(this);
    try {
      if (old) {
        old.spec ??= {};
        patchAllocatedValues(svc, old);
      }
      normalizeClusterIPs(svc, old);
      this.initIPFamilyFields(svc, old);
      if (old) {
        this.updateClusterIPs(svc, old, txn);
        this.updateNodePorts(svc, old, txn);
      } else {
        this.allocClusterIPs(svc, txn);
        if (needsNodePort(svc)) this.initNodePorts(svc, txn);
        if (needsHealthCheck(svc)) this.allocHealthCheckNodePort(svc, txn);
      }
    } catch (err) {
      txn.rollback();
      if (err instanceof AllocationError) throw StatusError.internal(err);
      throw err;
    }
    return txn;
  }

  private clusterIPsOf(svc: KObject): number[] {
    if (isExternalName(svc)) return [];
    const ips: unknown[] = Array.isArray(svc.spec?.clusterIPs)
      ? svc.spec.clusterIPs
      : svc.spec?.clusterIP
        ? [svc.spec.clusterIP]
        : [];
    if (ips[0] === 'None') return [];
    return ips.map((ip) => (typeof ip === 'string' ? parseIPv4(ip) : undefined)).filter((n): n is number => n !== undefined);
  }

  private nodePortsToFree(svc: KObject): number[] {
    const ports = nodePortsOf(svc);
    const hc = svc.spec?.healthCheckNodePort;
    if (needsHealthCheck(svc) && typeof hc === 'number' && hc > 0) ports.push(hc);
    return ports;
  }

  private invalid(svc: KObject, errs: FieldError[]): StatusError {
    return StatusError.invalid(serviceGK, svc.metadata?.name ?? '', errs);
  }

  /** Upstream's initIPFamilyFields for a single-stack cluster: defaults ipFamilyPolicy and ipFamilies. */
  private initIPFamilyFields(svc: KObject, old: KObject | undefined): void {
    const spec = svc.spec;
    if (spec.type === 'ExternalName') return;
    if (old && isMatchingPreferDualStack(svc, old)) return;

    if (spec.ipFamilyPolicy == null) {
      if (old?.spec?.ipFamilyPolicy != null) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
      else if (spec.clusterIP === 'None' && !hasSelector(svc)) spec.ipFamilyPolicy = 'RequireDualStack';
      else spec.ipFamilyPolicy = 'SingleStack';
    }

    const pre = validateClusterIPsRelatedFields(svc);
    if (pre.length) throw this.invalid(svc, pre);

    const errs: FieldError[] = [];
    const policyPath = new FieldPath('spec.ipFamilyPolicy');
    if (old) {
      if (spec.ipFamilyPolicy === 'SingleStack') {
        if (sameList(old.spec.clusterIPs, spec.clusterIPs) && spec.clusterIPs?.length > 1) spec.clusterIPs = spec.clusterIPs.slice(0, 1);
        if (sameList(old.spec.ipFamilies, spec.ipFamilies) && spec.ipFamilies?.length > 1) spec.ipFamilies = spec.ipFamilies.slice(0, 1);
      } else {
        if (spec.clusterIPs?.length && spec.clusterIPs.length < (old.spec.clusterIPs?.length ?? 0)) {
          errs.push(fieldInvalid(policyPath, spec.ipFamilyPolicy, "must be 'SingleStack' to release the secondary cluster IP"));
        }
        if (spec.ipFamilies?.length && spec.ipFamilies.length < (old.spec.ipFamilies?.length ?? 0)) {
          errs.push(fieldInvalid(policyPath, spec.ipFamilyPolicy, "must be 'SingleStack' to release the secondary IP family"));
        }
      }
    }
    if (spec.ipFamilyPolicy === 'SingleStack') {
      if (spec.clusterIPs?.length === 2) {
        errs.push(fieldInvalid(policyPath, spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
      }
      if (spec.ipFamilies?.length === 2) {
        errs.push(fieldInvalid(policyPath, spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
      }
    }
    const clusterIPs: string[] = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
    for (let i = 0; i < clusterIPs.length; i++) {
      if (clusterIPs[i] === 'None') break;
      const fam = familyOfIP(clusterIPs[i]);
      const families: string[] = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
      if (i >= families.length) {
        if (fam !== this.family) {
          errs.push(fieldInvalid(new FieldPath('spec.clusterIPs').index(i), clusterIPs, `${fam} is not configured on this cluster`));
        } else {
          spec.ipFamilies = [...families, fam];
        }
      }
    }
    if (errs.length) throw this.invalid(svc, errs);

    if (spec.clusterIP === 'None' && !hasSelector(svc)) {
      if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = [this.family];
      if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') {
        spec.ipFamilies = [...spec.ipFamilies, spec.ipFamilies[0] === IPv4 ? IPv6 : IPv4];
      }
      return;
    }

    if (spec.ipFamilyPolicy === 'RequireDualStack') {
      errs.push(fieldInvalid(policyPath, spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    }
    const families: unknown[] = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
    families.forEach((fam, i) => {
      if (fam !== this.family) errs.push(fieldInvalid(new FieldPath('spec.ipFamilies').index(i), fam, 'not configured on this cluster'));
    });
    if (errs.length) throw this.invalid(svc, errs);
    if (families.length === 0) spec.ipFamilies = [this.family];
  }

  /** Assigns the cluster IP of every family the Service asks for (one here), honouring explicit requests. */
  private allocClusterIPs(svc: KObject, txn: Transaction): void {
    const spec = svc.spec;
    if (isExternalName(svc) || isHeadless(svc)) return;
    const clusterIPs: string[] = Array.isArray(spec.clusterIPs) ? [...spec.clusterIPs] : [];
    const families: string[] = spec.ipFamilies;
    families.forEach((_fam, i) => {
      if (i >= clusterIPs.length) clusterIPs.push('');
      const requested = clusterIPs[i];
      let ip: string;
      if (requested === '') {
        try {
          ip = txn.allocateNextIP();
        } catch (err) {
          throw new AllocationError(`failed to allocate a serviceIP: ${(err as Error).message}`);
        }
      } else {
        try {
          txn.allocateIP(requested);
        } catch (err) {
          if (!(err instanceof AllocationError)) throw err;
          throw this.invalid(svc, [
            fieldInvalid('spec.clusterIPs', spec.clusterIPs ?? [requested], `failed to allocate IP ${requested}: ${err.message}`),
          ]);
        }
        ip = requested;
      }
      clusterIPs[i] = ip;
      if (i === 0) spec.clusterIP = ip;
    });
    spec.clusterIPs = clusterIPs;
  }

  /** Create path of upstream's initNodePorts: ports sharing a port number share one node port. */
  private initNodePorts(svc: KObject, txn: Transaction): void {
    const ports = portsOf(svc);
    const byServicePort = new Map<number, number>();
    ports.forEach((sp, i) => {
      const nodePort = typeof sp.nodePort === 'number' ? sp.nodePort : 0;
      if (nodePort === 0 && !shouldAllocateNodePorts(svc)) return;
      const already = byServicePort.get(sp.port) ?? 0;
      if (already === 0) {
        const requested = ports.find((p) => p.port === sp.port && typeof p.nodePort === 'number' && p.nodePort !== 0)?.nodePort ?? 0;
        if (requested !== 0) {
          this.reservePort(svc, txn, requested, i);
          sp.nodePort = requested;
          byServicePort.set(sp.port, requested);
        } else {
          sp.nodePort = this.nextPort(txn);
          byServicePort.set(sp.port, sp.nodePort);
        }
      } else if (nodePort !== already) {
        if (nodePort === 0) sp.nodePort = already;
        else this.reservePort(svc, txn, nodePort, i);
      }
    });
  }

  private reservePort(svc: KObject, txn: Transaction, port: number, index: number): void {
    try {
      txn.allocatePort(port);
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      throw this.invalid(svc, [fieldInvalid(new FieldPath('spec.ports').index(index).child('nodePort'), port, err.message)]);
    }
  }

  private nextPort(txn: Transaction): number {
    try {
      return txn.allocateNextPort();
    } catch (err) {
      throw new AllocationError(`failed to allocate a nodePort: ${(err as Error).message}`);
    }
  }

  private allocHealthCheckNodePort(svc: KObject, txn: Transaction): void {
    const requested = svc.spec.healthCheckNodePort;
    if (typeof requested === 'number' && requested !== 0) {
      try {
        txn.allocatePort(requested);
      } catch (err) {
        throw new AllocationError(`failed to allocate requested HealthCheck NodePort ${requested}: ${(err as Error).message}`);
      }
    } else {
      try {
        svc.spec.healthCheckNodePort = txn.allocateNextPort();
      } catch (err) {
        throw new AllocationError(`failed to allocate a HealthCheck NodePort 0: ${(err as Error).message}`);
      }
    }
  }

  /** Update path: ExternalName → IP type allocates, IP type → ExternalName frees on commit. */
  private updateClusterIPs(svc: KObject, old: KObject, txn: Transaction): void {
    if (isMatchingPreferDualStack(svc, old)) return;
    if (isExternalName(old) && !isExternalName(svc)) {
      this.allocClusterIPs(svc, txn);
      return;
    }
    if (isHeadless(old)) return;
    if (!isExternalName(old) && isExternalName(svc)) txn.deferredIPs.push(...this.clusterIPsOf(old));
  }

  private updateNodePorts(svc: KObject, old: KObject, txn: Transaction): void {
    if (needsNodePort(old) && (svc.spec.type === 'ExternalName' || svc.spec.type === 'ClusterIP')) {
      txn.deferredPorts.push(...nodePortsOf(old));
    }
    if (needsNodePort(svc)) {
      const oldNumbers = nodePortsOf(old);
      const allocatedHere = new Set<number>();
      const seen = new Set<string>();
      portsOf(svc).forEach((sp, i) => {
        const nodePort = typeof sp.nodePort === 'number' ? sp.nodePort : 0;
        if (nodePort === 0 && !shouldAllocateNodePorts(svc)) return;
        if (nodePort !== 0) {
          if (!oldNumbers.includes(nodePort) && !allocatedHere.has(nodePort)) {
            this.reservePort(svc, txn, nodePort, i);
            allocatedHere.add(nodePort);
          }
        } else {
          sp.nodePort = this.nextPort(txn);
        }
        const key = `${sp.protocol ?? 'TCP'}/${sp.nodePort}`;
        if (seen.has(key)) throw new AllocationError(`duplicate nodePort: {${sp.protocol ?? 'TCP'} ${sp.nodePort}}`);
        seen.add(key);
      });
      const newNumbers = nodePortsOf(svc);
      for (const p of oldNumbers) if (!newNumbers.includes(p)) txn.deferredPorts.push(p);
    }
    const needed = needsHealthCheck(old);
    const needs = needsHealthCheck(svc);
    if (!needed && needs) this.allocHealthCheckNodePort(svc, txn);
    else if (needed && !needs && typeof old.spec.healthCheckNodePort === 'number') txn.deferredPorts.push(old.spec.healthCheckNodePort);
  }
}

/** PreferDualStack services keep their fields untouched when nothing relevant changed (upstream rule). */
function isMatchingPreferDualStack(svc: KObject, old: KObject): boolean {
  const s = svc.spec;
  const o = old.spec;
  if (s.ipFamilyPolicy == null || o.type !== s.type) return false;
  if (!['ClusterIP', 'NodePort', 'LoadBalancer'].includes(s.type)) return false;
  if (s.ipFamilyPolicy !== 'PreferDualStack' || (o.ipFamilyPolicy != null && o.ipFamilyPolicy !== 'PreferDualStack')) return false;
  return sameList(o.clusterIPs, s.clusterIPs) && sameList(o.ipFamilies, s.ipFamilies);
}

/**
 * Keeps values the server allocated when a client resubmits its original manifest (upstream
 * patchAllocatedValues): cluster IPs, node ports matched by port name, the health-check node port.
 */
export function patchAllocatedValues(svc: KObject, old: KObject): void {
  const s = (svc.spec ??= {});
  const o = old.spec ?? {};
  if (!isExternalName(old) && !isExternalName(svc)) {
    if (!s.clusterIP && o.clusterIP) s.clusterIP = o.clusterIP;
    if ((!Array.isArray(s.clusterIPs) || s.clusterIPs.length === 0) && Array.isArray(o.clusterIPs) && o.clusterIPs.length > 0) {
      s.clusterIPs = [...o.clusterIPs];
    }
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const newUsed = new Set(nodePortsOf(svc));
    const used = new Set(nodePortsOf(old).filter((p) => newUsed.has(p)));
    const byName = new Map<string, number>();
    for (const p of portsOf(old)) byName.set(p?.name ?? '', typeof p?.nodePort === 'number' ? p.nodePort : 0);
    for (const p of portsOf(svc)) {
      if (!p || (typeof p.nodePort === 'number' && p.nodePort !== 0)) continue;
      const oldVal = byName.get(p.name ?? '') ?? 0;
      if (!used.has(oldVal) && oldVal !== 0) p.nodePort = oldVal;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !s.healthCheckNodePort && o.healthCheckNodePort) {
    s.healthCheckNodePort = o.healthCheckNodePort;
  }
}

/** Keeps clusterIP and clusterIPs in step for clients that only send one of them (upstream normalizeClusterIPs). */
export function normalizeClusterIPs(svc: KObject, old?: KObject): void {
  const s = (svc.spec ??= {});
  const clusterIP: string = s.clusterIP ?? '';
  const clusterIPs: string[] = Array.isArray(s.clusterIPs) ? s.clusterIPs : [];
  if (!old) {
    if (clusterIP && clusterIPs.length === 0) s.clusterIPs = [clusterIP];
    return;
  }
  const o = old.spec ?? {};
  const oldIP: string = o.clusterIP ?? '';
  const oldIPs: string[] = Array.isArray(o.clusterIPs) ? o.clusterIPs : [];
  if (oldIPs.length > 0 && clusterIPs.length === 0 && oldIP === clusterIP) s.clusterIPs = [...oldIPs];
  if (oldIP !== clusterIP) {
    const same = sameList(oldIPs, s.clusterIPs);
    if (oldIP && !clusterIP) {
      if (same) delete s.clusterIPs;
    } else if (same) {
      s.clusterIPs = [clusterIP];
    }
  }
}
