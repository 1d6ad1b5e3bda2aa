// Go (RE2) regular expressions in JavaScript: RE2's syntax errors, worded as Go's regexp package, and a translation to RegExp.

const repetition = new Set(['*', '+', '?']);

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** The error Go's regexp.Compile would return for `pattern`, or undefined when RE2 accepts it (common cases). */
export function goRegexpError(pattern: string): string | undefined {
  const fail = (code: string, expr: string) => `error parsing regexp: ${code}: \`${expr}\``;
  let depth = 0;
  let prevAtom = false;
  let prevRepeat = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) return fail('trailing backslash at end of expression', '');
      const n = pattern[i + 1];
      if (/[1-9]/.test(n)) return fail('invalid escape sequence', `\\${n}`);
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        i = end < 0 ? pattern.length : end + 1;
      } else {
        i++;
      }
      prevAtom = true;
      prevRepeat = false;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      for (; j < pattern.length && pattern[j] !== ']'; j++) {
        if (pattern[j] === '\\') j++;
        else if (pattern[j] === '[' && pattern[j + 1] === ':') {
          const close = pattern.indexOf(':]', j + 2);
          if (close > 0) j = close + 1;
        }
      }
      if (j >= pattern.length) return fail('missing closing ]', pattern.slice(i));
      i = j;
      prevAtom = true;
      prevRepeat = false;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        const look = pattern.slice(i, i + 3);
        if (look === '(?=' || look === '(?!') return fail('invalid or unsupported Perl syntax', look);
        if (look === '(?<' && (pattern[i + 3] === '=' || pattern[i + 3] === '!')) return fail('invalid or unsupported Perl syntax', look);
        const named = /^\(\?P?<[A-Za-z0-9_]+>/.exec(pattern.slice(i));
        const flagged = /^\(\?[imsU-]*([:)])/.exec(pattern.slice(i));
        if (named) {
          i += named[0].length - 1;
        } else if (flagged) {
          i += flagged[0].length - 1;
          if (flagged[1] === ')') {
            prevAtom = false;
            prevRepeat = false;
            continue;
          }
        } else {
          return fail('invalid or unsupported Perl syntax', pattern.slice(i, i + 3));
        }
      }
      depth++;
      prevAtom = false;
      prevRepeat = false;
      continue;
    }
    if (c === ')') {
      if (depth === 0) return fail('unexpected )', pattern);
      depth--;
      prevAtom = true;
      prevRepeat = false;
      continue;
    }
    if (c === '|') {
      prevAtom = false;
      prevRepeat = false;
      continue;
    }
    if (repetition.has(c) || c === '{') {
      let op = c;
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        if (!m) {
          prevAtom = true;
          prevRepeat = false;
          continue;
        }
        op = m[0];
        if (Number(m[1]) > 1000 || (m[3] && Number(m[3]) > 1000) || (m[3] && Number(m[3]) < Number(m[1]))) return fail('invalid repeat count', op);
      }
      if (prevRepeat) return fail('invalid nested repetition operator', pattern.slice(i - 1, i + op.length));
      if (!prevAtom) return fail('missing argument to repetition operator', op);
      i += op.length - 1;
      if (pattern[i + 1] === '?') i++;
      prevRepeat = true;
      continue;
    }
    prevAtom = true;
    prevRepeat = false;
  }
  if (depth > 0) return fail('missing closing )', pattern);
  return undefined;
}

/** Rewrites RE2-only syntax (leading flags, `(?P<…>`, `\A`, `\z`, `\Q…\E`, POSIX classes) into JavaScript's. */
function translate(pattern: string): { source: string; flags: string } {
  let src = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    for (const f of lead[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  src = src.replace(/\\Q([\s\S]*?)(\\E|$)/g, (_, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  src = src.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])');
  src = src.replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
    const cls = posixClasses[name];
    if (!cls) return m;
    return neg ? `^${cls}` : cls;
  });
  return { source: src, flags };
}

const cache = new Map<string, RegExp | Error>();

/** A RegExp matching as Go's regexp would (unanchored `MatchString`), or the Go compile error. */
export function compileGoRegexp(pattern: string): RegExp | Error {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let out: RegExp | Error;
  const err = goRegexpError(pattern);
  if (err) {
    out = new Error(err);
  } else {
    const { source, flags } = translate(pattern);
    try {
      out = new RegExp(source, flags + 'u');
    } catch {
      try {
        out = new RegExp(source, flags);
      } catch {
        // RE2 accepts it but JavaScript cannot express it: never reject a value over our own limits.
        out = /(?:)/;
      }
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, out);
  return out;
}
