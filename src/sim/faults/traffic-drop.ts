// Upstream traffic to the frontend falls by 70% (a CDN or DNS problem in front of the shop):
// nothing errors, requests just stop arriving. Truth: a traffic change at the frontend.

import { truthOf, untilCleared } from './builders.js';
import type { FaultDefinition } from './fault.js';

export const trafficDrop: FaultDefinition = {
  name: 'traffic-drop',
  summary: 'upstream traffic to frontend drops 70%',
  ...truthOf('frontend', 'traffic-change', []),
  affectedServices: ['frontend'],
  recoveryMs: 0,
  apply: untilCleared((conditions) => {
    conditions.trafficFactor *= 0.3;
  }),
};
