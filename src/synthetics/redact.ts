// Secrets stay out of what a run leaves behind. A `${VAR}` read into a check (an API key in a query
// string, a password in a URL) or a secret a TypeScript journey declares would otherwise reach the
// stored run, the span names, the incident and the CLI's output through step names and errors; each
// value is written back as its `${VAR}`, which also reads better. Pure.
import type { RunResult } from './result.js';

const minSecretLength = 4;

/** `${NAME}` for each secret's value (and its URL-encoded form), longest first. */
function replacements(secrets: Readonly<Record<string, string>>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(secrets)) {
    // A value this short is no secret, and replacing it would garble figures ("got 4${X}1").
    if (value.length < minSecretLength) continue;
    out.push([value, `\${${name}}`]);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) out.push([encoded, `\${${name}}`]);
  }
  return out.sort((a, b) => b[0].length - a[0].length);
}

export function redactRun<T extends RunResult>(run: T, secrets: Readonly<Record<string, string>>): T {
  const pairs = replacements(secrets);
  if (!pairs.length) return run;
  const clean = (text: string): string => pairs.reduce((t, [value, name]) => t.split(value).join(name), text);
  const maybe = (text: string | undefined): string | undefined => (text === undefined ? undefined : clean(text));
  return {
    ...run,
    ...(run.error !== undefined ? { error: clean(run.error) } : {}),
    steps: run.steps.map((s) => ({
      ...s,
      name: clean(s.name),
      ...(s.error !== undefined ? { error: maybe(s.error) } : {}),
      assertions: s.assertions.map((a) => ({ ...a, expected: clean(a.expected), actual: clean(a.actual) })),
    })),
    details: Object.fromEntries(Object.entries(run.details).map(([k, v]) => [k, typeof v === 'string' ? clean(v) : v])),
  };
}
