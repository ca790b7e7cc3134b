// `vigil replay`: feeds recorded OTLP (JSON lines: one OTLP/JSON export request per line, or
// {"deployment": {...}} / {"change": {...}}) through a Vigil in event-clock mode — the same
// ingest, detection and incident code as live — and prints the incidents it opened.
import { createReadStream } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { VigilApiError, VigilClient, type ConfigChangeBody, type DeploymentBody } from '../../client/index.js';
import { resolveConfig } from '../../config/index.js';
import { CliError, type Command } from '../command.js';
import { defineCommand, formatUsage, jsonOption, parseCommand, required } from '../options.js';

export const replaySpec = defineCommand({
  name: 'replay',
  summary: 'Replays recorded OTLP through a private Vigil in event time and prints the incidents it opened.',
  options: {
    input: { type: 'string', value: 'recording.jsonl', description: 'the recording (required)' },
    data: { type: 'string', value: 'DIR', description: 'keep the store in DIR (default a temporary directory, removed after)' },
    ...jsonOption,
  },
  notes: `Each line: an OTLP/JSON export request (resourceSpans, resourceLogs or resourceMetrics),
or {"deployment": {service, version, time, ...}} or {"change": {service, kind, description, time}}.`,
});

const usage = formatUsage(replaySpec);

const key = 'replay-local-key-0123456789abcdef';

export const replayCommand: Command = {
  name: 'replay',
  summary: 'replay recorded OTLP in event time and print the incidents it yields',
  usage,
  async run(args) {
    const { values: v } = parseCommand(replaySpec, args);
    const input = required(v.input, 'input');
    const tempDir = v.data ? undefined : mkdtempSync(join(tmpdir(), 'vigil-replay-'));
    const config = resolveConfig({ data: v.data ?? tempDir, port: 0, otlpPort: 0, otlpGrpcPort: 0, clock: 'event', logLevel: 'warn' }, { VIGIL_API_KEY: key });
    const { startVigil } = await import('../../server.js');
    const vigil = await startVigil(config);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const api = new VigilClient({ url: vigil.apiUrl, apiKey: key });
    let lineNo = 0;
    try {
      const lines = createInterface({ input: createReadStream(input, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        lineNo++;
        if (!line.trim()) continue;
        let record: Record<string, unknown>;
        try {
          record = JSON.parse(line) as Record<string, unknown>;
        } catch (err) {
          throw new CliError(`${input}:${lineNo}: not JSON (${(err as Error).message})`);
        }
        const target = record.resourceSpans ? '/v1/traces' : record.resourceLogs ? '/v1/logs' : record.resourceMetrics ? '/v1/metrics' : undefined;
        const rejected = (status: number, reason: string): CliError => new CliError(`${input}:${lineNo}: rejected with ${status}: ${reason.slice(0, 200)}`);
        if (target) {
          // OTLP is not Vigil's API: the line goes to the receiver as it is.
          const res = await fetch(`${vigil.otlpHttpUrl}${target}`, { method: 'POST', headers, body: line });
          if (!res.ok) throw rejected(res.status, await res.text());
        } else if (record.deployment || record.change) {
          await (record.deployment ? api.recordDeployment(record.deployment as DeploymentBody) : api.recordChange(record.change as ConfigChangeBody)).catch(
            (err: unknown) => {
              throw err instanceof VigilApiError ? rejected(err.status, err.reason) : err;
            },
          );
        } else throw new CliError(`${input}:${lineNo}: expected resourceSpans, resourceLogs, resourceMetrics, deployment or change`);
        if (lineNo % 1000 === 0) process.stderr.write(`replayed ${lineNo} lines\r`);
      }
      // Close the windows still open at the end of the recording.
      await vigil.pipeline.flushTo(vigil.pipeline.watermarkMs() + 5 * 60_000);
      const list = await api.listIncidents({ status: 'all' });
      const full = await Promise.all(list.incidents.map((i) => api.getIncident(i.id)));
      if (v.json) console.log(JSON.stringify({ incidents: full }, null, 2));
      else {
        console.log(`replayed ${lineNo} lines; ${full.length} incident(s)`);
        for (const i of full) {
          const top = (i.rootCauses as Array<{ service: string; kind: string }> | undefined)?.[0];
          console.log(`#${String(i.id)} ${String(i.severity)} ${String(i.title)}${top ? `  — root cause: ${top.service} (${top.kind})` : ''}`);
        }
      }
      return 0;
    } finally {
      await vigil.stop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  },
};
