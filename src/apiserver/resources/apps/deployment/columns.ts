// Table columns for apps/v1 Deployments: ready, up-to-date and available replicas, and (wide) the pod template and selector.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import {
  ageColumn,
  column,
  containerCells,
  InvalidSelectorError,
  nameColumn,
  selectorString,
  type LabelSelector,
} from '../../../registry/table-cells.ts';

/** Unlike most kinds, upstream prints a deployment's selector bare: empty rather than `<none>`, `<invalid>` rather than `<error>`. */
function deploymentSelector(selector: LabelSelector | null | undefined): string {
  try {
    return selectorString(selector);
  } catch (err) {
    if (err instanceof InvalidSelectorError) return '<invalid>';
    throw err;
  }
}

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Ready replicas out of desired replicas.'),
    column('Up-to-date', 'string', 'Replicas running the current pod template.'),
    column('Available', 'string', 'Replicas that have been ready for at least minReadySeconds.'),
    ageColumn,
    column('Containers', 'string', 'Names of the containers in the pod template.', 1),
    column('Images', 'string', 'Images of the containers in the pod template.', 1),
    column('Selector', 'string', 'Label selector for the pods the deployment manages.', 1),
  ],
  row(deploy: KObject, now: Date): unknown[] {
    const spec = deploy.spec ?? {};
    const status = deploy.status ?? {};
    // apps/v1 defaulting makes an absent replica count 1.
    const desired: number = spec.replicas ?? 1;
    const [names, images] = containerCells(spec.template?.spec?.containers);
    return [
      deploy.metadata.name ?? '',
      `${status.readyReplicas ?? 0}/${desired}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      age(deploy.metadata.creationTimestamp, now),
      names,
      images,
      deploymentSelector(spec.selector),
    ];
  },
};
