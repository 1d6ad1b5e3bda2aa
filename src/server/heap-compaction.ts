// A one-off, memory-reducing garbage collection for when start-up has settled, so an idle server does not keep start-up's peak.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * V8's `gc`, taken from a context made while --expose-gc was on; the flag goes back off at once, so the global
 * scope stays as it was and code compiled later is cached under the same V8 flags as before.
 */
function collector(): Gc {
  const exposed = (globalThis as { gc?: Gc }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as Gc;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/**
 * Start-up allocates in one burst (modules, the registry, CRD schemas, the components' first lists), and each
 * scavenge that sees those objects survive makes V8 double its young generation, up to two 16 MiB semi-spaces.
 * They stay committed: V8 shrinks them only in a collection that runs while little is being allocated, and an
 * idle server allocates too little to trigger one (measured: RSS unchanged 30 s after start). A last-resort
 * collection (what V8 does under memory pressure) frees start-up's garbage and shrinks the young generation to
 * its initial size; it grows again under load as usual. It blocks the event loop for a few tens of milliseconds,
 * once. Returns how long it took, in milliseconds.
 */
export function compactHeap(): number {
  const t0 = performance.now();
  collector()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return performance.now() - t0;
}
