// Recognisers for the API errors controllers treat specially (not found, conflict, already exists, terminating namespace).
import { ApiError } from '../client/client.ts';

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.status === 404;
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.status === 409 && e.reason !== 'AlreadyExists';
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.status === 409 && e.reason === 'AlreadyExists';
export const isMethodNotSupported = (e: unknown): boolean => e instanceof ApiError && e.status === 405;

/**
 * True for "unable to create new content in namespace X because it is being terminated": upstream marks it with
 * the NamespaceTerminating cause; the message is checked too for servers that send the Forbidden without causes.
 */
export function isNamespaceTerminating(e: unknown): boolean {
  if (!(e instanceof ApiError) || e.status !== 403) return false;
  const causes = (e.body as { details?: { causes?: { type?: string }[] } } | undefined)?.details?.causes ?? [];
  return causes.some((c) => c.type === 'NamespaceTerminating') || /because it is being terminated/.test(e.message);
}
