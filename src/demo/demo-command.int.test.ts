// `vigil demo` as a user runs it (needs the build: bin/vigil.js runs dist/): Vigil and the shop come
// up, the shop's telemetry reaches Vigil's services view, the seed fault's deploy is recorded as a
// change, and Ctrl-C stops everything cleanly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { vigilBin } from './vigil-process.js';

const KEY = 'demo-test-key-0123456789abcdef';

void describe('vigil demo (child process, real Vigil)', () => {
  const child = spawn(
    process.execPath,
    [vigilBin(), 'demo', '--port', '0', '--otlp-port', '0', '--otlp-grpc-port', '0', '--shop-port', '0', '--control-port', '0', '--rps', '8', '--fault-after', '5', '--clear-after', '600', '--duration', '300'],
    { env: { ...process.env, VIGIL_API_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
    const t0 = Date.now();
    for (;;) {
      const v = await probe().catch(() => undefined);
      if (v !== undefined) return v;
      if (child.exitCode !== null) throw new Error(`vigil demo exited while waiting for ${what}:\n${out}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}:\n${out.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  void it('comes up, sends the shop telemetry to Vigil, records the seed deploy and stops on SIGTERM', async () => {
    const api = await until('the banner', () => Promise.resolve(/Vigil UI and API\s+(\S+)/.exec(out)?.[1]));
    assert.match(out, new RegExp(`API key\\s+${KEY}`));
    const get = async <T>(path: string): Promise<T> => (await (await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as T;
    const services = await until('all shop services in Vigil', async () => {
      const body = await get<{ services: Array<{ service: string; requests: number }> }>('/api/v1/services');
      return body.services.length >= 7 ? body.services : undefined;
    });
    assert.ok(services.find((s) => s.service === 'frontend')!.requests > 0);
    const deploy = await until('the seed fault deploy', async () => {
      const body = await get<{ changes: Array<{ service: string; kind: string; version: string }> }>('/api/v1/changes?service=payment');
      return body.changes.find((c) => c.kind === 'deploy' && c.version === '2.3.0');
    });
    assert.equal(deploy.service, 'payment');
    child.kill('SIGTERM');
    assert.equal(await exited, 0, out.slice(-2000));
    assert.match(out, /Sent \d+ requests/);
  });
});
