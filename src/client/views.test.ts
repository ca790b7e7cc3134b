// The client's answer types are the API's answer schemas: tsc fails this file when a client type is
// declared by hand again (it would stop being its schema's output) or when a schema change would
// not reach the client's type. The run-time test checks the one place the client refines a schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
// The schema files themselves (the ones api/index.ts re-exports): loading the whole API would slow the test.
import type { changeSchema, deploymentListSchema } from '../api/schemas/changes.js';
import type { reliabilitySchema } from '../api/schemas/follow-up.js';
import { incidentSchema, incidentSummarySchema, type incidentListSchema } from '../api/schemas/incidents.js';
import type { healthSchema } from '../api/schemas/server.js';
import type { coverageSchema, servicesSchema, traceSchema } from '../api/schemas/telemetry.js';
import type {
  ChangeRecorded,
  CoverageView,
  DeploymentView,
  HealthView,
  IncidentPageView,
  IncidentSummaryView,
  IncidentView,
  ReliabilityView,
  ServicesView,
  TraceView,
} from './index.js';

/** True only when A and B are the same type (mutually assignable is not enough: `any` and optional fields differ). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Without<T, K extends PropertyKey> = { [P in keyof T as P extends K ? never : P]: T[P] };
type Is<T extends true> = T;

export type ClientTypesAreTheSchemas = [
  Is<Equal<IncidentSummaryView, z.output<typeof incidentSummarySchema>>>,
  Is<Equal<IncidentPageView, z.output<typeof incidentListSchema>>>,
  Is<Equal<HealthView, z.output<typeof healthSchema>>>,
  Is<Equal<ChangeRecorded, z.output<typeof changeSchema>>>,
  Is<Equal<DeploymentView[], z.output<typeof deploymentListSchema>['deployments']>>,
  Is<Equal<ServicesView, z.output<typeof servicesSchema>>>,
  Is<Equal<TraceView, z.output<typeof traceSchema>>>,
  Is<Equal<ReliabilityView, z.output<typeof reliabilitySchema>>>,
  // Refined answers: every field but the refined ones is the schema's.
  Is<Equal<Without<IncidentView, 'context'>, Without<z.output<typeof incidentSchema>, 'context'>>>,
  Is<Equal<Without<CoverageView, 'services' | 'routes' | 'journeys'>, Without<z.output<typeof coverageSchema>, 'services' | 'routes' | 'journeys'>>>,
];

// The check has teeth: a schema whose severities changed, or which grew a field, is not the client's type.
const renamedSeverities = incidentSummarySchema.extend({ severity: z.enum(['sev1', 'sev2']) });
const grownField = incidentSummarySchema.extend({ owner: z.string() });
export type ChangedSchemasAreNot = [
  // @ts-expect-error the client's summary no longer matches a schema whose severities changed
  Is<Equal<IncidentSummaryView, z.output<typeof renamedSeverities>>>,
  // @ts-expect-error nor one that grew a field
  Is<Equal<IncidentSummaryView, z.output<typeof grownField>>>,
];

void test("an incident the client's type accepts is one the API's schema accepts (the refined context included)", () => {
  const summary: IncidentSummaryView = {
    id: '1',
    title: 'checkout errors',
    status: 'triggered',
    severity: 'high',
    severityReason: '15% of checkout requests fail',
    services: ['checkout'],
    startedAt: '2026-12-06T04:00:00.000Z',
    detectedAt: '2026-12-06T04:01:00.000Z',
  };
  const range = { fromMs: 0, toMs: 1 };
  const incident: IncidentView = {
    ...summary,
    rootCauses: [],
    impact: null,
    context: {
      assembledAtMs: 1,
      onsetMs: 1,
      before: range,
      after: range,
      affectedEndpoints: [],
      errorGroups: [],
      exampleTraces: [],
      logs: [],
      changes: [],
      affectedUsers: { count: 0, total: 0, percent: 0, sample: [] },
      entry: { services: [], requests: 0, failed: 0, slow: 0, slowThresholdMs: 1000 },
      links: { traces: [], logs: [], metrics: [] },
    },
    changes: [],
    signals: [],
    similarIncidents: [],
    runbook: null,
    signature: { services: [], signalKinds: [], fingerprints: [], templates: [], rootCause: '', rootCauseKind: '' },
    timeline: [],
  };
  assert.deepEqual(incidentSchema.parse(incident), incident);
  assert.deepEqual(incidentSummarySchema.parse(summary), summary);
  assert.throws(() => renamedSeverities.parse(summary), /sev1/);
  assert.throws(() => grownField.parse(summary), /owner/);
});
