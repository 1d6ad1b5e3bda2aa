// The API server's authorizer: system:masters may do anything, everyone else what their RBAC bindings grant.
import type { Authorizer, Decision, RequestAttributes } from '../auth/authorizer.ts';
import type { UserInfo } from '../registry/request-context.ts';
import { ruleAllows, type PolicyRule } from './policy-rule.ts';
import { aggregateMessage, type RuleResolver } from './rule-resolver.ts';

export const privilegedGroup = 'system:masters';

export interface ResourceRuleInfo {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
}

export interface NonResourceRuleInfo {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface RulesReview {
  resourceRules: ResourceRuleInfo[];
  nonResourceRules: NonResourceRuleInfo[];
  incomplete: boolean;
  evaluationError?: string;
}

export class RbacAuthorizer implements Authorizer {
  readonly #resolver: RuleResolver;

  constructor(resolver: RuleResolver) {
    this.#resolver = resolver;
  }

  /** The privileged-group authorizer, then RBAC (as kube-apiserver's union; no opinion means denied). */
  async authorize(a: RequestAttributes): Promise<Decision> {
    return this.decide(a);
  }

  decide(a: RequestAttributes): Decision {
    if (a.user.groups.includes(privilegedGroup)) return { allowed: true, reason: '' };
    let allowedBy: string | undefined;
    const errors: Error[] = [];
    this.#resolver.visitRulesFor(a.user, a.namespace, (source, rule, err) => {
      if (rule && ruleAllows(a, rule)) {
        allowedBy = source;
        return false;
      }
      if (err) errors.push(err);
      return true;
    });
    if (allowedBy !== undefined) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}` };
    return { allowed: false, reason: errors.length ? `RBAC: ${aggregateMessage(errors)}` : '' };
  }

  /** RulesFor, as a SelfSubjectRulesReview reports it. */
  rulesFor(user: UserInfo, namespace: string): RulesReview {
    const { rules, errors } = this.#resolver.rulesFor(user, namespace);
    const review: RulesReview = { resourceRules: [], nonResourceRules: [], incomplete: false };
    for (const r of rules) addRuleInfo(review, r);
    if (errors.length) review.evaluationError = aggregateMessage(errors);
    return review;
  }
}

function addRuleInfo(review: RulesReview, r: PolicyRule): void {
  if ((r.resources ?? []).length > 0) {
    review.resourceRules.push({
      verbs: r.verbs ?? [],
      apiGroups: r.apiGroups ?? [],
      resources: r.resources ?? [],
      resourceNames: r.resourceNames ?? [],
    });
  }
  if ((r.nonResourceURLs ?? []).length > 0) {
    review.nonResourceRules.push({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs ?? [] });
  }
}
