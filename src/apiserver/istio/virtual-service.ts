// istiod's validation of a VirtualService: hosts, gateways, HTTP/TLS/TCP routes, exportTo, unreachable rules.
import { appendErrors, appendValidation, appendWarning, goQuote as q, type ConfigError, type Validation } from './config-errors.ts';
import { validateDuration } from './durations.ts';
import { validateExportTo } from './export-to.ts';
import {
  hostMatches,
  hostSubsetOf,
  isValidIPAddress,
  validateIPSubnet,
  validateWildcardDomain,
  validateWildcardDomainForVirtualServiceBoundToGateway,
} from './hosts.ts';
import {
  isJwtClaimRoute,
  list,
  present,
  validateAuthorityRewrite,
  validateCORSPolicy,
  validateDestination,
  validateGatewayNames,
  validateHeaderOperations,
  validateHTTPDirectResponse,
  validateHTTPFaultInjection,
  validateHTTPMirrors,
  validateHTTPRedirect,
  validateHTTPRetry,
  validateHTTPRewrite,
  validateHTTPRouteDestinations,
  validateHTTPRouteMatchRequest,
  validateRouteDestinations,
} from './http-rules.ts';
import { validateLabels } from './labels.ts';
import { validatePort } from './ports.ts';
import type { IstioConfig } from './istio-config.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- specs are untyped JSON read defensively */

const meshGateway = 'mesh';
const routeSemanticsAnnotation = 'internal.istio.io/route-semantics';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

type RouteType = 'independent' | 'root' | 'delegate';

function validateHTTPRouteConflict(http: any, routeType: RouteType): ConfigError | undefined {
  let errs: ConfigError | undefined;
  if (routeType === 'root') {
    // A root route may only delegate.
    if (present(http.redirect)) errs = appendErrors(errs, `root HTTP route ${str(http.name)} must not specify redirect`);
    if (present(http.route)) errs = appendErrors(errs, `root HTTP route ${str(http.name)} must not specify route`);
    return errs;
  }
  if (routeType === 'delegate' && present(http.delegate)) errs = appendErrors(errs, 'delegate HTTP route cannot contain delegate');
  const routes = list(http.route);
  if (present(http.redirect)) {
    if (routes.length > 0) errs = appendErrors(errs, 'HTTP route cannot contain both route and redirect');
    if (present(http.fault)) errs = appendErrors(errs, 'HTTP route cannot contain both fault and redirect');
    if (present(http.rewrite)) errs = appendErrors(errs, 'HTTP route rule cannot contain both rewrite and redirect');
    if (present(http.directResponse)) errs = appendErrors(errs, 'HTTP route rule cannot contain both direct_response and redirect');
  } else if (present(http.directResponse)) {
    if (routes.length > 0) errs = appendErrors(errs, 'HTTP route cannot contain both route and direct_response');
    if (present(http.fault)) errs = appendErrors(errs, 'HTTP route cannot contain both fault and direct_response');
    if (present(http.rewrite)) errs = appendErrors(errs, 'HTTP route rule cannot contain both rewrite and direct_response');
  } else if (routes.length === 0) {
    errs = appendErrors(errs, 'HTTP route, redirect or direct_response is required');
  }
  if (present(http.mirror) && list(http.mirrors).length > 0) errs = appendErrors(errs, 'HTTP route cannot contain both mirror and mirrors');
  return errs;
}

/** Go's %f: six decimals. */
const fixed6 = (v: number) => v.toFixed(6);

