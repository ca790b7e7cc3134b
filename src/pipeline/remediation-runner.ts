// Runs remediation webhooks (rollback, scale, restart, flag) from vigil.yaml: on approval (an
// incident action) or automatically on a failed release within the guardrails. Every run is
// audited, retried with backoff on failure, written on the incident's timeline, and verified
// after `verifyAfterMs` (did the incident's signals recover?).
import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../audit/index.js';
import type { Logger } from '../logger.js';
import type { IncidentRecord } from '../model/index.js';
import { automaticAction, type DeploymentRecord, type RemediationAction, type RemediationConfig, type RemediationRun } from '../release/index.js';

export interface RemediationIncidents {
  list(q: { openOnly: boolean; limit: number }): Promise<{ incidents: IncidentRecord[] }>;
  get(id: string): Promise<{ record: IncidentRecord } | undefined>;
  note(id: string, actor: string, text: string): Promise<void>;
}

export interface RemediationRunnerOptions {
  config: RemediationConfig;
  log: Logger;
  audit: { record(entry: AuditRecord): Promise<unknown> };
  /** The engine's clock, for the guardrails' hours. */
  now(): number;
  /** Whether a failed release's signal recovered (undefined: not a failed release). */
  releaseRecovered(deploymentId: string): boolean | undefined;
  /** Runs kept so far (from the release snapshot), appended to in place. */
  history: RemediationRun[];
}

const maxHistory = 1000;
const incidentLookupAttempts = 10;
const verifyPollMs = 1_000;

