// Table columns for core/v1 PodTemplates: the template's containers, images and pod labels (upstream shows no age).
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { column, containerCells, formatLabels, nameColumn } from '../../../registry/table-cells.ts';

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Containers', 'string', 'Names of the containers in the template.'),
    column('Images', 'string', 'Images of the containers in the template.'),
    column('Pod Labels', 'string', 'Labels that pods made from the template carry.'),
  ],
  row(pt: KObject): unknown[] {
    const [names, images] = containerCells(pt.template?.spec?.containers);
    return [pt.metadata.name ?? '', names, images, formatLabels(pt.template?.metadata?.labels)];
  },
};
