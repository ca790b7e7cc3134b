// Suggested next steps per root-cause kind, shown beside the evidence; change kinds lead with the
// rollback-or-fix-forward hint. One entry per kind of the shared RootCauseKind vocabulary.

import type { ChangeEvent, RootCauseKind } from '../../model/index.js';
import { rollbackHint } from './rollbackHint.js';
import type { Finding, RuleContext } from './types.js';

export interface StepSubject {
  service: string;
  kind: RootCauseKind;
  findings: readonly Finding[];
  change?: ChangeEvent;
}

type StepWriter = (s: StepSubject, ctx: RuleContext) => string[];

const poolPeer = (s: StepSubject): string => s.findings.find((f) => f.poolOf)?.poolOf ?? '';

const writers: Record<RootCauseKind, StepWriter> = {
  'bad-deploy': (s, ctx) => [
    s.change ? rollbackHint(s.change, ctx) : `Roll back the latest deploy of ${s.service}.`,
    `Diff the deployed version against the previous one (batch sizes, queries, timeouts, dependencies) for what the evidence points at.`,
    `Watch ${s.service}'s error rate and latency by version after the rollback or fix to confirm it worked.`,
  ],
  'config-change': (s, ctx) => [
    s.change ? rollbackHint(s.change, ctx) : `Revert the latest config change of ${s.service}.`,
    `Check the changed setting against the values its callers and dependencies expect (timeouts, limits, endpoints).`,
  ],
  saturation: (s) => {
    const peer = poolPeer(s);
    return peer
      ? [
          `Raise ${s.service}'s ${peer} pool size or cut how long each request holds a connection (batch size, transaction length).`,
          `Look for slow or long-held queries on ${peer}; scale ${s.service} out only if ${peer} has spare connections.`,
        ]
      : [
          `Find what is loading ${s.service} (batch jobs, slow queries, a noisy client) and throttle or reschedule it.`,
          `Scale ${s.service} or raise its limits; add timeouts so callers fail fast instead of queuing.`,
        ];
  },
  'dependency-failure': (s) => [
    `Check ${s.service}'s health, recent maintenance and its provider's status page; fail over or restore it.`,
    `Make callers degrade gracefully: timeouts, a circuit breaker and a fallback for calls to ${s.service}.`,
  ],
  'resource-exhaustion': (s) => [
    `Restart or scale out ${s.service} to buy time before the limit is hit.`,
    `Look for a leak or a growing workload: compare heap/CPU profiles now and before; raise the limit only as a stop-gap.`,
  ],
  'traffic-change': (s) => [
    `Check what sends traffic to ${s.service}: DNS, load balancer, CDN, client or app releases, campaigns, bots.`,
    `Confirm with business KPIs (orders, sign-ups) whether customers are affected; scale if it is a surge.`,
  ],
  'code-error': (s) => [
    `Open the new exception's samples and the first failing traces of ${s.service}; fix the code path or roll it back.`,
    `Check whether the error is confined to a route, a version or a customer segment to narrow the fix.`,
  ],
};

export function nextStepsFor(subject: StepSubject, ctx: RuleContext): string[] {
  return writers[subject.kind](subject, ctx);
}