function validateHTTPRoute(http: any, delegate: boolean, gatewaySemantics: boolean): Validation {
  const routeType: RouteType = delegate ? 'delegate' : present(http.delegate) ? 'root' : 'independent';
  let v: Validation = { err: validateHTTPRouteConflict(http, routeType) };
  v = appendValidation(v, validateHTTPRouteMatchRequest(http));
  v = appendValidation(v, validateHeaderOperations(http.headers, undefined));
  v = appendValidation(v, validateCORSPolicy(http.corsPolicy));
  v = appendValidation(v, validateHTTPFaultInjection(http.fault));
  if (present(http.mirrorPercent)) {
    const value = num(http.mirrorPercent);
    if (value > 100) v = appendValidation(v, `mirror_percent must have a max value of 100 (it has ${value})`);
    v = appendWarning(v, 'using deprecated setting "mirrorPercent", use "mirrorPercentage" instead');
  }
  if (present(http.mirrorPercentage)) {
    const value = num(http.mirrorPercentage.value);
    if (value > 100) v = appendValidation(v, `mirror_percentage must have a max value of 100 (it has ${fixed6(value)})`);
    if (value < 0) v = appendValidation(v, `mirror_percentage must have a min value of 0 (it has ${fixed6(value)})`);
  }
  v = appendValidation(v, validateDestination(http.mirror));
  v = appendValidation(v, validateHTTPMirrors(http.mirrors));
  v = appendValidation(v, validateHTTPRedirect(http.redirect, list(http.match)));
  v = appendValidation(v, validateHTTPDirectResponse(http.directResponse));
  v = appendValidation(v, validateHTTPRetry(http.retries));
  v = appendValidation(v, validateHTTPRewrite(http.rewrite));
  v = appendValidation(v, validateAuthorityRewrite(http.rewrite, http.headers));
  v = appendValidation(v, validateHTTPRouteDestinations(http.route, gatewaySemantics));
  if (present(http.timeout)) v = appendValidation(v, validateDuration(http.timeout));
  return v;
}

const isSniHost = (vs: any) => list(vs.tls).some((t) => list(t.match).some((m) => list(m.sniHosts).length > 0));

/** Bound to gateways only (not to sidecars): `gateways` does not list `mesh`. */
const isGateway = (vs: any) => !list(vs.gateways).includes(meshGateway);

function validateSniHost(sniHost: string, vs: any): Validation {
  const err = isGateway(vs) ? validateWildcardDomainForVirtualServiceBoundToGateway(true, sniHost) : validateWildcardDomain(sniHost);
  if (err) {
    if (isValidIPAddress(sniHost)) return { warn: `using an IP address (${q(sniHost)}) goes against SNI spec and most clients do not support this` };
    return { err };
  }
  for (const h of list(vs.hosts)) if (hostSubsetOf(sniHost, str(h))) return {};
  return { err: `SNI host ${q(sniHost)} is not a compatible subset of any of the virtual service hosts: [${list(vs.hosts).map(str).join(', ')}]` };
}

function validateTLSMatch(match: any, vs: any): Validation {
  let v: Validation = {};
  const sniHosts = list(match.sniHosts);
  if (sniHosts.length === 0) v = appendValidation(v, 'TLS match must have at least one SNI host');
  for (const h of sniHosts) v = appendValidation(v, validateSniHost(str(h), vs));
  for (const subnet of list(match.destinationSubnets)) v = appendValidation(v, validateIPSubnet(str(subnet)));
  if (num(match.port) !== 0) v = appendValidation(v, validatePort(num(match.port)));
  v = appendValidation(v, validateLabels(match.sourceLabels));
  return appendValidation(v, validateGatewayNames(match.gateways, false));
}

function validateTLSRoute(tls: any, vs: any, gatewaySemantics: boolean): Validation {
  let v: Validation = {};
  const matches = list(tls.match);
  if (matches.length === 0) v = appendValidation(v, 'TLS route must have at least one match condition');
  for (const m of matches) v = appendValidation(v, validateTLSMatch(m, vs));
  if (list(tls.route).length === 0) v = appendValidation(v, 'TLS route is required');
  return appendValidation(v, validateRouteDestinations(tls.route, gatewaySemantics));
}

function validateTCPMatch(match: any): ConfigError | undefined {
  let errs: ConfigError | undefined;
  for (const subnet of list(match.destinationSubnets)) errs = appendErrors(errs, validateIPSubnet(str(subnet)));
  if (num(match.port) !== 0) errs = appendErrors(errs, validatePort(num(match.port)));
  return appendErrors(errs, validateLabels(match.sourceLabels), validateGatewayNames(match.gateways, false));
}

function validateTCPRoute(tcp: any, gatewaySemantics: boolean): ConfigError | undefined {
  let errs: ConfigError | undefined;
  for (const m of list(tcp.match)) errs = appendErrors(errs, validateTCPMatch(m));
  if (list(tcp.route).length === 0) errs = appendErrors(errs, 'TCP route is required');
  return appendErrors(errs, validateRouteDestinations(tcp.route, gatewaySemantics));
}

