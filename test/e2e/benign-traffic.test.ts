// Benign traffic through the server's own pipeline in event-clock mode: the shop's daily cycle
// with harmless deploys every 12 minutes, then a 3× marketing surge with no errors. Neither is a
// problem, so no incident may open (the seed case is in seed-incident.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VigilClient } from '../../src/client/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { startVigil } from '../../src/server.js';
import { simulateShop } from '../../src/sim/index.js';
import { TEST_KEY } from '../support/vigil-process.js';

const T0 = Date.UTC(2026, 10, 3, 13, 0, 0);
const HOUR = 3_600_000;

void describe('benign traffic (event clock)', () => {
  void it('opens no incident over an hour of harmless deploys and a 3x surge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-benign-'));
    const vigil = await startVigil(
      resolveConfig({ data: dir, port: 0, otlpPort: 0, otlpGrpcPort: 0, clock: 'event', logLevel: 'warn' }, { VIGIL_API_KEY: TEST_KEY }),
    );
    try {
      let deploys = 0;
      const surgeAt = T0 + 35 * 60_000;
      for (const b of simulateShop({
        seed: 5,
        startMs: T0,
        durationMs: HOUR,
        rps: 6,
        stepMs: 10_000,
        deployEveryMs: 12 * 60_000,
        surges: [{ fromMs: surgeAt, toMs: surgeAt + 15 * 60_000, factor: 3 }],
      })) {
        for (const c of b.changes) {
          await vigil.pipeline.recordChange({ ...c, source: 'api' });
          if (c.kind === 'deploy') deploys++;
        }
        await vigil.ingest(b);
      }
      assert.ok(deploys >= 3, `only ${deploys} deploys in the scenario`);
      const list = await new VigilClient({ url: vigil.apiUrl, apiKey: TEST_KEY }).listIncidents({ status: 'all' });
      assert.deepEqual(
        list.incidents.map((i) => i.title),
        [],
      );
    } finally {
      await vigil.stop();
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  });
});
