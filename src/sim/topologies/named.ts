// Simulated topologies by name, for the CLI and benches that take `--topology`.

import { DEMO_SHOP } from '../shop.js';
import type { SimTopology } from '../shop.js';
import { MARKETPLACE } from './marketplace.js';

export const TOPOLOGY_NAMES = ['shop', 'marketplace'] as const;

export function topologyNamed(name: string): SimTopology {
  if (name === 'shop') return DEMO_SHOP;
  if (name === 'marketplace') return MARKETPLACE;
  throw new Error(`unknown topology "${name}" (known: ${TOPOLOGY_NAMES.join(', ')})`);
}
