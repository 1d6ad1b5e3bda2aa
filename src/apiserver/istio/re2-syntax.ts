// Checks a regular expression against RE2's syntax (what Go's regexp.Compile accepts), with Go's error texts.
//
// istiod compiles match regexes with Go's regexp package before Envoy ever sees them; JavaScript's RegExp
// accepts things RE2 refuses (lookaround, backreferences), so the check is done here by hand.

const err = (code: string, expr: string) => `error parsing regexp: ${code}: \`${expr}\``;

const perlClassOrAssertion = new Set(['d', 'D', 's', 'S', 'w', 'W', 'b', 'B', 'A', 'z', 'C']);
const controlEscapes = new Set(['a', 'f', 'n', 'r', 't', 'v']);
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined) => c !== undefined && /[0-9a-fA-F]/.test(c);
const isWord = (c: string) => /[0-9A-Za-z_]/.test(c);

/** Length of a valid escape at re[i] (re[i] === '\\'), or a Go error text. */
function escape(re: string, i: number, inClass: boolean): number | string {
  const c = re[i + 1];
  if (c === undefined) return err('trailing backslash at end of expression', '');
  if (isOctal(c) && (c === '0' || isOctal(re[i + 2]))) {
    let n = 2;
    while (n < 4 && isOctal(re[i + n])) n++;
    return n;
  }
  if (c >= '1' && c <= '9') return err('invalid escape sequence', re.slice(i, i + 2));
  if (c === 'x') {
    if (re[i + 2] === '{') {
      const close = re.indexOf('}', i + 3);
      if (close < 0 || !/^[0-9a-fA-F]+$/.test(re.slice(i + 3, close))) return err('invalid escape sequence', re.slice(i, close < 0 ? re.length : close + 1));
      return close + 1 - i;
    }
    if (isHex(re[i + 2]) && isHex(re[i + 3])) return 4;
    return err('invalid escape sequence', re.slice(i, i + 4));
  }
  if (c === 'p' || c === 'P') {
    if (re[i + 2] === '{') {
      const close = re.indexOf('}', i + 3);
      if (close < 0) return err('invalid character class range', re.slice(i));
      return close + 1 - i;
    }
    return re[i + 2] === undefined ? err('invalid character class range', re.slice(i)) : 3;
  }
  if (controlEscapes.has(c)) return 2;
  if (!inClass && perlClassOrAssertion.has(c)) return 2;
  if (inClass && 'dDsSwW'.includes(c)) return 2;
  if (c.charCodeAt(0) < 0x80 && !isWord(c)) return 2;
  return err('invalid escape sequence', re.slice(i, i + 2));
}

/** Length of a character class starting at re[i] === '[', or a Go error text. */
function charClass(re: string, i: number): number | string {
  let j = i + 1;
  if (re[j] === '^') j++;
  let first = true;
  while (j < re.length && (re[j] !== ']' || first)) {
    first = false;
    if (re.startsWith('[:', j)) {
      const close = re.indexOf(':]', j + 2);
      if (close > 0) {
        j = close + 2;
        continue;
      }
    }
    const loStart = j;
    let lo: string;
    if (re[j] === '\\') {
      const n = escape(re, j, true);
      if (typeof n === 'string') return n;
      lo = re.slice(j, j + n);
      j += n;
    } else {
      lo = String.fromCodePoint(re.codePointAt(j)!);
      j += lo.length;
    }
    if (re[j] === '-' && re[j + 1] !== undefined && re[j + 1] !== ']') {
      j++;
      let hi: string;
      if (re[j] === '\\') {
        const n = escape(re, j, true);
        if (typeof n === 'string') return n;
        hi = re.slice(j, j + n);
        j += n;
      } else {
        hi = String.fromCodePoint(re.codePointAt(j)!);
        j += hi.length;
      }
      if (lo.length === 1 && hi.length === 1 && hi < lo) return err('invalid character class range', re.slice(loStart, j));
    }
  }
  if (j >= re.length) return err('missing closing ]', re.slice(i));
  return j + 1 - i;
}

/** Length of a `{n}`, `{n,}` or `{n,m}` repeat at re[i], 0 when the brace is a literal, or a Go error text. */
function repeat(re: string, i: number): number | string {
  const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(re.slice(i));
  if (!m) return 0;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
  if (min > 1000 || max > 1000 || (max >= 0 && max < min)) return err('invalid repeat count', m[0]);
  return m[0].length;
}

/** undefined when Go's regexp.Compile accepts `re`; otherwise Go's error text. */
export function re2SyntaxError(re: string): string | undefined {
  let depth = 0;
  // Whether the previous item can take a repetition operator, and where the last operator started.
  let operand = false;
  let lastRepeat = -1;
  let i = 0;
  while (i < re.length) {
    const c = re[i];
    if (c === '(') {
      if (re[i + 1] === '?') {
        const m = /^\(\?(P?<[A-Za-z0-9_]+>|[imsU]*(-[imsU]*)?[:)])/.exec(re.slice(i));
        if (!m) {
          const rest = /^\(\?(P?<)?/.exec(re.slice(i))![0];
          return err('invalid or unsupported Perl syntax', re.slice(i, i + rest.length + 1));
        }
        if (m[0].endsWith(')')) {
          i += m[0].length;
          continue;
        }
        i += m[0].length;
      } else {
        i++;
      }
      depth++;
      operand = false;
      lastRepeat = -1;
      continue;
    }
    if (c === ')') {
      if (depth === 0) return err('unexpected )', re);
      depth--;
      i++;
      operand = true;
      lastRepeat = -1;
      continue;
    }
    if (c === '|') {
      i++;
      operand = false;
      lastRepeat = -1;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let n = 1;
      if (c === '{') {
        const r = repeat(re, i);
        if (typeof r === 'string') return r;
        if (r === 0) {
          // A brace that is not a repeat is a literal.
          i++;
          operand = true;
          lastRepeat = -1;
          continue;
        }
        n = r;
      }
      if (re[i + n] === '?') n++;
      if (lastRepeat >= 0) return err('invalid nested repetition operator', re.slice(lastRepeat, i + n));
      if (!operand) return err('missing argument to repetition operator', re.slice(i, i + n));
      lastRepeat = i;
      i += n;
      continue;
    }
    lastRepeat = -1;
    if (c === '[') {
      const n = charClass(re, i);
      if (typeof n === 'string') return n;
      i += n;
      operand = true;
      continue;
    }
    if (c === '\\') {
      if (re[i + 1] === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        i = end < 0 ? re.length : end + 2;
        operand = true;
        continue;
      }
      const n = escape(re, i, false);
      if (typeof n === 'string') return n;
      i += n;
      operand = true;
      continue;
    }
    // Literals, `.`, and the empty-width `^` and `$` all take repetition in RE2.
    operand = true;
    i += String.fromCodePoint(re.codePointAt(i)!).length;
  }
  if (depth > 0) return err('missing closing )', re);
  return undefined;
}
