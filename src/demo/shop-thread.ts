// Runs the demo shop on a worker thread. The shop's OpenTelemetry http instrumentation then patches
// only the worker's own http module (never Vigil's receivers when both share a process), and the
// worker gets a small young generation: the shop makes short-lived span and log objects at a high
// rate, and under the default 16 MB semi-spaces its heap sat ~35 MB above what it keeps alive.

import { Worker } from 'node:worker_threads';
import type { FaultStatus } from './faults.js';
import type { DemoShop, DemoShopOptions, DemoShopStatus } from './shop.js';

/** The shop as seen from another thread: the same operations, with status read asynchronously. */
export interface DemoShopHandle extends Omit<DemoShop, 'status'> {
  status(): Promise<DemoShopStatus>;
}

/** Worker heap limits: young generation in MB (V8 splits it into semi-spaces), old generation in MB. */
const SHOP_HEAP = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 256 };

type ShopCall = { op: 'inject' | 'clear'; name: string } | { op: 'status' | 'stop' };
export type ShopRequest = ShopCall & { id: number };
export type ShopReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
export type ShopReady = { ready: true; frontendUrl: string; controlUrl: string };

/** `onFailure`: the thread died after it started (an error, or past its heap limit). */
export async function startDemoShopThread(options: DemoShopOptions, onFailure?: (err: Error) => void): Promise<DemoShopHandle> {
  const worker = new Worker(new URL('./shop-worker.js', import.meta.url), {
    workerData: options,
    resourceLimits: SHOP_HEAP,
  });
  let started = false;
  let stopping = false;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (err: Error): void => {
    if (failure) return;
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    if (started && !stopping) onFailure?.(err);
  };
  const ready = new Promise<ShopReady>((resolve, reject) => {
    worker.on('message', (m: ShopReady | ShopReply) => {
      if ('ready' in m) return resolve(m);
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    });
    worker.on('error', (err) => {
      reject(err);
      failAll(err);
    });
    worker.on('exit', (code) => {
      const err = new Error(`the demo shop thread exited (code ${code})`);
      reject(err);
      failAll(err);
    });
  });
  const call = (req: ShopCall): Promise<unknown> => {
    if (failure) return Promise.reject(failure);
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...req, id });
    });
  };
  const { frontendUrl, controlUrl } = await ready;
  started = true;
  return {
    frontendUrl,
    controlUrl,
    inject: (name) => call({ op: 'inject', name }) as Promise<FaultStatus>,
    clear: (name) => call({ op: 'clear', name }) as Promise<FaultStatus | undefined>,
    status: () => call({ op: 'status' }) as Promise<DemoShopStatus>,
    async stop() {
      stopping = true;
      if (!failure) await call({ op: 'stop' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
