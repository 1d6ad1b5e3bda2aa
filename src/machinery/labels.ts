// Label selectors: the `?labelSelector=` string syntax, metav1.LabelSelector conversion, and matching, as apimachinery
// v0.33's labels package (Kubernetes 1.33).
import { FieldError, FieldPath, GoRepr, fieldInvalid, fieldNotSupported, goQuote, goStringSlice } from './field-errors.ts';
import { isQualifiedName, isValidLabelValue } from './validation.ts';

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

/** metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

/** selection.Operator values used by label requirements. */
export type Operator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** As given; `toString()` prints them sorted. */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | null | undefined;

export interface Selector {
  matches(labels: Labels): boolean;
  /** True when the selector does not restrict anything (matches everything). */
  isEmpty(): boolean;
  toString(): string;
  /** The requirements (ANDed), sorted by key; null for the selector that matches nothing. */
  requirements(): readonly Requirement[] | null;
  /** The single value the selector requires for `label`, if it requires exactly one. */
  requiresExactMatch(label: string): string | undefined;
}

/** A selector string or LabelSelector that upstream refuses; the message is upstream's. */
export class SelectorParseError extends Error {
  readonly code = 'MACHINERY_ERR_LABEL_SELECTOR';
  constructor(message: string) {
    super(message);
    this.name = 'SelectorParseError';
  }
}

const binaryOperators: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const validRequirementOperators: readonly Operator[] = [...binaryOperators, 'exists', '!'];

/** An ErrorList.ToAggregate().Error(): one message alone, several deduplicated inside brackets. */
function aggregateMessage(errs: readonly FieldError[]): string {
  const msgs = [...new Set(errs.map((e) => e.message()))];
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

/** strconv.ParseInt(s, 10, 64). */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return n;
}

function validateLabelKey(key: string, path: FieldPath | string): FieldError | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? fieldInvalid(path, key, errs.join('; ')) : undefined;
}

/**
 * labels.NewRequirement: validates and builds one requirement. `path` is where errors are
 * reported; upstream passes none, so fields print as `key`, `values[0][k]`.
 */
