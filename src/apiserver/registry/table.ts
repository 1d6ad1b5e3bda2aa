// Server-side printing: the column definitions and row cells of a kind's Table output.
import type { KObject } from './kobject.ts';

export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface Printer {
  readonly columns: readonly ColumnDefinition[];
  /** The cells of one row, in column order; `now` is used for ages. */
  row(obj: KObject, now: Date): unknown[];
}
