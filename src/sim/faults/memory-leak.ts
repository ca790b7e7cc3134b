// shipping leaks its rate-quote cache: memory climbs ~60 MB/min toward the 512 MB limit, GC
// pauses slow it down near the top, then the process is OOM-killed and restarts (503s), and again.

import type { FaultDefinition } from './fault.js';

export const memoryLeak: FaultDefinition = {
  name: 'memory-leak',
  summary: 'shipping leaks memory to its 512 MB limit: GC slowdowns, then OOM restarts',
  truth: { rootService: 'shipping', rootKind: 'resource-exhaustion' },
  alsoAccepted: [{ rootService: 'shipping', rootKind: 'saturation' }],
  affectedServices: ['shipping', 'checkout', 'frontend'],
  recoveryMs: 0,
  apply(conditions, activity) {
    if (activity.sinceClearMs !== undefined) return;
    conditions.memoryLeakMbPerMin.set('shipping', (conditions.memoryLeakMbPerMin.get('shipping') ?? 0) + 60);
  },
};