export class RemediationRunner {
  private incidents?: RemediationIncidents;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly o: RemediationRunnerOptions) {}

  attachIncidents(incidents: RemediationIncidents): void {
    this.incidents = incidents;
  }

  get runs(): readonly RemediationRun[] {
    return this.o.history;
  }

  /** A release just failed: its automatic action runs if the guardrails allow, else the reason is logged. */
  onFailedRelease(r: DeploymentRecord): void {
    const d = r.deployment;
    const decision = automaticAction(this.o.config, d.service, d.id, this.o.history, this.o.now());
    if ('skip' in decision) {
      if (this.o.config.actions.some((a) => a.service === d.service)) this.o.log.info({ deployment: d.id, reason: decision.skip }, 'no automatic remediation');
      return;
    }
    this.track(
      this.run(decision.run, {
        trigger: 'automatic',
        actor: 'vigil',
        deploymentId: d.id,
        reason: r.verdict.summary,
        signalKey: `release:${d.service}:${d.id}`,
      }),
    );
  }

  /** Runs an action now; resolves once its attempts are over (verification follows later). */
  async run(
    action: RemediationAction,
    ctx: { trigger: RemediationRun['trigger']; actor: string; deploymentId?: string; incidentId?: string; reason: string; signalKey?: string },
  ): Promise<RemediationRun> {
    const run: RemediationRun = {
      id: randomUUID(),
      action: action.name,
      kind: action.kind,
      service: action.service,
      ...(ctx.deploymentId ? { deploymentId: ctx.deploymentId } : {}),
      ...(ctx.incidentId ? { incidentId: ctx.incidentId } : {}),
      trigger: ctx.trigger,
      actor: ctx.actor,
      startedAtMs: this.o.now(),
      attempts: 0,
      outcome: 'running',
      lastResult: '',
    };
    this.o.history.push(run);
    if (this.o.history.length > maxHistory) this.o.history.splice(0, this.o.history.length - maxHistory);
    // Which run this is, told alike in the webhook's body and in the audit entry of an automatic run.
    const which = {
      kind: action.kind,
      service: action.service,
      trigger: ctx.trigger,
      runId: run.id,
      deploymentId: ctx.deploymentId ?? null,
      incidentId: ctx.incidentId ?? null,
    };
    const payload = JSON.stringify({ action: action.name, ...which, reason: ctx.reason });
    for (let attempt = 0; attempt <= action.retries && !this.stopped; attempt++) {
      if (attempt > 0) await this.sleep(this.o.config.retryBackoffMs * 2 ** (attempt - 1));
      run.attempts = attempt + 1;
      try {
        const res = await fetch(action.url, {
          method: action.method,
          headers: { 'content-type': 'application/json', 'idempotency-key': `${run.id}`, ...action.headers },
          body: payload,
          signal: AbortSignal.timeout(action.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        run.lastResult = `HTTP ${res.status}`;
        if (res.ok) {
          run.outcome = 'succeeded';
          break;
        }
      } catch (err) {
        run.lastResult = (err as Error).name === 'TimeoutError' ? `timed out after ${action.timeoutMs} ms` : `request failed: ${(err as Error).message}`;
      }
    }
    if (run.outcome === 'running') run.outcome = 'failed';
    // An approved run is audited by its route (the key that approved it, the outcome); an automatic one here.
    if (ctx.trigger === 'automatic')
      await this.o.audit
        .record({
          keyId: 'system',
          keyName: ctx.actor,
          action: 'remediation.run',
          target: action.name,
          status: 0,
          ip: '',
          details: { ...which, outcome: run.outcome, attempts: run.attempts, lastResult: run.lastResult },
        })
        .catch((err: unknown) => this.o.log.error({ err }, 'could not audit a remediation run'));
    const incidentId = ctx.incidentId ?? (ctx.signalKey ? await this.incidentWithSignal(ctx.signalKey) : undefined);
    if (incidentId) {
      run.incidentId = incidentId;
      const text = `Remediation "${action.name}" (${action.kind}, ${ctx.trigger === 'automatic' ? 'automatic on a failed release' : `approved by ${ctx.actor}`}) ${run.outcome} after ${run.attempts} attempt${run.attempts === 1 ? '' : 's'}: ${run.lastResult}`;
      await this.note(incidentId, text);
      if (run.outcome === 'succeeded') this.verifyLater(run, incidentId);
    }
    this.o.log.info({ run: run.id, action: action.name, outcome: run.outcome, attempts: run.attempts }, 'remediation ran');
    return run;
  }

  /** Waits for runs in flight (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.settled();
  }

  /**
   * Watches whether the incident's signal recovers: noted as soon as it does, or as not recovered
   * once `verifyAfterMs` passed (polled, so a quick recovery is on the timeline quickly).
   */
  private verifyLater(run: RemediationRun, incidentId: string): void {
    const deadline = Date.now() + this.o.config.verifyAfterMs;
    const check = (): void => {
      this.track(
        this.recovered(run, incidentId).then(async (recovered) => {
          if (this.stopped) return;
          if (!recovered && Date.now() < deadline) {
            const timer = setTimeout(
              () => {
                this.timers.delete(timer);
                check();
              },
              Math.min(verifyPollMs, this.o.config.verifyAfterMs),
            );
            timer.unref();
            this.timers.add(timer);
            return;
          }
          run.verification = recovered ? 'recovered' : 'not-recovered';
          await this.note(
            incidentId,
            `Verification of "${run.action}": ${recovered ? 'the signal recovered' : `the signal had not recovered ${Math.round(this.o.config.verifyAfterMs / 1000)} s later`}`,
          );
        }),
      );
    };
    check();
  }

  private async recovered(run: RemediationRun, incidentId: string): Promise<boolean> {
    const release = run.deploymentId ? this.o.releaseRecovered(run.deploymentId) : undefined;
    if (release !== undefined) return release;
    const incident = await this.incidents?.get(incidentId);
    return incident ? incident.record.status === 'resolved' || incident.record.signals.every((s) => s.status === 'recovered') : false;
  }

  private async incidentWithSignal(key: string): Promise<string | undefined> {
    for (let i = 0; i < incidentLookupAttempts && this.incidents && !this.stopped; i++) {
      const { incidents } = await this.incidents.list({ openOnly: true, limit: 200 });
      const found = incidents.find((x) => x.signals.some((s) => s.key === key));
      if (found) return found.id;
      await this.sleep(200);
    }
    return undefined;
  }

  private async note(incidentId: string, text: string): Promise<void> {
    await this.incidents
      ?.note(incidentId, 'vigil remediation', text)
      .catch((err: unknown) => this.o.log.warn({ err, incidentId }, 'could not write a remediation on the timeline'));
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((err: unknown) => this.o.log.error({ err }, 'remediation failed')).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Backoff between attempts; not cancelled by stop(), whose wait for runs in flight it would hang. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
