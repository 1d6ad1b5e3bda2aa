// Parses boolean strings exactly as Go's strconv.ParseBool does, for query parameters and flags.
import { goQuote } from './field-errors.ts';

/** Thrown for a string that strconv.ParseBool rejects; the message matches Go's. */
export class GoBoolParseError extends Error {
  readonly code = 'MACHINERY_ERR_PARSE_BOOL';
  readonly input: string;
  constructor(input: string) {
    super(`strconv.ParseBool: parsing ${goQuote(input)}: invalid syntax`);
    this.name = 'GoBoolParseError';
    this.input = input;
  }
}

const trueWords = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const falseWords = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** `1 t T TRUE true True` are true, `0 f F FALSE false False` are false; anything else throws. */
export function parseGoBool(s: string): boolean {
  if (trueWords.has(s)) return true;
  if (falseWords.has(s)) return false;
  throw new GoBoolParseError(s);
}
