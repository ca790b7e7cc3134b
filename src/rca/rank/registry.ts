// The root-cause rules in use. A new kind of evidence is a new file in rules/ plus one entry here.

import { changeAlignment } from './rules/changeAlignment.js';
import { dependencyHealth } from './rules/dependencyHealth.js';
import { errorOrigin } from './rules/errorOrigin.js';
import { firstAnomaly } from './rules/firstAnomaly.js';
import { logSignals } from './rules/logSignals.js';
import { resourceShift } from './rules/resourceShift.js';
import { saturation } from './rules/saturation.js';
import { selfTime } from './rules/selfTime.js';
import { trafficChange } from './rules/trafficChange.js';
import { versionConfinement } from './rules/versionConfinement.js';
import type { RcaRule } from './types.js';

export const defaultRcaRules: readonly RcaRule[] = [
  changeAlignment,
  versionConfinement,
  saturation,
  resourceShift,
  errorOrigin,
  selfTime,
  dependencyHealth,
  firstAnomaly,
  logSignals,
  trafficChange,
];
