// A catalog deploy that enriches every product with extra lookups: the new version's handlers are
// about three times slower, so catalog (and the frontend pages on top of it) double in latency.

import { deployFault, slowerVersion } from './builders.js';

export const latencyDeploy = deployFault({
  name: 'latency-deploy',
  summary: 'catalog deploy adds per-product enrichment; catalog latency doubles',
  service: 'catalog',
  alsoAccepted: [{ rootService: 'catalog', rootKind: 'code-error' }],
  affectedServices: ['catalog', 'frontend', 'cart'],
  description: 'product pages: enrich products with reviews and stock per item',
  clearDescription: 'rollback: product enrichment',
  flag: { key: 'app.feature.enrichment', on: 'on', off: 'off' },
  apply: slowerVersion('catalog', 3.2),
});
