// The demo shop exporting to an in-process OTLP receiver for a suite's tests: the same quick
// settings (15 rps, metrics every second, no scheduled deploys) whether the shop runs in process or
// on its worker thread, started before the suite and stopped after it.
import { after, before } from 'node:test';
import { startOtlpReceiver, type OtlpReceiver } from '../../../test/support/otlp-receiver.js';
import type { DemoShopOptions } from '../shop.js';

export interface ShopRig<Shop> {
  receiver: OtlpReceiver;
  shop: Shop;
}

/** Registers the suite's hooks; call inside `describe`. `start` is startDemoShop or startDemoShopThread. */
export function shopExportingToReceiver<Shop extends { stop(): Promise<void> }>(start: (options: DemoShopOptions) => Promise<Shop>): ShopRig<Shop> {
  const rig = {} as ShopRig<Shop>;
  before(async () => {
    rig.receiver = await startOtlpReceiver();
    rig.shop = await start({ otlpUrl: rig.receiver.url, apiKey: 'test-key', controlPort: 0, rps: 15, metricIntervalMs: 1000, deployEveryMs: 0 });
  });
  after(async () => {
    await rig.shop.stop();
    await rig.receiver.close();
  });
  return rig;
}
