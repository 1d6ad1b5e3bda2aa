// YAML request and response bodies; the YAML library is loaded on first use since most clients speak JSON.

type YamlLib = typeof import('yaml');

let lib: YamlLib | undefined;

/** Loads the YAML library if a request needs it; call before `parseYaml` / `stringifyYaml`. */
export async function loadYaml(): Promise<void> {
  lib ??= await import('yaml');
}

function loaded(): YamlLib {
  if (!lib) throw new Error('YAML support was not loaded for this request');
  return lib;
}

/** kubectl and client-go read YAML 1.1 (0400 is octal, yes/no are booleans); so does the server. */
export const parseYaml = (text: string): unknown => loaded().parse(text, { version: '1.1' });

export const stringifyYaml = (value: unknown): string => loaded().stringify(value);
