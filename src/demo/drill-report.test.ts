// The drill summary must compute the figures the goals are stated in: detection count, median
// time to detect, false incidents, RCA@1 and RCA@3.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DrillResult } from './drill-score.js';
import { formatDrillTable, summarizeDrills } from './drill-report.js';

function result(fault: string, ttdS: number | undefined, at1: boolean, at3: boolean, falseIncidents = 0): DrillResult {
  return {
    fault,
    mode: 'replay',
    truth: { rootService: 'payment', rootKind: 'bad-deploy' },
    detected: ttdS !== undefined,
    timeToDetectMs: ttdS === undefined ? undefined : ttdS * 1000,
    topRootCause: { service: 'payment', kind: at1 ? 'bad-deploy' : 'saturation' },
    rcaAt1: at1,
    rcaAt3: at3,
    falseIncidents,
    falseIncidentTitles: falseIncidents ? ['noise'] : [],
    duplicates: 0,
    timeToAllClearMs: 120_000,
    spans: 1000,
    replayWallMs: 5000,
  };
}

void describe('drill report', () => {
  void it('summarizes detection, median time to detect, false incidents and RCA accuracy', () => {
    const s = summarizeDrills([
      result('a', 30, true, true),
      result('b', 90, false, true, 2),
      result('c', undefined, false, false),
      result('d', 50, true, true),
    ]);
    assert.equal(s.faults, 4);
    assert.equal(s.detected, 3);
    assert.equal(s.medianTimeToDetectS, 50);
    assert.equal(s.falseIncidents, 2);
    assert.equal(s.rcaAt1, 0.5);
    assert.equal(s.rcaAt3, 0.75);
  });

  void it('prints one row per fault and the goals', () => {
    const table = formatDrillTable([result('pool-exhaustion-deploy', 42, true, true)]);
    assert.match(table, /pool-exhaustion-deploy\s+payment bad-deploy\s+yes\s+42 s/);
    assert.match(table, /median TTD\s+42 s\s+\(goal: <= 60 s\)/);
    assert.match(table, /RCA@1\s+100%/);
  });
});
