// Release validation over HTTP: one deployment with its verdict and report, the canary judge in
// the contract's shape and in the shapes Argo Rollouts (web metric: GET or POST, JSON read by a
// jsonPath) and Flagger (webhook: 200 passes, anything else fails) call, and remediation actions
// suggested for an incident and run on approval. The list of deployments lives in changes.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ChangeEvent } from '../../model/index.js';
import type { CanaryJudgement } from '../../release/index.js';
import { listChanges } from '../../store/index.js';
import { access } from '../access.js';
import { audited } from '../audit-hook.js';
import { ApiError, availablePort } from '../errors.js';
import { parseBody, timeSchema } from '../params.js';
import type { ApiDeps, ReleasePort } from '../ports.js';
import { changeView, iso } from '../views.js';
import {
  canaryJudgementSchema,
  deploymentDetailSchema,
  remediationRunSchema,
  remediationsSchema,
  type CanaryJudgementAnswer,
  type DeploymentAnswer,
} from '../schemas/changes.js';
import { documentAnswer, errorAnswers, jsonAnswer, keyedErrors } from '../schemas/common.js';

const name = z.string().trim().min(1).max(200);
const judgeBody = z
  .object({
    service: name,
    baselineVersion: name,
    canaryVersion: name,
    route: z.string().trim().min(1).max(500).optional(),
    from: timeSchema.optional(),
    to: timeSchema.optional(),
  })
  .strict();
/** How far back a judge looks when `from` is not given (Argo's and Flagger's analysis steps are minutes). */
const defaultJudgeWindowMs = 10 * 60_000;
const maxJudgeWindowMs = 24 * 3_600_000;

/** A deployment as the contract shows it: the change plus its verdict (and confidence when known). */
export async function deploymentView(c: ChangeEvent, release: ReleasePort | undefined): Promise<DeploymentAnswer> {
  const r = release?.record(c.id);
  const base = changeView(c);
  const verdict = r
    ? {
        status: r.verdict.status,
        ...(r.verdict.decidedAtMs !== undefined ? { decidedAt: iso(r.verdict.decidedAtMs) } : {}),
        summary: r.verdict.summary,
        evidence: r.verdict.evidence.map((e) => ({
          signal: e.signal,
          ...(e.route ? { route: e.route } : {}),
          baseline: e.baseline,
          candidate: e.candidate,
          change: e.change,
          confidence: e.confidence,
          unit: e.unit,
          failing: e.failing,
          summary: e.summary,
        })),
      }
    : {
        status: 'inconclusive' as const,
        summary: release
          ? 'not judged: release validation no longer holds this deploy (older than its memory, or recorded before it watched)'
          : 'not judged: release validation is not running',
        evidence: [],
      };
  const confidence = r && release?.confidenceOf ? await release.confidenceOf(r) : undefined;
  // The contract's `previousVersion?`: absent, not null, when neither the record nor the engine knows it.
  const { previousVersion: recorded, ...rest } = base;
  const previousVersion = recorded || r?.deployment.previousVersion;
  return {
    ...rest,
    version: c.version,
    ...(previousVersion ? { previousVersion } : {}),
    verdict,
    ...(r?.mode ? { comparison: r.mode, watchUntil: iso(r.windowEndMs) } : {}),
    ...(r?.reference
      ? {
          baseline: {
            kind: r.reference.kind,
            ...(r.reference.days !== undefined ? { days: r.reference.days } : {}),
            description: r.reference.note,
            ...(r.reference.awaiting ? { lookingUp: true } : {}),
          },
        }
      : {}),
    // The smoke checks the deploy triggered and each of their runs (check, result, duration, trace).
    ...(r?.smoke?.length
      ? {
          smoke: r.smoke.map((x) => ({
            check: x.check,
            status: x.status,
            runs: x.runs.map((run) => ({
              at: iso(run.atMs),
              ok: run.ok,
              durationMs: Math.round(run.durationMs),
              ...(run.traceId ? { traceId: run.traceId } : {}),
              ...(run.error ? { error: run.error } : {}),
            })),
          })),
        }
      : {}),
    // The port answers unknown (a value or a promise); the server's is the confidence module's Confidence.
    ...(confidence !== undefined ? { confidence: confidence as DeploymentAnswer['confidence'] } : {}),
  };
}

