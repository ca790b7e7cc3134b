// shipping leaks its rate-quote cache: memory climbs ~60 MB/min toward the 512 MB limit, GC
// pauses slow it down near the top, then the process is OOM-killed and restarts (503s), and again.

import { truthOf, untilCleared } from './builders.js';
import type { FaultDefinition } from './fault.js';

export const memoryLeak: FaultDefinition = {
  name: 'memory-leak',
  summary: 'shipping leaks memory to its 512 MB limit: GC slowdowns, then OOM restarts',
  ...truthOf('shipping', 'resource-exhaustion', [{ rootService: 'shipping', rootKind: 'saturation' }]),
  affectedServices: ['shipping', 'checkout', 'frontend'],
  recoveryMs: 0,
  apply: untilCleared((conditions) => {
    conditions.memoryLeakMbPerMin.set('shipping', (conditions.memoryLeakMbPerMin.get('shipping') ?? 0) + 60);
  }),
};