export function newRequirement(key: string, operator: string, values: readonly string[] | null | undefined, path?: FieldPath): Requirement {
  const vals = values ?? [];
  const errs: FieldError[] = [];
  const base = path ?? new FieldPath();
  const keyErr = validateLabelKey(key, base.child('key'));
  if (keyErr) errs.push(keyErr);
  const valuePath = base.child('values');
  // 1.33 prints the slice with %#v: `[]string(nil)` when nil (what a LabelSelector without values
  // gives), `[]string{}` when empty.
  const badValues = new GoRepr(goStringSlice(values));
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(fieldInvalid(valuePath, badValues, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(fieldInvalid(valuePath, badValues, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(fieldInvalid(valuePath, badValues, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(fieldInvalid(valuePath, badValues, "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(fieldInvalid(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
    default:
      errs.push(fieldNotSupported(base.child('operator'), operator, validRequirementOperators));
  }
  vals.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(fieldInvalid(valuePath.index(i).key(key), v, msgs.join('; ')));
  });
  if (errs.length) throw new SelectorParseError(aggregateMessage(errs));
  return { key, operator: operator as Operator, values: [...vals] };
}

/** Whether one requirement holds for a label set (labels.Requirement.Matches). */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels != null && Object.hasOwn(labels, r.key);
  const val = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(val!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(val!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const lv = parseInt64(val!);
      if (lv === undefined || r.values.length !== 1) return false;
      const rv = parseInt64(r.values[0]);
      if (rv === undefined) return false;
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** labels.Requirement.String: `k=v`, `k in (a,b)`, `!k`, with multiple values sorted. */
export function requirementString(r: Requirement): string {
  let s = r.operator === '!' ? '!' : '';
  s += r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return s;
    case 'in':
      s += ' in ';
      break;
    case 'notin':
      s += ' notin ';
      break;
    case 'gt':
      s += '>';
      break;
    case 'lt':
      s += '<';
      break;
    default:
      s += r.operator;
  }
  const set = r.operator === 'in' || r.operator === 'notin';
  if (set) s += '(';
  s += r.values.length === 1 ? r.values[0] : [...r.values].sort(byteOrder).join(',');
  if (set) s += ')';
  return s;
}

class RequirementsSelector implements Selector {
  readonly #reqs: readonly Requirement[];
  constructor(reqs: readonly Requirement[]) {
    this.#reqs = reqs;
  }
  matches(labels: Labels): boolean {
    return this.#reqs.every((r) => requirementMatches(r, labels));
  }
  isEmpty(): boolean {
    return this.#reqs.length === 0;
  }
  toString(): string {
    return this.#reqs.map(requirementString).join(',');
  }
  requirements(): readonly Requirement[] {
    return this.#reqs;
  }
  requiresExactMatch(label: string): string | undefined {
    const r = this.#reqs.find((x) => x.key === label);
    if (r && (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
}

const nothingSelector: Selector = Object.freeze({
  matches: () => false,
  isEmpty: () => false,
  toString: () => '',
  requirements: () => null,
  requiresExactMatch: () => undefined,
});

const everythingSelector: Selector = new RequirementsSelector([]);

/** The selector that matches every label set. */
export function everything(): Selector {
  return everythingSelector;
}

/** The selector that matches no label set (what a null LabelSelector means). */
export function nothing(): Selector {
  return nothingSelector;
}

/** Whether `s` is definitively the match-nothing selector. */
export function matchesNothing(s: Selector): boolean {
  return s === nothingSelector;
}

function sortedByKey(reqs: Requirement[]): Requirement[] {
  // Upstream's sort is not stable; a stable one keeps the output deterministic.
  return reqs.sort((a, b) => byteOrder(a.key, b.key));
}

/** A selector requiring exactly these labels (labels.SelectorFromSet, unvalidated). */
export function selectorFromSet(set: Labels): Selector {
  if (set == null) return everythingSelector;
  return new RequirementsSelector(
    sortedByKey(Object.entries(set).map(([key, v]) => ({ key, operator: '=' as const, values: [v] }))),
  );
}

/** A selector requiring exactly these labels, validating them (labels.ValidatedSelectorFromSet). */
export function validatedSelectorFromSet(set: Labels): Selector {
  if (set == null) return everythingSelector;
  return new RequirementsSelector(sortedByKey(Object.entries(set).map(([k, v]) => newRequirement(k, '=', [v]))));
}

/**
 * metav1.LabelSelectorAsSelector: null/undefined matches nothing, an empty selector matches
 * everything. Throws SelectorParseError for an invalid key, value or operator.
 */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls == null) return nothingSelector;
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + exprs.length === 0) return everythingSelector;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) reqs.push(newRequirement(k, '=', [v]));
  for (const expr of exprs) {
    const op = exprOperators[expr.operator];
    if (op === undefined) throw new SelectorParseError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    // append([]string(nil), values...) stays nil when there are no values.
    const values = expr.values != null && expr.values.length > 0 ? expr.values : null;
    reqs.push(newRequirement(expr.key, op, values));
  }
  return new RequirementsSelector(sortedByKey(reqs));
}

const exprOperators: Record<string, Operator | undefined> = Object.assign(Object.create(null), {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
});

/** metav1.FormatLabelSelector: the selector string, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  let s: Selector;
  try {
    s = selectorFromLabelSelector(ls);
  } catch (e) {
    if (e instanceof SelectorParseError) return '<error>';
    throw e;
  }
  const text = s.toString();
  return text.length === 0 ? '<none>' : text;
}

// ---- the string syntax (labels.Parse) ----

type Token =
  | 'error'
  | 'eos'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'id'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

interface Item {
  tok: Token;
  lit: string;
}

const literalTokens: Record<string, Token | undefined> = Object.assign(Object.create(null), {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
});

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) =>
  ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';

/** Splits a selector string into tokens the way upstream's Lexer does. */
function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    if (isSpecialSymbol(s[pos])) {
      // The longest run of special symbols that still forms a known operator.
      let buffer = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecialSymbol(s[pos])) {
        buffer += s[pos];
        const t = literalTokens[buffer];
        if (t !== undefined) {
          last = { tok: t, lit: buffer };
        } else if (last !== undefined) {
          break;
        }
        pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
    } else {
      const start = pos;
      while (pos < s.length && !isSpecialSymbol(s[pos]) && !isWhitespace(s[pos])) pos++;
      const word = s.slice(start, pos);
      const t = literalTokens[word];
      items.push({ tok: t ?? 'id', lit: word });
    }
  }
}

type Context = 'keyAndOperator' | 'values';

class Parser {
  readonly #items: Item[];
  #position = 0;
  constructor(items: Item[]) {
    this.#items = items;
  }

  #at(i: number, ctx: Context): Item {
    const it = this.#items[Math.min(i, this.#items.length - 1)];
    if (ctx === 'values' && (it.tok === 'in' || it.tok === 'notin')) return { tok: 'id', lit: it.lit };
    return it;
  }
  lookahead(ctx: Context): Item {
    return this.#at(this.#position, ctx);
  }
  consume(ctx: Context): Item {
    return this.#at(this.#position++, ctx);
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead('values');
      switch (tok) {
        case 'id':
        case '!': {
          let r: Requirement;
          try {
            r = this.parseRequirement();
          } catch (e) {
            if (e instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${e.message}`);
            throw e;
          }
          reqs.push(r);
          const next = this.consume('values');
          if (next.tok === 'eos') return reqs;
          if (next.tok === ',') {
            const after = this.lookahead('values');
            if (after.tok !== 'id' && after.tok !== '!') {
              throw new SelectorParseError(`found '${after.lit}', expected: identifier after ','`);
            }
            break;
          }
          throw new SelectorParseError(`found '${next.lit}', expected: ',' or 'end of string'`);
        }
        case 'eos':
          return reqs;
        default:
          throw new SelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    if (inferred === 'exists' || inferred === '!') return newRequirement(key, inferred, []);
    const op = this.parseOperator();
    let values: string[];
    if (op === 'in' || op === 'notin') values = this.parseValues();
    else values = this.parseExactValue();
    // sets.String.List(): deduplicated and sorted.
    return newRequirement(key, op, [...new Set(values)].sort(byteOrder));
  }

  parseKeyAndInferOperator(): [string, Operator | undefined] {
    let operator: Operator | undefined;
    let { tok, lit } = this.consume('values');
    if (tok === '!') {
      operator = '!';
      ({ tok, lit } = this.consume('values'));
    }
    if (tok !== 'id') throw new SelectorParseError(`found '${lit}', expected: identifier`);
    // Upstream validates with a nil path here, which prints as "<nil>".
    const keyErr = validateLabelKey(lit, '<nil>');
    if (keyErr) throw new SelectorParseError(keyErr.message());
    const next = this.lookahead('values').tok;
    if ((next === 'eos' || next === ',') && operator !== '!') operator = 'exists';
    return [lit, operator];
  }

  parseOperator(): Operator {
    const { tok, lit } = this.consume('keyAndOperator');
    switch (tok) {
      case 'in':
        return 'in';
      case '=':
        return '=';
      case '==':
        return '==';
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      case 'notin':
        return 'notin';
      case '!=':
        return '!=';
      default:
        throw new SelectorParseError(`found '${lit}', expected: ${binaryOperators.join(', ')}`);
    }
  }

  parseValues(): string[] {
    let { tok, lit } = this.consume('values');
    if (tok !== '(') throw new SelectorParseError(`found '${lit}' expected: '('`);
    ({ tok, lit } = this.lookahead('values'));
    switch (tok) {
      case 'id':
      case ',': {
        const s = this.parseIdentifiersList();
        if (this.consume('values').tok !== ')') throw new SelectorParseError(`found '${lit}', expected: ')'`);
        return s;
      }
      case ')':
        this.consume('values');
        return [''];
      default:
        throw new SelectorParseError(`found '${lit}', expected: ',', ')' or identifier`);
    }
  }

  parseIdentifiersList(): string[] {
    const s: string[] = [];
    for (;;) {
      const { tok, lit } = this.consume('values');
      switch (tok) {
        case 'id': {
          s.push(lit);
          const next = this.lookahead('values');
          if (next.tok === ',') continue;
          if (next.tok === ')') return s;
          throw new SelectorParseError(`found '${next.lit}', expected: ',' or ')'`);
        }
        case ',': {
          // "(,", ",)" and ",," each stand for an empty value. As of 1.33 the second comma of ",," is
          // consumed too, so "(a,,)" and "(,,)" fail on the ')' that follows (fixed in 1.34).
          if (s.length === 0) s.push('');
          const next = this.lookahead('values').tok;
          if (next === ')') {
            s.push('');
            return s;
          }
          if (next === ',') {
            this.consume('values');
            s.push('');
          }
          break;
        }
        default:
          throw new SelectorParseError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  parseExactValue(): string[] {
    const ahead = this.lookahead('values').tok;
    if (ahead === 'eos' || ahead === ',') return [''];
    const { tok, lit } = this.consume('values');
    if (tok === 'id') return [lit];
    throw new SelectorParseError(`found '${lit}', expected: identifier`);
  }
}

/**
 * labels.Parse: `a=b,c!=d,e in (x,y),f notin (z),g,!h,i>5,j<3`. Requirements come out sorted by
 * key; an empty string selects everything. Throws SelectorParseError with upstream's message.
 */
export function parseSelector(s: string): Selector {
  const reqs = new Parser(lex(s)).parse();
  return new RequirementsSelector(sortedByKey(reqs));
}