export function registerReleaseRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const release = (): ReleasePort => availablePort(deps.release, 'release validation is not running in this Vigil');

  app.get<{ Params: { id: string } }>(
    '/api/v1/deployments/:id',
    {
      ...access('read'),
      schema: {
        summary: 'One deployment with its verdict and release report (JSON, or format=md|html)',
        response: { 200: documentAnswer(deploymentDetailSchema, 'the deployment'), ...keyedErrors(400, 404) },
      },
    },
    async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      const format = typeof q.format === 'string' ? q.format : q.format === undefined ? 'json' : '';
      if (!['json', 'md', 'html'].includes(format)) throw new ApiError('VIGIL_BAD_REQUEST', 'format must be json, md or html');
      const change = await findDeployment(deps, req.params.id);
      if (!change) throw new ApiError('VIGIL_NOT_FOUND', `no deployment ${req.params.id}`);
      const r = deps.release?.record(change.id);
      const report = r
        ? await release().report(r, 'md')
        : `# Release report: ${change.service} ${change.version}\n\nNot judged: release validation holds no verdict for this deploy.\n`;
      if (format === 'md') return reply.type('text/markdown; charset=utf-8').send(report);
      if (format === 'html') {
        if (!r) throw new ApiError('VIGIL_NOT_FOUND', `no release report for deployment ${change.id}`);
        return reply.type('text/html; charset=utf-8').send(await release().report(r, 'html'));
      }
      return { ...(await deploymentView(change, deps.release)), report };
    },
  );

  // The contract's judge, one answer whether its parameters come as a body or in the query.
  const judgeOptions = (summary: string) => ({ ...access('read'), schema: { summary, response: { 200: canaryJudgementSchema, ...keyedErrors(400, 404) } } });
  const judged = async (input: unknown): Promise<CanaryJudgementAnswer> => {
    const b = parseBody(judgeBody, input);
    return judgeView(await judge(b.service, b.baselineVersion, b.canaryVersion, b.from, b.to, b.route));
  };

  // Argo Rollouts' web provider may POST the same body (jsonBody).
  app.post('/api/v1/canary/judge', judgeOptions('Judge a canary against its baseline version'), async (req) => judged(req.body));

  // Argo Rollouts' web metric provider with a GET: the same answer, parameters in the query.
  app.get('/api/v1/canary/judge', judgeOptions("The canary judge for Argo Rollouts' web metric (parameters in the query)"), async (req) => {
    const q = req.query as Record<string, unknown>;
    return judged({
      service: q.service,
      baselineVersion: q.baselineVersion,
      canaryVersion: q.canaryVersion,
      ...(q.route !== undefined ? { route: q.route } : {}),
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
    });
  });

  // Flagger's webhook: it cannot send headers, so its key may ride in metadata.apiKey (checked
  // here, read scope, never logged); 200 advances the canary, 412 (fail) and 425 (too little
  // traffic yet) halt it.
  app.post(
    '/api/v1/canary/flagger',
    {
      ...access('public'),
      schema: {
        summary: "Flagger's webhook: 200 advances the canary, 412 and 425 halt it",
        response: {
          200: jsonAnswer(canaryJudgementSchema, 'pass'),
          412: jsonAnswer(canaryJudgementSchema, 'fail'),
          425: jsonAnswer(canaryJudgementSchema, 'inconclusive: too little traffic yet'),
          ...errorAnswers(true, 400, 404),
        },
      },
    },
    async (req, reply) => {
      const body = parseBody(flaggerBody, req.body);
      const m = body.metadata;
      const key = deps.keys.identify(req.headers.authorization ?? (m.apiKey ? `Bearer ${m.apiKey}` : undefined));
      if (!key) throw new ApiError('VIGIL_UNAUTHORIZED', 'missing or unknown API key: send Authorization: Bearer <key> or metadata.apiKey');
      if (!key.scopes.has('read')) throw new ApiError('VIGIL_FORBIDDEN', 'this key lacks the "read" scope');
      if (!m.baselineVersion || !m.canaryVersion) throw new ApiError('VIGIL_BAD_REQUEST', 'metadata.baselineVersion and metadata.canaryVersion are required');
      const windowMs = m.window !== undefined ? parseWindow(m.window) : defaultJudgeWindowMs;
      const toMs = deps.clock.now();
      const j = await judge(m.service ?? body.name, m.baselineVersion, m.canaryVersion, toMs - windowMs, toMs, m.route);
      return reply.status(j.verdict === 'pass' ? 200 : j.verdict === 'fail' ? 412 : 425).send(judgeView(j));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/incidents/:id/remediations',
    {
      ...access('read'),
      schema: { summary: "Remediation actions for an incident's services and the runs so far", response: { 200: remediationsSchema, ...keyedErrors(404) } },
    },
    async (req) => release().remediations(req.params.id),
  );

  app.post<{ Params: { id: string; action: string } }>(
    '/api/v1/incidents/:id/remediations/:action/run',
    {
      ...audited(access('write'), 'remediation.run'),
      schema: { summary: 'Run a remediation action on approval', response: { 200: remediationRunSchema, ...keyedErrors(404, 409) } },
    },
    async (req) => {
      const run = await release().runRemediation(req.params.id, req.params.action, req.vigilKey?.name ?? 'unknown');
      req.auditNote = { target: req.params.action, details: { incident: req.params.id, runId: run.id, outcome: run.outcome, attempts: run.attempts } };
      return run;
    },
  );

  async function judge(
    service: string,
    baselineVersion: string,
    canaryVersion: string,
    from: number | undefined,
    to: number | undefined,
    route?: string,
  ): Promise<CanaryJudgement> {
    const toMs = to ?? deps.clock.now();
    const fromMs = from ?? toMs - defaultJudgeWindowMs;
    if (fromMs >= toMs) throw new ApiError('VIGIL_BAD_REQUEST', '"from" must be before "to"');
    if (toMs - fromMs > maxJudgeWindowMs) throw new ApiError('VIGIL_BAD_REQUEST', 'the judged window may span at most 24 h');
    if (baselineVersion === canaryVersion) throw new ApiError('VIGIL_BAD_REQUEST', 'baselineVersion and canaryVersion must differ');
    return release().judge({ service, baselineVersion, canaryVersion, fromMs, toMs, ...(route ? { route } : {}) });
  }
}

