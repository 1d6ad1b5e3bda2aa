// Errors and warnings as istiod's validation collects them, so a rejection reads exactly as istiod words it.
//
// istiod joins errors with hashicorp/go-multierror: one plain error prints as itself, a joined list prints as
// "N errors occurred:\n\t* a\n\t* b\n\n" (also for a list of one, which some rules build directly). Joining
// flattens lists. Warnings travel beside errors and are returned one per Warning header.

/** One error (a string) or a go-multierror list (string[], possibly of one). */
export type ConfigError = string | string[];

/** An error and a warning side by side, like istiod's `Validation`. */
export interface Validation {
  readonly err?: ConfigError;
  readonly warn?: ConfigError;
}

type Item = ConfigError | Validation | undefined;

const isValidation = (x: Item): x is Validation => typeof x === 'object' && x !== null && !Array.isArray(x);

const flat = (e: ConfigError): string[] => (Array.isArray(e) ? e : [e]);

function join(a: ConfigError | undefined, b: ConfigError | undefined): ConfigError | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return [...flat(a), ...flat(b)];
}

/** istiod's appendErrors: nil stays nil, one error stays itself, more become a list; a Validation adds only its error. */
export function appendErrors(err: ConfigError | undefined, ...items: Item[]): ConfigError | undefined {
  for (const it of items) err = join(err, isValidation(it) ? it.err : it);
  return err;
}

/** go-multierror's Append: always a list, even of one. */
export function multiAppend(err: ConfigError | undefined, ...items: (ConfigError | undefined)[]): string[] {
  const out = err === undefined ? [] : [...flat(err)];
  for (const it of items) if (it !== undefined) out.push(...flat(it));
  return out;
}

/** istiod's AppendValidation: errors join errors, a Validation's warning joins the warnings. */
export function appendValidation(v: Validation, ...items: Item[]): Validation {
  let { err, warn } = v;
  for (const it of items) {
    if (isValidation(it)) {
      err = join(err, it.err);
      warn = join(warn, it.warn);
    } else {
      err = join(err, it);
    }
  }
  return { err, warn };
}

export const wrapWarning = (w: ConfigError | undefined): Validation => ({ warn: w });

export const appendWarning = (v: Validation, w: string): Validation => appendValidation(v, wrapWarning(w));

/** The text of an error, as Go prints it. */
export function errorText(e: ConfigError): string {
  if (!Array.isArray(e)) return e;
  const points = e.map((m) => `* ${m}`).join('\n\t');
  return `${e.length} error${e.length === 1 ? '' : 's'} occurred:\n\t${points}\n\n`;
}

/** Warnings as the webhook returns them: one entry per joined warning. */
export const warningTexts = (w: ConfigError | undefined): string[] => (w === undefined ? [] : flat(w));

/** Go's %q for a string: double-quoted with Go escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}
