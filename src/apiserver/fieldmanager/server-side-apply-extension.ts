// Installs server-side apply and managedFields tracking (the structured field manager) into the API server.
import type { ApiExtension } from '../extension.ts';
import { StructuredFieldManager } from './structured-field-manager.ts';

export const serverSideApplyExtension: ApiExtension = {
  name: 'server-side-apply',
  install(ctx) {
    ctx.setFieldManager(new StructuredFieldManager(ctx.registry));
  },
};