// --- unreachable and ineffective rules (warnings) ----------------------------------------------------------------

/** A canonical form of a match for equality: keys sorted, `name` left out, Go's omitempty for scalars. */
function canonical(v: unknown, top = true): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x, false)).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v)
      .filter((k) => !(top && k === 'name'))
      .filter((k) => {
        const x = (v as Record<string, unknown>)[k];
        return !(x === null || x === undefined || x === false || x === 0 || (Array.isArray(x) && x.length === 0));
      })
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k], false)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const routeName = (route: any, n: number) => (str(route.name) !== '' ? q(str(route.name)) : `#${n}`);
const requestName = (match: any, n: number) => (str(match?.name) !== '' ? q(str(match.name)) : `#${n}`);

interface PrefixMatch {
  route: string;
  match: string;
  prefix: string;
  port: number;
  method: string;
  authority: string;
  headers: Map<string, string>;
  queryParams: Map<string, string>;
  withoutHeaders: Map<string, string>;
}

const exactOrPrefix = (sm: any) => (str(sm?.exact) !== '' ? `exact:${sm.exact}` : str(sm?.prefix) !== '' ? `prefix:${sm.prefix}` : '');

function prefixMatchOf(route: any, match: any, rulen: number, matchn: number): PrefixMatch | undefined {
  const prefix = str(match.uri?.prefix);
  if (match.uri == null || prefix === '') return undefined;
  const byName = (m: unknown) => new Map(Object.entries((m ?? {}) as Record<string, unknown>).map(([k, sm]) => [k, exactOrPrefix(sm)]));
  return {
    route: routeName(route, rulen),
    match: requestName(match, matchn),
    prefix,
    port: num(match.port),
    // No method means GET, for this comparison.
    method: exactOrPrefix(match.method) || 'exact:GET',
    authority: exactOrPrefix(match.authority),
    headers: byName(match.headers),
    queryParams: byName(match.queryParams),
    withoutHeaders: byName(match.withoutHeaders),
  };
}

function mapCovers(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, va] of a) {
    const vb = b.get(k);
    if (vb === undefined || (va !== vb && !va.startsWith(vb))) return false;
  }
  return true;
}

/** Whether the earlier prefix match `a` takes every request the later `b` would. */
function covers(a: PrefixMatch, b: PrefixMatch): boolean {
  if (!b.prefix.startsWith(a.prefix) || b.port !== a.port) return false;
  if (a.method !== b.method && !a.method.startsWith(b.method)) return false;
  if (a.authority !== b.authority && !a.authority.startsWith(b.authority)) return false;
  return mapCovers(a.headers, b.headers) && mapCovers(a.queryParams, b.queryParams) && mapCovers(a.withoutHeaders, b.withoutHeaders);
}

function analyzeUnreachableRules(routes: any[], http: boolean, warn: (msg: string) => void): void {
  const unused = (rule: string, reason: string) => warn(`virtualService rule ${rule} not used (${reason})`);
  const ineffective = (rule: string, match: string, dup: string) =>
    warn(`virtualService rule ${rule} match ${match} is not used (duplicate/overlapping match in rule ${dup})`);
  const seen = new Map<string, number>();
  let emptyMatchAt = -1;
  const prefixes: PrefixMatch[] = [];
  routes.forEach((route, rulen) => {
    const matches = list(route.match);
    const name = http ? routeName(route, rulen) : `#${rulen}`;
    if (matches.length === 0) {
      if (emptyMatchAt >= 0) unused(name, 'only the last rule can have no matches');
      emptyMatchAt = rulen;
      return;
    }
    let duplicates = 0;
    matches.forEach((match, matchn) => {
      if (emptyMatchAt >= 0) {
        unused(name, 'route without matches defined before');
        return;
      }
      const key = canonical(match);
      const dup = seen.get(key);
      if (dup !== undefined) {
        ineffective(name, http ? requestName(match, matchn) : `#${matchn}`, http ? routeName(routes[dup], dup) : `#${dup}`);
        duplicates++;
        return;
      }
      seen.set(key, rulen);
      if (http) {
        const p = prefixMatchOf(route, match, rulen, matchn);
        if (p) prefixes.push(p);
      }
    });
    if (duplicates === matches.length) unused(name, 'all matches used by prior rules');
  });
  for (let i = 0; i < prefixes.length; i++) {
    for (let j = i + 1; j < prefixes.length; j++) {
      if (prefixes[j].prefix === prefixes[i].prefix) continue;
      if (covers(prefixes[i], prefixes[j])) {
        ineffective(
          prefixes[j].route,
          `${prefixes[j].match} of prefix ${prefixes[j].prefix}`,
          `${prefixes[i].match} of prefix ${prefixes[i].prefix} on ${prefixes[i].route}`,
        );
      }
    }
  }
}

