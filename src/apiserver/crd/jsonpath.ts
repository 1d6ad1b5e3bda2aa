// kubectl-style JSONPath templates (`{.status.conditions[?(@.type=="Ready")].status}`) over decoded JSON, as client-go's.
//
// Supports what printer columns and selectable fields use: fields (with `\.` escapes), `..`, `[n]`, slices,
// `[*]`, `['key']`, unions and filters with ==, !=, <, >, <=, >= or existence. Missing keys yield no result.
import { goFloat } from '../../machinery/field-errors.ts';
import { isObject } from './json-schema.ts';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'list'; nodes: Node[] }
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'recursive' }
  | { kind: 'array'; start?: number; end?: number; endDerived: boolean; step?: number }
  | { kind: 'union'; lists: Node[][] }
  | { kind: 'filter'; left: Node[]; right: Node[]; op: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean };

export class JsonPathError extends Error {
  readonly code = 'DABBA_ERR_JSONPATH';
}

const isTerminator = (c: string | undefined) => c === undefined || ' \t\r\n.,[]$@{}'.includes(c);
const isAlphaNumeric = (c: string | undefined) => c !== undefined && /^[\p{L}\p{N}_]$/u.test(c);

class Parser {
  readonly #s: string;
  #pos = 0;

  constructor(s: string) {
    this.#s = s;
  }

