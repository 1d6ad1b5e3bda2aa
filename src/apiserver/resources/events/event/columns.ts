// Table columns for events.k8s.io/v1 Events: the core/v1 Event printer, applied after conversion to the core shape.
export { printer } from '../../core/event/columns.ts';