/** Go's %v of a []string: `[a b]`. */
const goList = (xs: string[]) => `[${xs.join(' ')}]`;

export function validateVirtualService(cfg: IstioConfig): Validation {
  const vs = cfg.spec;
  let v: Validation = {};
  const hosts = list(vs.hosts).map(str);
  const gateways = list(vs.gateways).map(str);
  if (hosts.length === 0) {
    // Without hosts this is a delegate VirtualService.
    if (gateways.length !== 0) v = appendValidation(v, 'delegate virtual service must have no gateways specified');
    if (list(vs.tls).length !== 0) v = appendValidation(v, 'delegate virtual service must have no tls route specified');
    if (list(vs.tcp).length !== 0) v = appendValidation(v, 'delegate virtual service must have no tcp route specified');
  }
  const gatewaySemantics = cfg.annotations[routeSemanticsAnnotation] === 'gateway';
  let appliesToMesh = false;
  let appliesToGateway = false;
  if (gateways.length === 0) {
    appliesToMesh = true;
  } else {
    v = appendValidation(v, validateGatewayNames(gateways, gatewaySemantics));
    appliesToGateway = isGateway(vs);
    appliesToMesh = !appliesToGateway;
  }
  if (!appliesToGateway) {
    for (const http of list(vs.http)) {
      for (const m of list(http.match)) {
        for (const headers of [m.headers, m.withoutHeaders]) {
          for (const key of Object.keys(headers ?? {})) {
            if (isJwtClaimRoute(key)) {
              v = appendValidation(v, `JWT claim based routing (key: ${key}) is only supported for gateway, found no gateways: ${goList(gateways)}`);
            }
          }
        }
      }
    }
  }
  let allHostsValid = true;
  for (const host of hosts) {
    const err = appliesToGateway ? validateWildcardDomainForVirtualServiceBoundToGateway(isSniHost(vs), host) : validateWildcardDomain(host);
    if (err) {
      if (!isValidIPAddress(host)) {
        v = appendValidation(v, err);
        allHostsValid = false;
      }
    } else if (appliesToMesh && host === '*') {
      v = appendValidation(v, 'wildcard host * is not allowed for virtual services bound to the mesh gateway');
      allHostsValid = false;
    }
  }
  if (allHostsValid) {
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        if (hostMatches(hosts[i], hosts[j])) v = appendValidation(v, `duplicate hosts in virtual service: ${hosts[i]} & ${hosts[j]}`);
      }
    }
  }
  const http = list(vs.http);
  const tls = list(vs.tls);
  const tcp = list(vs.tcp);
  if (http.length === 0 && tcp.length === 0 && tls.length === 0) v = appendValidation(v, 'http, tcp or tls must be provided in virtual service');
  for (const route of http) v = appendValidation(v, validateHTTPRoute(route, hosts.length === 0, gatewaySemantics));
  for (const route of tls) v = appendValidation(v, validateTLSRoute(route, vs, gatewaySemantics));
  for (const route of tcp) v = appendValidation(v, validateTCPRoute(route, gatewaySemantics));
  v = appendValidation(v, validateExportTo(cfg.namespace, list(vs.exportTo).map(str), false, false));
  const warn = (msg: string) => (v = appendWarning(v, msg));
  analyzeUnreachableRules(http, true, warn);
  analyzeUnreachableRules(tcp, false, warn);
  analyzeUnreachableRules(tls, false, warn);
  return v;
}

