// The seed case: payment v2.3 raises the settlement batch size, each batch holds payment-db
// connections far longer, the pool (50) saturates and POST /pay times out acquiring connections.
// Truth: a bad deploy of payment (rolling back fixes it); the saturated payment-db pool is the mechanism.

import { ramp } from '../conditions.js';
import type { FaultDefinition } from './fault.js';

const EXTRA_HELD = 72; // settlement batches of 1000 rows hold ~18 connections each, 4 in parallel

export const poolExhaustionDeploy: FaultDefinition = {
  name: 'pool-exhaustion-deploy',
  summary: 'payment deploy raises the settlement batch size 100 → 1000; payment-db pool 50/50, POST /pay times out',
  truth: { rootService: 'payment', rootKind: 'bad-deploy' },
  alsoAccepted: [{ rootService: 'payment-db', rootKind: 'saturation' }],
  affectedServices: ['payment', 'checkout', 'frontend'],
  change: {
    service: 'payment',
    kind: 'deploy',
    description: 'settlement: raise batch size from 100 to 1000 rows to cut settlement time',
    clearDescription: 'rollback: settlement batch size back to 100',
    attributes: { 'app.settlement.batch_size': '1000' },
    clearAttributes: { 'app.settlement.batch_size': '100' },
  },
  recoveryMs: 60_000,
  apply(conditions, activity) {
    // The first big batch starts ~30 s after rollout; pressure builds over ~3 minutes.
    let level = ramp(activity.sinceOnsetMs - 30_000, 150_000);
    if (activity.sinceClearMs !== undefined) level *= 1 - ramp(activity.sinceClearMs, 60_000);
    const key = 'payment->payment-db';
    conditions.poolHeld.set(key, (conditions.poolHeld.get(key) ?? 0) + EXTRA_HELD * level);
  },
};
