// Seeded synthetic traces over a small call tree, for the rca tests: each request walks the plan,
// failing where a knob says so and propagating the failure to its callers like real services do.

import type { Span } from '../../model/index.js';
import { makeSpan } from './spans.js';

export interface DependencyCall {
  dep: string;
  system: string; // db.system: postgresql, redis …; '' for an external HTTP API
  ms: number;
  failRate?: number;
  message?: string;
}

export interface ServicePlan {
  service: string;
  version?: string;
  route?: string;
  selfMs: number;
  failRate?: number;
  calls: Array<ServicePlan | DependencyCall>;
}

/** The one seeded generator (src/random), re-exported for this module's callers. */
export { seededRandom } from '../../random/index.js';

export class TrafficGenerator {
  private n = 0;
  constructor(private readonly random: () => number) {}

  /** `count` requests spread evenly over [fromMs, toMs). */
  requests(plan: ServicePlan, count: number, fromMs: number, toMs: number): Span[] {
    const out: Span[] = [];
    const step = (toMs - fromMs) / Math.max(1, count);
    for (let i = 0; i < count; i++) {
      const traceId = (++this.n).toString(16).padStart(32, '0');
      this.walk(plan, traceId, '', fromMs + i * step, out, true);
    }
    return out;
  }

  private id(): string {
    return (++this.n).toString(16).padStart(16, '0');
  }

  private jitter(ms: number): number {
    return ms * (0.8 + 0.4 * this.random());
  }

  /** Emits the server span of `plan` (and, unless entry, the caller's client span); returns [duration, failed]. */
  private walk(plan: ServicePlan, traceId: string, parentId: string, t: number, out: Span[], entry: boolean): [number, boolean] {
    const serverId = this.id();
    const version = plan.version ?? '1.0.0';
    let cursor = t + this.jitter(plan.selfMs) / 2;
    let failed = false;
    const children: Span[] = [];
    for (const call of plan.calls) {
      const clientId = this.id();
      let callMs: number;
      let callFailed: boolean;
      let callee: Partial<Span>;
      if ('dep' in call) {
        callMs = this.jitter(call.ms);
        callFailed = this.random() < (call.failRate ?? 0);
        callee = {
          name: `${call.system || 'http'} op`,
          dbSystem: call.system,
          peerService: call.dep,
          statusMessage: callFailed ? (call.message ?? 'failed') : '',
        };
      } else {
        const [calleeMs, calleeFailed] = this.walk(call, traceId, clientId, cursor + 0.5, out, false);
        callMs = calleeMs + 1;
        callFailed = calleeFailed;
        callee = { name: `call ${call.service}`, peerService: call.service };
      }
      children.push(
        makeSpan({
          service: plan.service,
          serviceVersion: version,
          traceId,
          spanId: clientId,
          parentSpanId: serverId,
          kind: 'client',
          startTimeMs: cursor,
          durationMs: callMs,
          statusCode: callFailed ? 'error' : 'unset',
          ...callee,
        }),
      );
      cursor += callMs;
      failed ||= callFailed;
      if (failed) break;
    }
    if (!failed && this.random() < (plan.failRate ?? 0)) failed = true;
    const duration = cursor + this.jitter(plan.selfMs) / 2 - t;
    out.push(...children);
    out.push(
      makeSpan({
        service: plan.service,
        serviceVersion: version,
        traceId,
        spanId: serverId,
        parentSpanId: entry ? '' : parentId,
        name: plan.route ?? 'GET /',
        httpRoute: plan.route ?? '/',
        startTimeMs: t,
        durationMs: duration,
        statusCode: failed ? 'error' : 'unset',
      }),
    );
    return [duration, failed];
  }
}
