// Marketplace: a search deploy turns on typo-tolerant fuzzy matching for every query; its
// handlers become about four times slower, and the search page with them.

import type { FaultDefinition } from '../fault.js';

export const searchLatencyDeploy: FaultDefinition = {
  name: 'search-latency-deploy',
  topology: 'marketplace',
  summary: 'search deploy enables fuzzy matching on every query; search latency ×4',
  truth: { rootService: 'search', rootKind: 'bad-deploy' },
  alsoAccepted: [{ rootService: 'search', rootKind: 'code-error' }],
  affectedServices: ['search', 'web-bff', 'edge-proxy'],
  change: {
    service: 'search',
    kind: 'deploy',
    description: 'search: typo-tolerant fuzzy matching for all queries',
    clearDescription: 'rollback: fuzzy matching',
    attributes: { 'app.search.fuzzy': 'all' },
    clearAttributes: { 'app.search.fuzzy': 'off' },
  },
  recoveryMs: 0,
  apply(conditions, activity) {
    if (activity.sinceClearMs !== undefined) return;
    conditions.serviceEffects.push({ service: 'search', version: activity.faultVersion, latencyFactor: 4, errors: [] });
  },
};
