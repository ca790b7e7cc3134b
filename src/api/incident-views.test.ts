// The incident JSON the API answers with, shaped from the typed record: exact field by field, and
// identical for rows stored before records were typed (the API's view itself was stored then).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changeOf, signalOf } from '../incidents/testing/scenarios.js';
import type { IncidentRecord } from '../model/index.js';
import { recordOf } from '../store/queries/incidents.js';
import { incidentSummaryView, incidentView } from './incident-views.js';
import { incidentContext, incidentImpact, incidentRecord, resolvedPaymentIncident, T0 } from './testing/answer-records.js';

const deploy = changeOf({ service: 'payment', timeMs: T0 - 60_000, version: 'v2.3', description: 'batch size 500' });
const firing = signalOf('error-rate', { service: 'payment', route: 'POST /pay' }, T0 + 0.25, { observed: 0.2, baseline: 0.001, score: 0.9 });
const recovered = {
  ...signalOf('latency', { service: 'payment' }, T0 + 1_000, { unit: 'ms', observed: Number.NaN }),
  status: 'recovered' as const,
  endedAtMs: T0 + 600_000,
};

const record: IncidentRecord = {
  ...resolvedPaymentIncident,
  startedAtMs: T0 + 0.25,
  changes: [deploy],
  signals: [firing, recovered],
  similarIncidents: [{ incidentId: '3', similarity: 0.8, title: 'Payment errors', resolution: 'rolled back', openActionItems: [] }],
  signature: { ...incidentRecord.signature, fingerprints: [], templates: [] },
};

/** The summary fields both views show, as the API answers them: the record's own, times in ISO. */
const { id, title, status, severity, severityReason, services } = resolvedPaymentIncident;
const recordFieldsShown = { id, title, status, severity, severityReason, services };
const summaryShown = {
  ...recordFieldsShown,
  startedAt: '2026-11-02T14:00:00.000Z',
  detectedAt: '2026-11-02T14:00:30.000Z',
  acknowledgedAt: '2026-11-02T14:01:00.000Z',
  resolvedAt: '2026-11-02T14:15:00.000Z',
};

void test('an incident record is shown with ISO times, trimmed signals and changes, nulls for what it lacks, and its resolution', () => {
  const timeline = [
    { atMs: T0 + 30_000, kind: 'state' as const, text: 'Opened' },
    { atMs: T0 + 900_000, kind: 'state' as const, text: 'Resolved by ana: rolled back payment to v2.2', actor: 'ana', data: { status: 'resolved' } },
  ];
  assert.deepEqual(JSON.parse(JSON.stringify(incidentView(record, timeline))), {
    ...summaryShown,
    rootCauses: record.rootCauses,
    impact: null,
    context: null,
    changes: [{ id: deploy.id, service: 'payment', kind: 'deploy', time: '2026-11-02T13:59:00.000Z', version: 'v2.3', description: 'batch size 500' }],
    signals: [
      {
        id: firing.id,
        kind: 'error-rate',
        status: 'firing',
        subject: { service: 'payment', route: 'POST /pay' },
        startedAt: '2026-11-02T14:00:00.000Z',
        detectedAt: '2026-11-02T14:00:30.000Z',
        summary: firing.summary,
        observed: 0.2,
        baseline: 0.001,
        unit: 'ratio',
        score: 0.9,
      },
      {
        id: recovered.id,
        kind: 'latency',
        status: 'recovered',
        subject: { service: 'payment' },
        startedAt: '2026-11-02T14:00:01.000Z',
        detectedAt: '2026-11-02T14:00:31.000Z',
        endedAt: '2026-11-02T14:10:00.000Z',
        summary: recovered.summary,
        observed: null,
        baseline: 0,
        unit: 'ms',
        score: 0.8,
      },
    ],
    similarIncidents: record.similarIncidents,
    runbook: null,
    signature: record.signature,
    resolution: { text: 'rolled back payment to v2.2', actor: 'ana', at: '2026-11-02T14:15:00.000Z' },
    timeline: [
      { at: '2026-11-02T14:00:30.000Z', kind: 'state', text: 'Opened' },
      { at: '2026-11-02T14:15:00.000Z', kind: 'state', text: 'Resolved by ana: rolled back payment to v2.2', actor: 'ana', data: { status: 'resolved' } },
    ],
  });
  assert.deepEqual(incidentSummaryView(record), {
    ...summaryShown,
    topRootCause: { service: 'payment', kind: 'bad-deploy', score: 0.92 },
  });
});

void test('a stored typed record reads back with its numbers (NaN p-values too) and shows the same', () => {
  const back = recordOf(JSON.stringify(record));
  assert.ok(Number.isNaN(back.signals[0]!.pValue));
  assert.equal(back.startedAtMs, T0 + 0.25);
  assert.deepEqual(JSON.stringify(incidentView(back, [])), JSON.stringify(incidentView(record, [])));
});

void test('a row stored as the API view (before typed records) loads as a record the API shows exactly as it was stored', () => {
  const unresolvedRecord: IncidentRecord = { ...record, resolution: undefined };
  delete unresolvedRecord.resolution;
  const legacyBody = JSON.parse(
    JSON.stringify(incidentView({ ...unresolvedRecord, context: incidentContext, impact: incidentImpact, runbook: 'https://runbooks/payment' }, [])),
  ) as Record<string, unknown>;
  delete legacyBody.timeline;
  const loaded = recordOf(JSON.stringify(legacyBody));
  assert.equal(loaded.startedAtMs, T0);
  assert.equal(loaded.changes[0]!.timeMs, T0 - 60_000);
  assert.equal(loaded.signals[1]!.endedAtMs, T0 + 600_000);
  assert.equal(loaded.signals[0]!.key, firing.key);
  const shown = JSON.parse(JSON.stringify(incidentView(loaded, []))) as Record<string, unknown>;
  delete shown.timeline;
  assert.equal(JSON.stringify(shown), JSON.stringify(legacyBody));
  assert.deepEqual(incidentSummaryView(loaded), incidentSummaryView({ ...unresolvedRecord, startedAtMs: T0 }));
});
