// SelfSubjectRulesReview (`kubectl auth can-i --list`): every rule that applies to me in a namespace.
import { StatusError } from '../../../../machinery/status-error.ts';
import type { ResourceDefinition } from '../../../registry/resource.ts';
import { reviewDefinition, type AccessReviewer } from '../access-review.ts';

const nonEmpty = (k: string, v: string[]) => (v.length ? { [k]: v } : {});

export function selfSubjectRulesReview(authz: AccessReviewer): ResourceDefinition {
  return reviewDefinition('SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, async (obj, ctx) => {
    const namespace = typeof obj.spec?.namespace === 'string' ? obj.spec.namespace : '';
    if (!namespace) throw StatusError.badRequest('no namespace on request');
    const rules = authz.rulesFor(ctx.user, namespace);
    const status: Record<string, unknown> = {
      resourceRules: rules.resourceRules.map((r) => ({
        verbs: r.verbs,
        ...nonEmpty('apiGroups', r.apiGroups),
        ...nonEmpty('resources', r.resources),
        ...nonEmpty('resourceNames', r.resourceNames),
      })),
      nonResourceRules: rules.nonResourceRules.map((r) => ({ verbs: r.verbs, ...nonEmpty('nonResourceURLs', r.nonResourceURLs) })),
      incomplete: rules.incomplete,
    };
    if (rules.evaluationError) status.evaluationError = rules.evaluationError;
    return { metadata: { creationTimestamp: null }, spec: {}, status };
  });
}
