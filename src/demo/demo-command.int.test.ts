// `vigil demo` as a newcomer runs it (bin/vigil, needs the build: it runs dist/), with its defaults:
// Vigil and the shop come up, the shop's traffic and telemetry flow into Vigil, nothing opens an
// incident while the shop is healthy, and the seed fault (injected after the default 3 minutes)
// opens an incident naming payment within minutes; Ctrl-C stops everything cleanly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { vigilLauncher } from './vigil-process.js';

const KEY = 'demo-test-key-0123456789abcdef';
/** The pool runs dry 1-2 minutes after the deploy; detection follows within about a minute. */
const DETECT_WITHIN_MS = 180_000;

interface IncidentSummary {
  id: string;
  title: string;
  services: string[];
  detectedAt: string;
}

void describe('vigil demo (real CLI process: Vigil plus the shop thread, default settings)', () => {
  // A fresh directory, as the demo makes by itself without --data; named so the test removes it.
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-demo-test-'));
  const child = spawn(
    vigilLauncher(),
    ['demo', '--data', dataDir, '--port', '0', '--otlp-port', '0', '--otlp-grpc-port', '0', '--shop-port', '0', '--control-port', '0', '--duration', '600'],
    // Its own process group, so the cleanup below reaches anything it starts.
    { env: { ...process.env, VIGIL_API_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  after(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
    const t0 = Date.now();
    for (;;) {
      const v = await probe().catch(() => undefined);
      if (v !== undefined) return v;
      if (child.exitCode !== null) throw new Error(`vigil demo exited while waiting for ${what}:\n${out}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}:\n${out.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }

  void it(
    'comes up, traffic flows, stays quiet while healthy, opens an incident naming payment after the seed fault, stops on SIGTERM',
    { timeout: 480_000 },
    async () => {
      const started = Date.now();
      const api = await until('the banner', () => Promise.resolve(/Vigil UI and API\s+(\S+)/.exec(out)?.[1]));
      // The launcher execs node with the demo's small young generation (same pid).
      if (process.platform === 'linux') assert.match(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8'), /--max-semi-space-size=2\0/);
      // …and with the engine's allocator returning freed pages at once (health reads it from the engine).
      const health = (await (await fetch(`${api}/api/v1/health`, { signal: AbortSignal.timeout(10_000) })).json()) as {
        memory: { engineAllocator: { dirtyDecayMs: number } | null };
      };
      assert.equal(health.memory.engineAllocator?.dirtyDecayMs, 0, JSON.stringify(health.memory));
      const control = /Fault control\s+(\S+)/.exec(out)?.[1];
      assert.ok(control, out);
      assert.match(out, new RegExp(`API key\\s+${KEY}`));
      assert.match(out, /config \S+vigil\.yaml/, 'runs with the demo profile written into the data directory');
      const get = async <T>(base: string, path: string): Promise<T> => {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${KEY}` }, signal: AbortSignal.timeout(10_000) });
        if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
        return (await res.json()) as T;
      };
      const incidents = async (): Promise<IncidentSummary[]> => (await get<{ incidents: IncidentSummary[] }>(api, '/api/v1/incidents?status=all')).incidents;

      // Traffic flows: the shop answers its customers and every service reports to Vigil.
      const services = await until('all shop services in Vigil', async () => {
        const body = await get<{ services: Array<{ service: string; requests: number }> }>(api, '/api/v1/services');
        return body.services.length >= 7 ? body.services : undefined;
      });
      assert.ok(services.find((s) => s.service === 'frontend')!.requests > 0);
      const shop = await get<{ requestsSent: number; responses: Record<string, number> }>(control, '/_control/status');
      assert.ok((shop.responses['200'] ?? 0) > 0, JSON.stringify(shop));

      // Healthy shop, cold baselines: no incident until the seed fault goes in.
      let injectedAt = 0;
      while (!injectedAt) {
        const open = await incidents();
        assert.deepEqual(
          open.map((i) => i.title),
          [],
          `an incident opened before the fault:\n${out.slice(-2000)}`,
        );
        const m = /\[(\S+)\] injected pool-exhaustion-deploy/.exec(out);
        if (m?.[1]) injectedAt = Date.parse(m[1]);
        else if (child.exitCode !== null) throw new Error(`vigil demo exited before the fault:\n${out}`);
        else if (Date.now() - started > 300_000) throw new Error(`the seed fault was not injected:\n${out.slice(-2000)}`);
        else await new Promise((r) => setTimeout(r, 3000));
      }

      const incident = await until('an incident naming payment', async () => (await incidents()).find((i) => i.services.includes('payment')), DETECT_WITHIN_MS);
      const detectedAt = Date.parse(incident.detectedAt);
      assert.ok(detectedAt >= injectedAt, `detected ${incident.detectedAt}, before the injection at ${new Date(injectedAt).toISOString()}`);
      assert.ok(detectedAt - injectedAt <= DETECT_WITHIN_MS, `detected ${(detectedAt - injectedAt) / 1000} s after the injection`);
      // Between the last quiet poll and the injection nothing may have opened either.
      for (const i of await incidents()) assert.ok(Date.parse(i.detectedAt) >= injectedAt, `incident "${i.title}" opened at ${i.detectedAt}, before the fault`);
      const changes = await get<{ changes: Array<{ service: string; kind: string; version: string }> }>(api, '/api/v1/changes?service=payment');
      assert.ok(
        changes.changes.some((c) => c.kind === 'deploy' && c.version === '2.3.0'),
        'the seed deploy is recorded',
      );
      await until(
        'the terminal announcing the incident',
        () => Promise.resolve(new RegExp(`Vigil opened incident #${incident.id} `).test(out) ? true : undefined),
        30_000,
      );
      console.log(
        `seed fault: injected ${Math.round((injectedAt - started) / 1000)} s after start, incident "${incident.title}" ${Math.round((detectedAt - injectedAt) / 1000)} s later`,
      );

      child.kill('SIGTERM');
      assert.equal(await exited, 0, out.slice(-2000));
      assert.match(out, /Sent \d+ requests/);
    },
  );
});

void describe('vigil demo without --data', () => {
  void it('keeps its store in a scratch directory and removes it when it stops', { timeout: 120_000 }, async () => {
    const child = spawn(
      vigilLauncher(),
      ['demo', '--port', '0', '--otlp-port', '0', '--otlp-grpc-port', '0', '--shop-port', '0', '--control-port', '0', '--no-fault', '--duration', '15'],
      { env: { ...process.env, VIGIL_API_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const dir = /data in (\S+?),/.exec(out)?.[1] ?? '';
    assert.ok(dir.includes('vigil-demo-'), out);
    assert.equal(code, 0, out.slice(-2000));
    assert.match(out, /Vigil demo is running/);
    assert.equal(existsSync(dir), false, `${dir} is left behind`);
  });
});
