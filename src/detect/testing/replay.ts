// Drives an engine over generated traffic the way the server does (observe a batch, advance the
// watermark), so tests and benchmarks share one replay loop.
import type { Signal } from '../../model/index.js';
import { DetectionEngine } from '../engine.js';
import type { DetectionConfigInput } from '../config.js';
import { generateTraffic, type TrafficOptions } from './traffic.js';

export interface ReplayResult {
  engine: DetectionEngine;
  signals: Signal[];
  spans: number;
}

export function replayTraffic(options: TrafficOptions, endMs: number, config: DetectionConfigInput = {}, engine = new DetectionEngine(config)): ReplayResult {
  const signals: Signal[] = [];
  let spans = 0;
  for (const chunk of generateTraffic(options, endMs)) {
    for (const change of chunk.changes) engine.observeChange(change);
    engine.observeSpans(chunk.spans);
    signals.push(...engine.advance(chunk.toMs));
    spans += chunk.spans.length;
  }
  return { engine, signals, spans };
}

export function firing(signals: readonly Signal[]): Signal[] {
  return signals.filter((s) => s.status === 'firing');
}
