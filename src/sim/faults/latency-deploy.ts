// A catalog deploy that enriches every product with extra lookups: the new version's handlers are
// about three times slower, so catalog (and the frontend pages on top of it) double in latency.

import type { FaultDefinition } from './fault.js';

export const latencyDeploy: FaultDefinition = {
  name: 'latency-deploy',
  summary: 'catalog deploy adds per-product enrichment; catalog latency doubles',
  truth: { rootService: 'catalog', rootKind: 'bad-deploy' },
  alsoAccepted: [{ rootService: 'catalog', rootKind: 'code-error' }],
  affectedServices: ['catalog', 'frontend', 'cart'],
  change: {
    service: 'catalog',
    kind: 'deploy',
    description: 'product pages: enrich products with reviews and stock per item',
    clearDescription: 'rollback: product enrichment',
    attributes: { 'app.feature.enrichment': 'on' },
    clearAttributes: { 'app.feature.enrichment': 'off' },
  },
  recoveryMs: 0,
  apply(conditions, activity) {
    if (activity.sinceClearMs !== undefined) return;
    conditions.serviceEffects.push({ service: 'catalog', version: activity.faultVersion, latencyFactor: 3.2, errors: [] });
  },
};
