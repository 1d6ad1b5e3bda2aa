// Identity for the API server: RBAC kinds and authorizer, service account tokens, and the access and token reviews.
import { StatusError } from '../../machinery/status-error.ts';
import type { ApiExtension, ApiServerContext } from '../extension.ts';
import type { KObject } from '../registry/kobject.ts';
import type { Registry } from '../registry/registry.ts';
import { systemContext } from '../registry/request-context.ts';
import { rbacResources } from '../resources/rbac/index.ts';
import { authorizationResources } from '../resources/authorization/index.ts';
import { authenticationResources } from '../resources/authentication/index.ts';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, rbacGroup } from '../rbac/bootstrap-policy.ts';
import { ClusterRoleAggregator } from '../rbac/clusterrole-aggregation.ts';
import { RbacAuthorizer } from '../rbac/rbac-authorizer.ts';
import { RbacCache } from '../rbac/rbac-cache.ts';
import { escalationAdmission } from '../rbac/escalation.ts';
import { reconcileClusterRole, reconcileClusterRoleBinding, reconcileInto } from '../rbac/reconciliation.ts';
import { RuleResolver } from '../rbac/rule-resolver.ts';
import { serviceAccountAdmission } from './service-account-admission.ts';
import type { BoundObjectGetter } from './service-account-token.ts';
import { ensureSigningKey, type SigningKey } from './signing-key.ts';
import { ServiceAccountTokenAuthenticator } from './token-authenticator.ts';
import { tokenRequestHandler } from './token-request.ts';
import { WebSocketTokenAuthenticator } from './websocket-token-authenticator.ts';

/** Reads bound objects straight from the stores. */
function storeGetter(registry: Registry): BoundObjectGetter {
  const get = async (resource: string, namespace: string | undefined, name: string): Promise<KObject | undefined> => {
    try {
      return await registry.store('', resource)!.get(namespace, name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  };
  return {
    serviceAccount: (ns, name) => get('serviceaccounts', ns, name),
    secret: (ns, name) => get('secrets', ns, name),
    pod: (ns, name) => get('pods', ns, name),
    node: (name) => get('nodes', undefined, name),
  };
}

/** The default roles and bindings, reconciled in union mode (what users added to them stays). */
async function bootstrapPolicy(registry: Registry): Promise<void> {
  const ctx = { ...systemContext(), fieldManager: 'kube-apiserver' };
  const roles = registry.store(rbacGroup, 'clusterroles')!;
  for (const role of bootstrapClusterRoles()) await reconcileInto(roles, role, reconcileClusterRole, ctx);
  const bindings = registry.store(rbacGroup, 'clusterrolebindings')!;
  for (const b of bootstrapClusterRoleBindings()) await reconcileInto(bindings, b, reconcileClusterRoleBinding, ctx);
}

/** `signingKeyReady`: sa.key already being read or made (by `dabba up`, while modules load); else read or made here. */
export function identityExtension(signingKeyReady?: Promise<SigningKey>): ApiExtension {
  return {
    name: 'identity',
    install(ctx: ApiServerContext): void {
      const { registry } = ctx;
      // Made in the background on first start; needed only once the port is open.
      const keyReady = signingKeyReady ?? ensureSigningKey(ctx.dataDir);
      keyReady.catch(() => {});
      let key: SigningKey | undefined;
      const signingKey = () => {
        if (!key) throw new Error('service account signing key is not loaded yet');
        return key;
      };
      const audiences = () => [ctx.issuerUrl()];

      for (const def of rbacResources()) registry.add(def);
      const cache = new RbacCache();
      const resolver = new RuleResolver(cache);
      const authorizer = new RbacAuthorizer(resolver);
      ctx.setAuthorizer(authorizer);
      ctx.addAdmission(escalationAdmission(authorizer, resolver));
      const getter = storeGetter(registry);
      ctx.addAdmission(serviceAccountAdmission({ getServiceAccount: (ns, name) => getter.serviceAccount(ns, name) }));

      const tokens = new ServiceAccountTokenAuthenticator({ key: signingKey, issuer: ctx.issuerUrl, audiences, getter });
      ctx.addAuthenticator(tokens);
      ctx.addAuthenticator(new WebSocketTokenAuthenticator(tokens));

      for (const def of authorizationResources(authorizer)) registry.add(def);
      for (const def of authenticationResources({ authenticateToken: (t, a) => tokens.authenticateToken(t, a), audiences })) registry.add(def);

      const serviceAccounts = registry.store('', 'serviceaccounts')!.def;
      registry.add({
        ...serviceAccounts,
        subresourceHandlers: {
          ...(serviceAccounts.subresourceHandlers ?? {}),
          token: tokenRequestHandler({ registry, key: signingKey, issuer: ctx.issuerUrl, audiences }),
        },
      });

      const aggregator = new ClusterRoleAggregator(cache, registry.store(rbacGroup, 'clusterroles')!, systemContext, ctx.log);
      ctx.onStart(async () => {
        key = await keyReady;
        await cache.start(registry, ctx.log);
        await bootstrapPolicy(registry);
        cache.onChange((kind) => {
          if (kind === 'clusterroles') void aggregator.enqueue();
        });
        await aggregator.enqueue();
      });
      ctx.onStop(async () => {
        aggregator.stop();
        cache.stop();
      });
    },
  };
}
