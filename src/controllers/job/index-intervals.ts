// Sets of completion indexes as ordered intervals, in the compressed text form of status.completedIndexes ("1,3-5").

/** Inclusive bounds of a run of indexes. */
export interface Interval {
  first: number;
  last: number;
}

/** strconv.Atoi: an optional sign and decimal digits; undefined when it does not parse. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * parseIndexesFromString: corrupted fragments are skipped, parsing stops at the first index at or beyond
 * `completions`, a range running past it is cut, and a range touching the previous one joins it.
 */
export function parseIndexes(text: string | undefined, completions: number): Interval[] {
  if (!text) return [];
  const out: Interval[] = [];
  for (const fragment of text.split(',')) {
    const limits = fragment.split('-');
    const first = atoi(limits[0]!);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      const l = atoi(limits[1]!);
      if (l === undefined) continue;
      last = Math.min(l, completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

/** The union of two ordered interval lists, touching and overlapping runs joined. */
export function mergeIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  const push = (iv: Interval) => {
    const prev = out[out.length - 1];
    if (!prev || iv.first > prev.last + 1) out.push({ ...iv });
    else if (prev.last < iv.last) prev.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) push(a[i]!.first < b[j]!.first ? a[i++]! : b[j++]!);
  while (i < a.length) push(a[i++]!);
  while (j < b.length) push(b[j++]!);
  return out;
}

/** The intervals plus the given indexes (in increasing order). */
export function withIndexes(intervals: readonly Interval[], sortedIndexes: readonly number[]): Interval[] {
  return mergeIntervals(
    intervals,
    sortedIndexes.map((ix) => ({ first: ix, last: ix })),
  );
}

/** How many indexes the intervals hold. */
export function totalIndexes(intervals: readonly Interval[]): number {
  return intervals.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
}

/** Whether `ix` is in one of the intervals (binary search on the ends). */
export function hasIndex(intervals: readonly Interval[], ix: number): boolean {
  let lo = 0;
  let hi = intervals.length;
  while (hi > lo) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (intervals[mid]!.last >= ix) hi = mid;
    else lo = mid + 1;
  }
  return hi < intervals.length && intervals[hi]!.first <= ix;
}

/** The compressed form: runs of three or more as "a-b", a pair as "a,b". */
export function formatIndexes(intervals: readonly Interval[]): string {
  return intervals
    .map((iv) => {
      if (iv.last === iv.first) return String(iv.first);
      return `${iv.first}${iv.last === iv.first + 1 ? ',' : '-'}${iv.last}`;
    })
    .join(',');
}

/** Sorted, distinct indexes of a set. */
export const sortedIndexes = (s: Iterable<number>): number[] => [...new Set(s)].sort((x, y) => x - y);
