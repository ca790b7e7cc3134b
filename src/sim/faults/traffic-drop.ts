// Upstream traffic to the frontend falls by 70% (a CDN or DNS problem in front of the shop):
// nothing errors, requests just stop arriving. Truth: a traffic change at the frontend.

import type { FaultDefinition } from './fault.js';

export const trafficDrop: FaultDefinition = {
  name: 'traffic-drop',
  summary: 'upstream traffic to frontend drops 70%',
  truth: { rootService: 'frontend', rootKind: 'traffic-change' },
  alsoAccepted: [],
  affectedServices: ['frontend'],
  recoveryMs: 0,
  apply(conditions, activity) {
    if (activity.sinceClearMs !== undefined) return;
    conditions.trafficFactor *= 0.3;
  },
};
