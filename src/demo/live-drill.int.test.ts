// `vigil drill --live` end to end (needs the build: bin/vigil.js runs dist/): a real `vigil demo
// --no-fault` (Vigil child, shop, control API) with the demo detection profile, and the drill CLI
// as a second process. The cache outage is the demo's fastest catch (seconds after injection), so
// the drill must report it detected, with the right top root cause, no false incidents and an
// all-clear. To fit the all-clear in minutes, this data directory's vigil.yaml is the demo profile
// with a 30 s hold before a signal recovers (2 min), a 1-minute long error window (3 min) and a 30 s
// stable period before the all-clear (10 min). Ctrl-C in a drill must take its fault out of the demo.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { demoDetectionProfile } from './demo-profile.js';
import type { DrillResult } from './drill-score.js';
import { vigilBin } from './vigil-process.js';

const KEY = 'live-drill-test-key-0123456789abcdef';
/** The profile judges after 90 s of traffic; injecting a little later avoids a cold series. */
const WARM_MS = 100_000;

interface Run {
  child: ChildProcess;
  /** stdout and stderr as they came. */
  output(): string;
  stdout(): string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

/** In its own process group (detached), so the test can kill it with everything it started. */
function vigil(args: string[]): Run {
  const child = spawn(process.execPath, [vigilBin(), ...args], {
    env: { ...process.env, VIGIL_API_KEY: KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, output: () => out, stdout: () => stdout, exited };
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function until<T>(what: string, run: Run, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (run.child.exitCode !== null) throw new Error(`the process exited while waiting for ${what}:\n${run.output().slice(-3000)}`);
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}:\n${run.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

void describe('vigil drill --live against a running vigil demo', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-live-drill-test-'));
  writeFileSync(
    join(dataDir, 'vigil.yaml'),
    stringify({ detect: { ...demoDetectionProfile, holdMs: 30_000, errorRate: { longWindowMs: 60_000 } }, incidents: { stablePeriodMs: 30_000 } }),
  );
  after(() => {
    for (const c of children) killGroup(c);
    rmSync(dataDir, { recursive: true, force: true });
  });

  void it('says which URL it cannot reach and suggests vigil demo', async () => {
    const run = vigil(['drill', 'cache-outage', '--live', '--api', 'http://127.0.0.1:9', '--control', 'http://127.0.0.1:9']);
    assert.equal(await run.exited, 2);
    assert.match(run.output(), /cannot reach the demo's control API at http:\/\/127\.0\.0\.1:9 .*`vigil demo` running/);
  });

  void it(
    'reports a cache outage detected with the right root cause, no false incident and the all-clear; Ctrl-C clears its fault',
    { timeout: 540_000 },
    async () => {
      const started = Date.now();
      const demo = vigil([
        'demo',
        '--no-fault',
        '--data',
        dataDir,
        '--port',
        '0',
        '--otlp-port',
        '0',
        '--otlp-grpc-port',
        '0',
        '--shop-port',
        '0',
        '--control-port',
        '0',
        '--duration',
        '900',
      ]);
      const api = await until('the banner', demo, () => /Vigil UI and API\s+(\S+)/.exec(demo.output())?.[1], 120_000);
      const control = /Fault control\s+(\S+)/.exec(demo.output())?.[1];
      assert.ok(control, demo.output());
      const bannerAt = Date.now();
      await new Promise((r) => setTimeout(r, Math.max(0, WARM_MS - (Date.now() - bannerAt))));

      const drill = vigil([
        'drill',
        'cache-outage',
        '--live',
        '--json',
        '--api',
        api,
        '--control',
        control,
        '--settle-s',
        '20',
        '--fault-min',
        '3',
        '--max-detect-min',
        '3',
        '--all-clear-min',
        '4',
      ]);
      const code = await drill.exited;
      assert.equal(code, 0, `${drill.output()}\n--- demo:\n${demo.output().slice(-3000)}`);
      const [r] = JSON.parse(drill.stdout()) as DrillResult[];
      assert.ok(r, drill.output());
      console.log(`live drill: ${JSON.stringify(r)} (demo up ${Math.round((Date.now() - started) / 1000)} s)`);
      assert.equal(r.mode, 'live');
      assert.equal(r.detected, true, drill.output());
      assert.ok(r.timeToDetectMs !== undefined && r.timeToDetectMs >= 0 && r.timeToDetectMs <= 120_000, `time to detect ${r.timeToDetectMs}`);
      assert.deepEqual(r.topRootCause, { service: 'cache', kind: 'dependency-failure' });
      assert.equal(r.rcaAt1, true);
      assert.ok(r.timeToRootCauseMs !== undefined && r.timeToRootCauseMs >= r.timeToDetectMs, `time to root cause ${r.timeToRootCauseMs}`);
      assert.ok(r.severity, 'a severity');
      assert.ok(r.contextCompleteness !== undefined && r.contextCompleteness > 0, `context ${r.contextCompleteness} (missing ${r.contextMissing?.join(', ')})`);
      assert.deepEqual(r.falseIncidentTitles, []);
      assert.equal(r.duplicates, 0);
      assert.ok(r.timeToAllClearMs !== undefined && r.timeToAllClearMs > 0, `no all-clear within 4 min:\n${drill.output()}`);

      // Interrupted mid-drill, the CLI clears the fault it injected and exits 130.
      const interrupted = vigil(['drill', 'latency-deploy', '--live', '--api', api, '--control', control]);
      await until('the injection', interrupted, () => (/injected latency-deploy/.test(interrupted.output()) ? true : undefined), 60_000);
      assert.ok(interrupted.child.pid);
      process.kill(interrupted.child.pid, 'SIGINT');
      assert.equal(await interrupted.exited, 130, interrupted.output());
      assert.match(interrupted.output(), /latency-deploy was cleared/);
      const faults = (await (await fetch(`${control}/_control/faults`)).json()) as { active: unknown[] };
      assert.deepEqual(faults.active, []);

      demo.child.kill('SIGTERM');
      assert.equal(await demo.exited, 0, demo.output().slice(-2000));
    },
  );
});
