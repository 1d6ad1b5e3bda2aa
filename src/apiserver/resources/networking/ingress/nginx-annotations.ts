// dabba's hints for ingress-nginx annotations that do not exist, so typos and folklore do not fail silently.
import type { KObject } from '../../../registry/kobject.ts';

export const nginxPrefix = 'nginx.ingress.kubernetes.io/';

/**
 * Every annotation ingress-nginx reads (docs/user-guide/nginx-configuration/annotations-risk.md at
 * kubernetes/ingress-nginx dbb11b92, plus the still-parsed aliases whitelist-source-range and limit-whitelist).
 */
const known = new Set(
  `affinity affinity-canary-behavior affinity-mode allowlist-source-range app-root auth-always-set-cookie
  auth-cache-duration auth-cache-key auth-keepalive auth-keepalive-requests auth-keepalive-share-vars
  auth-keepalive-timeout auth-method auth-proxy-set-headers auth-realm auth-request-redirect auth-response-headers
  auth-secret auth-secret-type auth-signin auth-signin-redirect-param auth-snippet auth-tls-error-page auth-tls-match-cn
  auth-tls-pass-certificate-to-upstream auth-tls-secret auth-tls-verify-client auth-tls-verify-depth auth-type auth-url
  backend-protocol canary canary-by-cookie canary-by-header canary-by-header-pattern canary-by-header-value canary-weight
  canary-weight-total client-body-buffer-size configuration-snippet connection-proxy-header cors-allow-credentials
  cors-allow-headers cors-allow-methods cors-allow-origin cors-expose-headers cors-max-age custom-headers
  custom-http-errors default-backend denylist-source-range disable-proxy-intercept-errors enable-access-log enable-cors
  enable-global-auth enable-modsecurity enable-opentelemetry enable-owasp-core-rules enable-rewrite-log fastcgi-index
  fastcgi-params-configmap force-ssl-redirect from-to-www-redirect http2-push-preload limit-allowlist
  limit-burst-multiplier limit-connections limit-rate limit-rate-after limit-rpm limit-rps limit-whitelist load-balance
  mirror-host mirror-request-body mirror-target modsecurity-snippet modsecurity-transaction-id
  opentelemetry-operation-name opentelemetry-trust-incoming-span permanent-redirect permanent-redirect-code
  preserve-trailing-slash proxy-body-size proxy-buffer-size proxy-buffering proxy-buffers-number
  proxy-busy-buffers-size proxy-connect-timeout proxy-cookie-domain proxy-cookie-path proxy-http-version
  proxy-max-temp-file-size proxy-next-upstream proxy-next-upstream-timeout proxy-next-upstream-tries proxy-read-timeout
  proxy-redirect-from proxy-redirect-to proxy-request-buffering proxy-send-timeout proxy-ssl-ciphers proxy-ssl-name
  proxy-ssl-protocols proxy-ssl-secret proxy-ssl-server-name proxy-ssl-verify proxy-ssl-verify-depth relative-redirects
  rewrite-target satisfy server-alias server-snippet service-upstream session-cookie-change-on-failure
  session-cookie-conditional-samesite-none session-cookie-domain session-cookie-expires session-cookie-max-age
  session-cookie-name session-cookie-path session-cookie-samesite session-cookie-secure ssl-ciphers ssl-passthrough
  ssl-prefer-server-ciphers ssl-redirect stream-snippet temporal-redirect temporal-redirect-code upstream-hash-by
  upstream-hash-by-subset upstream-hash-by-subset-size upstream-vhost use-port-in-redirects use-regex
  whitelist-source-range x-forwarded-prefix`.split(/\s+/),
);

const rateLimitHint = `for rate limiting use ${nginxPrefix}limit-rps, ${nginxPrefix}limit-rpm or ${nginxPrefix}limit-connections`;

/** Names people write that ingress-nginx never had, or removed, with what to use instead. */
const replacements: Record<string, string> = {
  'rate-limit': rateLimitHint,
  'rate-limit-window': rateLimitHint,
  'rate-limit-rps': rateLimitHint,
  'rate-limit-rpm': rateLimitHint,
  'rate-limiting': rateLimitHint,
  'global-rate-limit': `it was removed in ingress-nginx v1.12; ${rateLimitHint}`,
  'global-rate-limit-window': `it was removed in ingress-nginx v1.12; ${rateLimitHint}`,
  'global-rate-limit-key': `it was removed in ingress-nginx v1.12; ${rateLimitHint}`,
  'global-rate-limit-ignored-cidrs': `it was removed in ingress-nginx v1.12; ${rateLimitHint}`,
  'secure-backends': `it was removed; use ${nginxPrefix}backend-protocol: "HTTPS"`,
  'grpc-backend': `it was removed; use ${nginxPrefix}backend-protocol: "GRPC"`,
  'enable-opentracing': `it was removed; use ${nginxPrefix}enable-opentelemetry`,
  'opentracing-trust-incoming-span': `it was removed; use ${nginxPrefix}opentelemetry-trust-incoming-span`,
};

/** Edit distance, to suggest the annotation a typo was meant to be. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** One hint per ingress-nginx annotation that ingress-nginx does not read. */
export function nginxAnnotationHints(ing: KObject): string[] {
  const hints: string[] = [];
  for (const key of Object.keys(ing.metadata?.annotations ?? {}).sort()) {
    if (!key.startsWith(nginxPrefix)) continue;
    const name = key.slice(nginxPrefix.length);
    if (known.has(name)) continue;
    let hint = `annotation ${JSON.stringify(key)} is not an ingress-nginx annotation and has no effect`;
    const replacement = replacements[name];
    if (replacement) {
      hint += `; ${replacement}`;
    } else {
      const near = [...known].map((k) => [k, distance(name, k)] as const).filter(([, d]) => d <= 2).sort((x, y) => x[1] - y[1])[0];
      if (near) hint += `; did you mean ${JSON.stringify(nginxPrefix + near[0])}?`;
    }
    hints.push(hint);
  }
  return hints;
}