  /** Text outside `{…}` and the actions inside, as a list of top-level nodes. */
  template(): Node[] {
    const out: Node[] = [];
    while (this.#pos < this.#s.length) {
      const open = this.#s.indexOf('{', this.#pos);
      if (open < 0) {
        out.push({ kind: 'text', text: this.#s.slice(this.#pos) });
        break;
      }
      if (open > this.#pos) out.push({ kind: 'text', text: this.#s.slice(this.#pos, open) });
      this.#pos = open + 1;
      out.push({ kind: 'list', nodes: this.action('}') });
    }
    return out;
  }

  /** Nodes up to the closing delimiter (`}` for templates, end of input for sub-expressions). */
  action(close: string | undefined): Node[] {
    const nodes: Node[] = [];
    for (;;) {
      const rest = this.#s.slice(this.#pos);
      if (close !== undefined && rest.startsWith(close)) {
        this.#pos += close.length;
        return nodes;
      }
      if (rest.startsWith('[?(')) {
        nodes.push(this.filter());
        continue;
      }
      if (rest.startsWith('..')) {
        if (nodes[nodes.length - 1]?.kind === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
        this.#pos += 2;
        nodes.push({ kind: 'recursive' });
        if (isAlphaNumeric(this.#s[this.#pos])) nodes.push(this.field());
        continue;
      }
      const c = this.#s[this.#pos];
      if (c === undefined) {
        if (close === undefined) return nodes;
        throw new JsonPathError('unclosed action');
      }
      if (c === '\r' || c === '\n') throw new JsonPathError('unclosed action');
      if (c === ' ' || c === '@' || c === '$') {
        this.#pos++;
      } else if (c === '[') {
        nodes.push(this.array());
      } else if (c === '"' || c === "'") {
        nodes.push(this.quote(c));
      } else if (c === '.') {
        this.#pos++;
        nodes.push(this.field());
      } else if (c === '+' || c === '-' || /\d/.test(c)) {
        nodes.push(this.number());
      } else if (isAlphaNumeric(c)) {
        nodes.push(this.identifier());
      } else {
        throw new JsonPathError(`unrecognized character in action: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`);
      }
    }
  }

  field(): Node {
    let name = '';
    while (this.#pos < this.#s.length) {
      const c = this.#s[this.#pos];
      if (c === '\\') {
        name += this.#s[this.#pos + 1] ?? '';
        this.#pos += 2;
        continue;
      }
      if (isTerminator(c)) break;
      name += c;
      this.#pos++;
    }
    return name === '*' ? { kind: 'wildcard' } : { kind: 'field', name };
  }

  identifier(): Node {
    const start = this.#pos;
    while (!isTerminator(this.#s[this.#pos])) this.#pos++;
    const v = this.#s.slice(start, this.#pos);
    if (v === 'true' || v === 'false') return { kind: 'bool', value: v === 'true' };
    throw new JsonPathError(`unrecognized identifier ${v}`);
  }

  number(): Node {
    const m = /^[+-]?[\d.]*/.exec(this.#s.slice(this.#pos))!;
    this.#pos += m[0].length;
    const n = Number(m[0]);
    if (m[0] === '' || Number.isNaN(n)) throw new JsonPathError(`cannot parse number ${m[0]}`);
    return { kind: 'number', value: n };
  }

  quote(q: string): Node {
    let i = this.#pos + 1;
    for (; i < this.#s.length; i++) {
      if (this.#s[i] === '\n') break;
      if (this.#s[i] === q && this.#s[i - 1] !== '\\') break;
    }
    if (i >= this.#s.length || this.#s[i] !== q) throw new JsonPathError('unterminated quoted string');
    const raw = this.#s.slice(this.#pos + 1, i);
    this.#pos = i + 1;
    return { kind: 'text', text: raw.replace(/\\(.)/g, '$1') };
  }

  array(): Node {
    const close = this.#s.indexOf(']', this.#pos);
    const nl = this.#s.indexOf('\n', this.#pos);
    if (close < 0 || (nl >= 0 && nl < close)) throw new JsonPathError('unterminated array');
    let text = this.#s.slice(this.#pos + 1, close);
    this.#pos = close + 1;
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) return { kind: 'union', lists: parts.map((p) => new Parser(`[${p.trim()}]`).action(undefined)) };
    const key = /^'([^']*)'$/.exec(text);
    if (key) return { kind: 'field', name: key[1] };
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new JsonPathError(`invalid array index ${text}`);
    const num = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s));
    const start = num(m[1]);
    if (m[2] === undefined) return { kind: 'array', start, end: (start ?? 0) + 1, endDerived: true };
    return { kind: 'array', start, end: num(m[2].slice(1)), endDerived: false, step: num(m[3]?.slice(1)) };
  }

  filter(): Node {
    this.#pos += 3;
    const start = this.#pos;
    let quote: string | undefined;
    let begin = false;
    let end = false;
    for (;;) {
      const c = this.#s[this.#pos++];
      if (c === undefined || c === '\n') throw new JsonPathError('unterminated filter');
      if (c === '"' || c === "'") {
        if (!begin) {
          begin = true;
          quote = c;
          continue;
        }
        if (this.#s[this.#pos - 2] !== '\\' && c === quote) end = true;
      } else if (c === ')' && begin === end) {
        break;
      }
    }
    if (this.#s[this.#pos++] !== ']') throw new JsonPathError('unclosed array expect ]');
    const text = this.#s.slice(start, this.#pos - 2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/.exec(text);
    if (!m) return { kind: 'filter', left: new Parser(text).action(undefined), right: [], op: 'exists' };
    return { kind: 'filter', left: new Parser(m[1]).action(undefined), right: new Parser(m[3]).action(undefined), op: m[2] };
  }
}

function children(v: unknown): unknown[] {
  if (isObject(v)) return Object.values(v);
  if (Array.isArray(v)) return v;
  // Go indexes a string's bytes, which have no children of their own.
  if (typeof v === 'string') return [...Buffer.from(v)];
  return [];
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const bothNumbers = typeof a === 'number' && typeof b === 'number';
  if (!bothNumbers && typeof a !== typeof b) throw new JsonPathError('incompatible types for comparison');
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  if (typeof a === 'boolean' || a === null || isObject(a) || Array.isArray(a)) throw new JsonPathError('invalid type for comparison');
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
    default:
      throw new JsonPathError(`unrecognized filter operator ${op}`);
  }
}

function evalList(input: unknown[], nodes: Node[]): unknown[] {
  let cur = input;
  for (const n of nodes) cur = walk(cur, n);
  return cur;
}

function walk(input: unknown[], n: Node): unknown[] {
  switch (n.kind) {
    case 'list':
      return evalList(input, n.nodes);
    case 'text':
      return [n.text];
    case 'number':
    case 'bool':
      return input.map(() => n.value);
    case 'field': {
      const out: unknown[] = [];
      for (const v of input) if (isObject(v) && Object.hasOwn(v, n.name)) out.push(v[n.name]);
      return out;
    }
    case 'wildcard':
      return input.flatMap((v) => (v === null || v === undefined ? [] : children(v)));
    case 'recursive': {
      const out: unknown[] = [];
      const visit = (vs: unknown[]) => {
        for (const v of vs) {
          if (v === null || v === undefined) continue;
          const kids = children(v);
          if (kids.length) {
            out.push(v);
            visit(kids);
          }
        }
      };
      visit(input);
      return out;
    }
    case 'array': {
      const out: unknown[] = [];
      for (const v of input) {
        if (v === null || v === undefined) continue;
        if (!Array.isArray(v)) throw new JsonPathError('not array or slice');
        const len = v.length;
        let start = n.start ?? 0;
        if (start < 0) start += len;
        let end = n.end ?? len;
        if (end < 0 || (end === 0 && n.endDerived)) end += len;
        if (end === start) continue;
        if (start >= len || start < 0) throw new JsonPathError(`array index out of bounds: index ${start}, length ${len}`);
        if (end > len || end < 0) throw new JsonPathError(`array index out of bounds: index ${end - 1}, length ${len}`);
        if (start > end) throw new JsonPathError(`starting index ${start} is greater than ending index ${end}`);
        const step = n.step ?? 1;
        if (step <= 0) throw new JsonPathError('step must be > 0');
        for (let i = start; i < end; i += step) out.push(v[i]);
      }
      return out;
    }
    case 'union':
      return n.lists.flatMap((l) => evalList(input, l));
    case 'filter': {
      const out: unknown[] = [];
      for (const v of input) {
        if (!Array.isArray(v)) throw new JsonPathError('not array or slice and cannot be filtered');
        for (const item of v) {
          const lefts = evalList([item], n.left);
          if (n.op === 'exists') {
            if (lefts.length > 0) out.push(item);
            continue;
          }
          if (lefts.length === 0) continue;
          if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
          const rights = evalList([item], n.right);
          if (rights.length === 0) continue;
          if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
          if (compare(n.op, lefts[0], rights[0])) out.push(item);
        }
      }
      return out;
    }
  }
}

/** Go's `fmt.Print` of a scalar as client-go prints it; objects and lists as JSON. */
function printValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (isObject(v) || Array.isArray(v)) return JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  return String(v);
}

export class JsonPath {
  readonly #nodes: Node[];

  private constructor(nodes: Node[]) {
    this.#nodes = nodes;
  }

  /** Parses a template such as `{.spec.replicas}`; throws JsonPathError when it is malformed. */
  static parse(template: string): JsonPath {
    return new JsonPath(new Parser(template).template());
  }

  /** The values each top-level node yields (FindResults with missing keys allowed); throws JsonPathError on bad data. */
  findResults(data: unknown): unknown[][] {
    return this.#nodes.map((n) => walk([data], n));
  }

  /** Values joined by spaces, scalars printed plainly and objects or lists as JSON (PrintResults). */
  static print(values: unknown[]): string {
    return values.map(printValue).join(' ');
  }
}