const flaggerBody = z
  .object({
    name: name,
    namespace: z.string().max(200).optional(),
    phase: z.string().max(100).optional(),
    checksum: z.string().max(200).optional(),
    metadata: z
      .object({
        service: name.optional(),
        baselineVersion: name.optional(),
        canaryVersion: name.optional(),
        route: z.string().trim().min(1).max(500).optional(),
        window: z.string().max(20).optional(),
        apiKey: z.string().max(500).optional(),
      })
      .catchall(z.string().max(2000))
      .prefault({}),
  })
  .passthrough();

function parseWindow(text: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'] : NaN;
  if (!(ms > 0 && ms <= maxJudgeWindowMs)) throw new ApiError('VIGIL_BAD_REQUEST', 'metadata.window must be a duration like 5m (at most 24h)');
  return ms;
}

function judgeView(j: CanaryJudgement): CanaryJudgementAnswer {
  return {
    verdict: j.verdict,
    score: j.score,
    reasons: j.reasons,
    canaryRequests: j.canaryRequests,
    baselineRequests: j.baselineRequests,
    evidence: j.evidence,
    routes: j.routes,
    ...(j.worstRoute ? { worstRoute: j.worstRoute } : {}),
  };
}

async function findDeployment(deps: ApiDeps, id: string): Promise<ChangeEvent | undefined> {
  if (id.length > 200) throw new ApiError('VIGIL_BAD_REQUEST', 'deployment id too long');
  const r = deps.release?.record(id);
  const changes = await listChanges(deps.store, { kinds: ['deploy'], ...(r ? { service: r.deployment.service } : {}), limit: 1000 });
  const found = changes.find((c) => c.id === id);
  if (found || !r) return found;
  const d = r.deployment;
  return {
    id: d.id,
    service: d.service,
    kind: 'deploy',
    timeMs: d.timeMs,
    version: d.version,
    previousVersion: d.previousVersion,
    environment: '',
    commit: '',
    description: '',
    source: 'inferred',
    attributes: {},
  };
}
