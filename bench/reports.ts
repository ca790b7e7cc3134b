// bench:reports — the reliability report over a store holding 10,000 incidents (a year of them,
// typed records with context, root-cause timeline entries, 5,000 action items, 3,000 tickets):
// wall time and CPU of a weekly report and of one spanning the whole year (goal < 2 s), and of
// one review. The history is extracted inside the store (a few fields per body), so the time
// grows with the incidents in the range plus the 90 days before it, not with the bodies' size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import type { IncidentRecord, RootCauseKind, Signal } from '../src/model/index.js';
import { FollowUpService } from '../src/pipeline/index.js';
import { appendTimeline, migrate, openStore, saveActionItem, saveIncidentRecords, saveTickets, type StoredTicket } from '../src/store/index.js';
import { machineLine } from './machine.js';

const INCIDENTS = 10_000;
const GOAL_MS = 2000;
const DAY = 86_400_000;
const T_END = Date.UTC(2026, 10, 30);
const T_START = T_END - 365 * DAY;
const services = ['frontend', 'checkout', 'payment', 'cart', 'catalog', 'search', 'shipping', 'email', 'pricing', 'inventory'];
const kinds: RootCauseKind[] = ['bad-deploy', 'saturation', 'dependency-failure', 'config-change', 'code-error'];

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same history. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function record(i: number, rnd: () => number): IncidentRecord {
  const startedAtMs = T_START + Math.floor((i / INCIDENTS) * 365 * DAY + rnd() * 3_600_000);
  const svc = services[Math.floor(rnd() * services.length)]!;
  const dep = services[(services.indexOf(svc) + 1) % services.length]!;
  const kind = kinds[Math.floor(rnd() * kinds.length)]!;
  const detectedAtMs = startedAtMs + Math.floor(30_000 + rnd() * 240_000);
  const resolved = rnd() < 0.97;
  const signals = Array.from({ length: 4 }, (_, k): Signal => ({
    id: `s${i}-${k}`,
    key: `error-rate|${svc}|POST /r${k}`,
    kind: 'error-rate',
    status: 'recovered',
    subject: { service: k % 2 ? dep : svc, route: `POST /r${k}` },
    startedAtMs,
    detectedAtMs,
    endedAtMs: detectedAtMs + 600_000,
    window: { fromMs: startedAtMs - 60_000, toMs: detectedAtMs },
    observed: 0.12,
    baseline: 0.001,
    unit: 'ratio',
    pValue: 1e-9,
    score: 0.97,
    summary: `error rate of ${svc} POST /r${k} 0.1% → 12% over 1 min (1,204 requests)`,
    evidence: { requests: 1204, errors: 144 },
  }));
  return {
    id: String(i + 1),
    title: `Errors on ${svc} after ${svc} 2.${i % 40}.0 deploy`,
    status: resolved ? 'resolved' : 'triggered',
    severity: (['low', 'medium', 'high', 'critical'] as const)[Math.floor(rnd() * 4)]!,
    severityReason: '2.1% of frontend requests failing (2,410 of 114,200); 312 of 5,210 users affected',
    services: [svc, dep],
    startedAtMs,
    detectedAtMs,
    ...(rnd() < 0.8 ? { acknowledgedAtMs: detectedAtMs + Math.floor(rnd() * 600_000) } : {}),
    ...(resolved ? { resolvedAtMs: detectedAtMs + Math.floor(300_000 + rnd() * 3_000_000) } : {}),
    rootCauses: [
      {
        service: svc,
        kind,
        score: 0.9,
        explanation: `${svc} ${kind}: errors began 40 s after the deploy, only on the new version`,
        evidence: ['errors only on 2.3.0 (144 of 1,204)', 'pool 20/20 in use'],
        nextSteps: ['roll back'],
      },
    ],
    impact: { entryRequests: 114_200, entryFailed: 2410, entrySlow: 300, affectedUsers: 312, totalUsers: 5210, journeysHit: [], durationMs: 900_000 },
    changes: [],
    signals,
    similarIncidents: [],
    // Half carry one of 30 exception fingerprints: fewer identical signatures, more scoring.
    signature: {
      services: [dep, svc].sort(),
      signalKinds: ['error-rate'],
      fingerprints: rnd() < 0.5 ? [`fp-${Math.floor(rnd() * 30)}`] : [],
      templates: [],
      rootCause: `${svc}:${kind}`,
      rootCauseKind: kind,
    },
    ...(resolved && rnd() < 0.6 ? { resolution: { text: `rolled ${svc} back`, actor: 'oncall', atMs: detectedAtMs + 1_800_000 } } : {}),
  };
}

