// Defaulting for networking.k8s.io/v1 Ingress: upstream sets nothing (pathType has no default in v1).
import type { KObject } from '../../../registry/kobject.ts';

/** Kept so every kind has the same shape; v1 Ingress deliberately has no defaults. */
export function setDefaults(_ing: KObject): void {}
