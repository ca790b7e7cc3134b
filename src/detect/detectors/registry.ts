// The detector registry: evaluation order is this order (so signals of one bucket come out in
// it). A new detector is a new file plus one entry here.
import type { Detector } from '../detector.js';
import { errorRateDetector } from './error-rate.js';
import { latencyDetector } from './latency.js';
import { throughputDetector } from './throughput.js';
import { changePointDetector } from './change-point.js';
import { saturationDetector } from './saturation.js';
import { silenceDetector } from './silence.js';
import { logPatternDetector } from './log-patterns.js';
import { newExceptionDetector } from './new-exception.js';
import { metricAnomalyDetector } from './metric-anomaly.js';
import { resourceShiftDetector } from './resource-shift.js';

// Each detector owns its state type; the engine stores them opaquely by name.
export const detectorRegistry: ReadonlyArray<Detector<unknown>> = [
  errorRateDetector,
  latencyDetector,
  throughputDetector,
  changePointDetector,
  saturationDetector,
  silenceDetector,
  logPatternDetector,
  newExceptionDetector,
  metricAnomalyDetector,
  resourceShiftDetector,
];