console.log(machineLine());
console.log(
  `load average at start: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-reports-'));
const store = await openStore({ dataDir: dir });
try {
  await migrate(store);
  const rnd = seeded(26);
  const records = Array.from({ length: INCIDENTS }, (_, i) => record(i, rnd));
  const loadStart = performance.now();
  for (let i = 0; i < records.length; i += 1000)
    await saveIncidentRecords(
      store,
      records.slice(i, i + 1000).map((record, k) => ({ record, revision: i + k + 1 })),
    );
  // The root-cause entries the report reads for time to identify (one per incident, in one insert).
  const entries = records.map((r) => ({
    id: r.id,
    entry: {
      atMs: r.detectedAtMs + 60_000,
      kind: 'root-cause' as const,
      text: 'Suspected root cause',
      data: { service: r.rootCauses[0]!.service, rootCauseKind: r.rootCauses[0]!.kind, score: 0.9 },
    },
  }));
  await store.ch.insert({
    table: `${store.database}.incident_timeline`,
    values: entries.map((e) => ({
      incident_id: e.id,
      at: e.entry.atMs * 1000,
      seq: 0,
      kind: e.entry.kind,
      text: e.entry.text,
      actor: '',
      data: JSON.stringify(e.entry.data),
    })),
    format: 'JSONEachRow',
  });
  await appendTimeline(store, records[0]!.id, 1, [{ atMs: records[0]!.detectedAtMs, kind: 'note', text: 'bench' }]);
  for (let i = 0; i < 5000; i++) {
    const r = records[(i * 2) % INCIDENTS]!;
    await saveActionItem(store, {
      id: `ai-${i}`,
      incidentId: r.id,
      title: 'add an alert',
      owner: 'team',
      dueMs: r.startedAtMs + 14 * DAY,
      status: i % 3 ? 'done' : 'open',
      createdAtMs: r.startedAtMs,
      doneAtMs: i % 3 ? r.startedAtMs + DAY : null,
      version: 1,
    });
    if (i % 1000 === 999) process.stdout.write('.');
  }
  const tickets: StoredTicket[] = Array.from({ length: 3000 }, (_, i) => {
    const r = records[(i * 3) % INCIDENTS]!;
    return {
      source: 'api',
      id: `T-${i}`,
      timeMs: r.startedAtMs + (i % 2 ? 30_000 : 600_000),
      title: i % 4 ? `${r.services[0]} keeps failing` : 'invoice font is wrong',
      body: '',
      service: '',
      customer: '',
      receivedAtMs: r.startedAtMs,
    };
  });
  await saveTickets(store, tickets);
  console.log(
    `\nloaded ${INCIDENTS.toLocaleString('en')} incidents (${(JSON.stringify(records).length / INCIDENTS / 1024).toFixed(1)} KiB of JSON each), 5,000 action items, 3,000 tickets in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
  );

  const service = new FollowUpService(store, { now: () => T_END });
  const measure = async (label: string, run: () => Promise<string>): Promise<number> => {
    const times: number[] = [];
    let cpu = 0;
    let detail = '';
    for (let k = 0; k < 2; k++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      detail = await run();
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu += (c.user + c.system) / 1000;
    }
    const best = Math.min(...times);
    console.log(
      `${label}: wall ${times.map((t) => t.toFixed(0)).join(' / ')} ms (best ${best.toFixed(0)}), process CPU ${(cpu / 2).toFixed(0)} ms per run (the whole process, the embedded engine's threads included) — ${detail}`,
    );
    return Math.max(...times);
  };
  const weekly = await measure('weekly report (last 7 days)', async () => {
    const r = await service.reliability(T_END - 7 * DAY, T_END);
    return `${r.incidents} incidents, repeat rate ${r.repeatRate}, MTTR ${r.mttrSeconds} s, ${r.customerReportedFirst} customer-reported first`;
  });
  const yearly = await measure(`whole-year report (all ${INCIDENTS.toLocaleString('en')})`, async () => {
    const r = await service.reliability(T_START, T_END + DAY);
    return `${r.incidents} incidents, repeat rate ${r.repeatRate}, MTTD ${r.mttdSeconds} s, MTTI ${r.mttiSeconds} s, action items ${r.actionItems.done}/${r.actionItems.total}, ${r.customerReportedFirst} customer-reported first`;
  });
  await measure('one review (incident 9000)', async () => {
    const r = await service.review('9000');
    return `${r?.document.sections.length ?? 0} sections, repeat of ${r?.repeatOf?.incidentId ?? 'none'}`;
  });
  const worst = Math.max(weekly, yearly);
  console.log(
    `goal: report < ${GOAL_MS} ms on ${INCIDENTS.toLocaleString('en')} incidents — worst run ${worst.toFixed(0)} ms: ${worst < GOAL_MS ? 'met' : 'MISSED'}`,
  );
  console.log(
    `load average at end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
