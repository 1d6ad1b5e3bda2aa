// Kubernetes' `$(VAR)` expansion for env values, command, args and subPathExpr: `$$` escapes, unknown names stay as written.

const operator = '$';
const opener = '(';
const closer = ')';

/** Looks a name up in each map in turn; an unknown name expands to itself, `$(NAME)`. */
export function mappingFor(...maps: ReadonlyMap<string, string>[]): (name: string) => string {
  return (name) => {
    for (const m of maps) {
      const v = m.get(name);
      if (v !== undefined) return v;
    }
    return `${operator}${opener}${name}${closer}`;
  };
}

/** Reads what follows a `$`: a variable name, an escaped `$`, or literal text. */
function readVariable(rest: string): { text: string; isVar: boolean; advance: number } {
  const c = rest[0];
  if (c === operator) return { text: operator, isVar: false, advance: 1 };
  if (c === opener) {
    const end = rest.indexOf(closer, 1);
    if (end >= 0) return { text: rest.slice(1, end), isVar: true, advance: end + 1 };
    // An unterminated reference is copied as written.
    return { text: operator + opener, isVar: false, advance: 1 };
  }
  return { text: operator + c, isVar: false, advance: 1 };
}

/** Expands `$(VAR)` references in `input` with `mapping`, as upstream's third_party expansion package does. */
export function expand(input: string, mapping: (name: string) => string): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== operator || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const r = readVariable(input.slice(cursor + 1));
    out += r.isVar ? mapping(r.text) : r.text;
    cursor += r.advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
