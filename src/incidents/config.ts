// The `incidents:` section of vigil.yaml: how signals are grouped, when an incident reopens or
// clears itself, which services and journeys count as customer-facing, and runbooks to link.
import { z } from 'zod';

const positive = z.number().positive();
const ratio = z.number().gt(0).max(1);

const signalKinds = [
  'error-rate',
  'latency',
  'throughput-drop',
  'throughput-surge',
  'change-point',
  'saturation',
  'saturation-forecast',
  'new-log-pattern',
  'log-pattern-spike',
  'new-exception',
  'silence',
  'metric-anomaly',
  'slo-burn',
  'synthetic-failure',
  'synthetic-latency',
  'slo-ticket',
  'user-rule',
] as const;

/** A journey whose breakage makes an incident more severe: by name, optionally pinned to a service/route. */
const journeySchema = z.union([
  z
    .string()
    .min(1)
    .transform((name) => ({ name })),
  z.object({ name: z.string().min(1), service: z.string().min(1).optional(), route: z.string().min(1).optional() }).strict(),
]);

const runbookSchema = z.object({ service: z.string().min(1).optional(), signalKind: z.enum(signalKinds).optional(), url: z.string().min(1) }).strict();

/** Shares and counts at which impact reaches a severity; any one condition is enough. */
const severityLevelSchema = z.object({ failedRatio: ratio, slowRatio: ratio, usersRatio: ratio, users: z.number().int().min(1) }).strict();

const fullSchema = z
  .object({
    /** A signal joins an incident whose last signal activity is at most this far from its onset. */
    correlationWindowMs: positive,
    /** Topology distance (hops in the dependency graph) within which services are related. */
    maxHops: z.number().int().min(0).max(5),
    /** A resolved incident that flares up within this time reopens instead of a new one opening. */
    coolDownMs: z.number().min(0),
    /** All signals recovered for this long → automatic all-clear. */
    stablePeriodMs: positive,
    /** What the all-clear does: resolve, or only mark mitigated for a human to resolve. */
    allClearTo: z.enum(['resolved', 'mitigated']),
    /** Changes this long before an incident's onset are put on its timeline as suspects. */
    changeLookbackMs: z.number().min(0),
    /** Customer-facing services; empty: the dependency graph decides (services nobody calls). */
    entryServices: z.array(z.string().min(1)),
    /** Span/log attribute that identifies a user or tenant (enduser.id by default). */
    userAttribute: z.string().min(1),
    criticalJourneys: z.array(journeySchema),
    runbooks: z.array(runbookSchema),
    /** Signal kinds that never open an incident alone (a traffic surge is not a problem by itself) but join one. */
    attachOnlyKinds: z.array(z.enum(signalKinds)),
    /**
     * Signal kinds that open an incident only when a change of their service's version brought them
     * (a new exception first seen in the version just deployed); otherwise they join one as context.
     */
    openWithChangeKinds: z.array(z.enum(signalKinds)),
    /** Signals scoring below this join incidents but do not open one. */
    minOpenScore: z.number().min(0).max(1),
    /** Incident duration after which a medium or low impact is raised one level. */
    longDurationMs: positive,
    severity: z.object({ critical: severityLevelSchema, high: severityLevelSchema, medium: severityLevelSchema }).strict(),
    /** Resolved incidents kept in memory for look-ups (the store keeps all of them). */
    retainResolved: z.number().int().min(0),
    /** Signal copies kept per incident (oldest recovered ones are dropped first). */
    maxSignalsPerIncident: z.number().int().min(1),
  })
  .strict();

export type IncidentConfig = z.infer<typeof fullSchema>;
export type CriticalJourney = IncidentConfig['criticalJourneys'][number];
export type RunbookRule = IncidentConfig['runbooks'][number];

/** The `incidents:` section as users write it: everything optional. */
export const incidentConfigSchema = fullSchema
  .extend({
    severity: z
      .object({ critical: severityLevelSchema.partial(), high: severityLevelSchema.partial(), medium: severityLevelSchema.partial() })
      .partial()
      .strict(),
  })
  .partial();

export type IncidentConfigInput = z.input<typeof incidentConfigSchema>;

export const defaultIncidentConfig: IncidentConfig = {
  correlationWindowMs: 15 * 60_000,
  maxHops: 2,
  coolDownMs: 30 * 60_000,
  stablePeriodMs: 10 * 60_000,
  allClearTo: 'resolved',
  changeLookbackMs: 60 * 60_000,
  entryServices: [],
  userAttribute: 'enduser.id',
  criticalJourneys: [],
  runbooks: [],
  attachOnlyKinds: ['throughput-surge'],
  openWithChangeKinds: ['new-exception', 'new-log-pattern'],
  minOpenScore: 0,
  longDurationMs: 30 * 60_000,
  severity: {
    critical: { failedRatio: 0.1, slowRatio: 0.5, usersRatio: 0.1, users: 1000 },
    high: { failedRatio: 0.02, slowRatio: 0.2, usersRatio: 0.02, users: 100 },
    medium: { failedRatio: 0.002, slowRatio: 0.05, usersRatio: 0.002, users: 5 },
  },
  retainResolved: 500,
  maxSignalsPerIncident: 500,
};

type Levels = IncidentConfig['severity'];
type LevelsInput = Partial<{ [K in keyof Levels]: Partial<Levels[K]> }>;

/** Defaults overlaid with what the user wrote (already parsed, or a partial built in code). */
export function resolveIncidentConfig(input: Partial<Omit<IncidentConfig, 'severity'>> & { severity?: LevelsInput } = {}): IncidentConfig {
  const d = defaultIncidentConfig;
  const s = input.severity ?? {};
  return Object.freeze({
    ...d,
    ...stripUndefined(input),
    severity: {
      critical: { ...d.severity.critical, ...stripUndefined(s.critical ?? {}) },
      high: { ...d.severity.high, ...stripUndefined(s.high ?? {}) },
      medium: { ...d.severity.medium, ...stripUndefined(s.medium ?? {}) },
    },
  });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
