// Splits a byte stream of concatenated JSON objects (the resize stream, read upstream with a json.Decoder) into values.

export class JsonObjectStream {
  #text = '';

  /** Adds text and returns each complete top-level JSON value; malformed values are skipped. */
  push(chunk: string): unknown[] {
    this.#text += chunk;
    const out: unknown[] = [];
    let depth = 0;
    let inString = false;
    let escaped = false;
    let start = -1;
    let consumed = 0;
    for (let i = 0; i < this.#text.length; i++) {
      const c = this.#text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') {
        if (depth === 0) start = i;
        depth++;
      } else if ((c === '}' || c === ']') && depth > 0) {
        depth--;
        if (depth === 0) {
          try {
            out.push(JSON.parse(this.#text.slice(start, i + 1)));
          } catch {
            // Not JSON after all: drop it, as a decoder error would end upstream's loop.
          }
          consumed = i + 1;
        }
      } else if (depth === 0 && !/\s/.test(c)) {
        consumed = i + 1;
      }
    }
    this.#text = this.#text.slice(consumed);
    if (this.#text.length > 64 * 1024) this.#text = '';
    return out;
  }
}

/** `{"Width":80,"Height":24}` (remotecommand.TerminalSize, Go field names) as width/height. */
export function terminalSizeOf(v: unknown): { width: number; height: number } | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const width = Number(o.Width ?? o.width);
  const height = Number(o.Height ?? o.height);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0 || width > 0xffff || height > 0xffff) return undefined;
  return { width, height };
}
