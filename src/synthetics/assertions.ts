// Checks an HTTP answer against a check's assertions and reports every one, passed or not.
import { valueAt } from './jsonpath.js';
import type { AssertionResult } from './result.js';
import type { Assertions } from './schema.js';

export interface HttpAnswer {
  status: number;
  latencyMs: number;
  headers: Headers;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : (JSON.stringify(v)?.slice(0, 200) ?? typeof v));
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function evaluateAssertions(a: Assertions, answer: HttpAnswer): AssertionResult[] {
  const out: AssertionResult[] = [];
  if (a.status !== undefined) {
    const allowed = list(a.status);
    out.push({ assertion: 'status', ok: allowed.includes(answer.status), expected: allowed.join(' or '), actual: String(answer.status) });
  }
  if (a.maxLatencyMs !== undefined)
    out.push({
      assertion: 'maxLatencyMs',
      ok: answer.latencyMs <= a.maxLatencyMs,
      expected: `≤ ${a.maxLatencyMs} ms`,
      actual: `${Math.round(answer.latencyMs)} ms`,
    });
  for (const text of list(a.bodyContains))
    out.push({
      assertion: 'bodyContains',
      ok: answer.body.includes(text),
      expected: show(text),
      actual: answer.body.includes(text) ? 'found' : 'not in the body',
    });
  for (const text of list(a.bodyNotContains))
    out.push({
      assertion: 'bodyNotContains',
      ok: !answer.body.includes(text),
      expected: `no ${show(text)}`,
      actual: answer.body.includes(text) ? 'found in the body' : 'absent',
    });
  for (const [header, expected] of Object.entries(a.headers ?? {})) {
    const actual = answer.headers.get(header);
    out.push({
      assertion: `header ${header}`,
      ok: actual !== null && actual.includes(expected),
      expected: `contains ${show(expected)}`,
      actual: actual === null ? 'no such header' : show(actual),
    });
  }
  for (const [path, expected] of Object.entries(a.json ?? {})) {
    if (answer.json === undefined) {
      out.push({ assertion: `json ${path}`, ok: false, expected: show(expected), actual: 'the body is not JSON' });
      continue;
    }
    const actual = valueAt(answer.json, path);
    out.push({ assertion: `json ${path}`, ok: sameValue(actual, expected), expected: show(expected), actual: show(actual) });
  }
  return out;
}

/** Deep equality of JSON values; a number in the file also matches the same number as text. */
function sameValue(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'string') return actual === String(expected);
  return JSON.stringify(actual) === JSON.stringify(expected);
}
