// May this user do this? Request attributes as upstream's authorizer.Attributes, and the decision.
import type { UserInfo } from '../registry/request-context.ts';

export interface RequestAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection, impersonate, … (lowercase HTTP verb for non-resource paths). */
  verb: string;
  resourceRequest: boolean;
  /** For non-resource requests. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export interface Decision {
  allowed: boolean;
  /** Why (shown after the 403 text), may be empty. */
  reason: string;
}

export interface Authorizer {
  authorize(a: RequestAttributes): Promise<Decision>;
}

/** Members of system:masters may do anything, as upstream's privileged group authorizer. */
export const mastersAuthorizer: Authorizer = {
  authorize: async (a) => ({ allowed: a.user.groups.includes('system:masters'), reason: '' }),
};
