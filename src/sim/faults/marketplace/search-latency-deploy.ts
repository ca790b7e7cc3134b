// Marketplace: a search deploy turns on typo-tolerant fuzzy matching for every query; its
// handlers become about four times slower, and the search page with them.

import { deployFault, slowerVersion } from '../builders.js';

export const searchLatencyDeploy = deployFault({
  name: 'search-latency-deploy',
  topology: 'marketplace',
  summary: 'search deploy enables fuzzy matching on every query; search latency ×4',
  service: 'search',
  alsoAccepted: [{ rootService: 'search', rootKind: 'code-error' }],
  affectedServices: ['search', 'web-bff', 'edge-proxy'],
  description: 'search: typo-tolerant fuzzy matching for all queries',
  clearDescription: 'rollback: fuzzy matching',
  flag: { key: 'app.search.fuzzy', on: 'all', off: 'off' },
  apply: slowerVersion('search', 4),
});
