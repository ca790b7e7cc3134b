// The dns kind: does the name resolve (through the system's resolver or a given server), and does
// the answer include what it must.
import { Resolver } from 'node:dns/promises';
import type { RunDetails, StepResult } from '../result.js';
import type { DnsCheck } from '../schema.js';
import { remainingMs, type CheckRunner } from './context.js';

export const runDnsCheck: CheckRunner<DnsCheck> = async (check, ctx) => {
  const t0 = ctx.now();
  const name = `resolve ${check.recordType} ${check.hostname}`;
  const resolver = new Resolver({ timeout: Math.min(remainingMs(ctx), 30_000), tries: 1 });
  if (check.server) resolver.setServers([check.server]);
  let answers: string[];
  try {
    const records: unknown = await resolver.resolve(check.hostname, check.recordType);
    answers = (Array.isArray(records) ? records : [records]).map(answerText);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const words: Record<string, string> = {
      ENOTFOUND: 'no such name (NXDOMAIN)',
      ENODATA: `no ${check.recordType} record`,
      ETIMEOUT: 'the DNS server did not answer',
      ECONNREFUSED: 'the DNS server refused the connection',
      ESERVFAIL: 'the DNS server failed (SERVFAIL)',
    };
    const step: StepResult = { name, ok: false, durationMs: ctx.now() - t0, error: words[code] ?? (err as Error).message, assertions: [] };
    return { steps: [step], details: {} };
  }
  const assertions = (check.expect ?? []).map((expected) => ({
    assertion: 'expect',
    ok: answers.includes(expected),
    expected,
    actual: answers.join(', ') || 'no answer',
  }));
  const details: RunDetails = { answers: answers.join(', ') };
  return { steps: [{ name, ok: assertions.every((a) => a.ok), durationMs: ctx.now() - t0, assertions }], details };
};

function answerText(a: unknown): string {
  if (typeof a === 'string') return a;
  if (Array.isArray(a)) return a.join('');
  if (a && typeof a === 'object') {
    const r = a as Record<string, unknown>;
    if (typeof r.exchange === 'string') return r.exchange;
    if (typeof r.name === 'string') return `${r.name}:${typeof r.port === 'number' ? r.port : ''}`;
  }
  return JSON.stringify(a);
}
