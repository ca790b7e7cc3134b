// The seed case: payment v2.3 raises the settlement batch size, each batch holds payment-db
// connections far longer, the pool (50) saturates and POST /pay times out acquiring connections.
// Truth: a bad deploy of payment (rolling back fixes it); the saturated payment-db pool is the mechanism.

import { deployFault, poolHeldLonger } from './builders.js';

const EXTRA_HELD = 72; // settlement batches of 1000 rows hold ~18 connections each, 4 in parallel

export const poolExhaustionDeploy = deployFault({
  name: 'pool-exhaustion-deploy',
  summary: 'payment deploy raises the settlement batch size 100 → 1000; payment-db pool 50/50, POST /pay times out',
  service: 'payment',
  alsoAccepted: [{ rootService: 'payment-db', rootKind: 'saturation' }],
  affectedServices: ['payment', 'checkout', 'frontend'],
  description: 'settlement: raise batch size from 100 to 1000 rows to cut settlement time',
  clearDescription: 'rollback: settlement batch size back to 100',
  flag: { key: 'app.settlement.batch_size', on: '1000', off: '100' },
  recoveryMs: 60_000,
  // The first big batch starts ~30 s after rollout; pressure builds over ~3 minutes.
  apply: poolHeldLonger({ pool: 'payment->payment-db', extraHeld: EXTRA_HELD, delayMs: 30_000, buildMs: 150_000, drainMs: 60_000 }),
});
