// Entry of the demo shop's worker thread (see shop-thread.ts): starts the shop with the options it
// was given and answers the parent's requests.

import { parentPort, workerData } from 'node:worker_threads';
import { startDemoShop } from './shop.js';
import type { DemoShopOptions } from './shop.js';
import type { ShopReady, ShopReply, ShopRequest } from './shop-thread.js';

const port = parentPort;
if (!port) throw new Error('shop-worker.js runs only as a worker thread');
const shop = await startDemoShop(workerData as DemoShopOptions);
port.postMessage({ ready: true, frontendUrl: shop.frontendUrl, controlUrl: shop.controlUrl } satisfies ShopReady);
port.on('message', (req: ShopRequest) => {
  const run = async (): Promise<unknown> => {
    switch (req.op) {
      case 'inject':
        return shop.inject(req.name);
      case 'clear':
        return shop.clear(req.name);
      case 'status':
        return shop.status();
      case 'stop':
        return shop.stop();
    }
  };
  run().then(
    (value) => port.postMessage({ id: req.id, ok: true, value } satisfies ShopReply),
    (err: unknown) => port.postMessage({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies ShopReply),
  );
});
