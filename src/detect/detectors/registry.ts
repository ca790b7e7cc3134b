// The detector registry: evaluation order is this order (so signals of one bucket come out in
// it). A new detector is a new file plus one entry here (and one in detectorSettingsRegistry when
// it has a `detect:` section of its own).
import type { Detector } from '../detector.js';
import { errorRateDetector, errorRateSettings } from './error-rate.js';
import { latencyDetector, latencySettings } from './latency.js';
import { throughputDetector, throughputSettings } from './throughput.js';
import { changePointDetector, changePointSettings } from './change-point.js';
import { saturationDetector, saturationSettings } from './saturation.js';
import { silenceDetector, silenceSettings } from './silence.js';
import { logPatternDetector, logsSettings } from './log-patterns.js';
import { newExceptionDetector } from './new-exception.js';
import { metricAnomalyDetector, metricAnomalySettings } from './metric-anomaly.js';
import { resourceShiftDetector } from './resource-shift.js';
import { requestMetricsDetector } from './request-metrics.js';

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
  requestMetricsDetector,
];

/**
 * The detectors' own sections of `detect:`, in the file's order (the new-exception detector shares
 * `logs` with the log-pattern one). detect/config.ts assembles the schema, defaults and merge.
 */
export const detectorSettingsRegistry = [
  errorRateSettings,
  latencySettings,
  throughputSettings,
  changePointSettings,
  saturationSettings,
  silenceSettings,
  logsSettings,
  metricAnomalySettings,
] as const;
