// `vigil checks validate DIR` and `vigil checks run [NAME] --checks DIR`: the synthetic checks of a
// repository, validated or run once like a test suite (before a release, in CI). Exit codes: 0 all
// pass, 1 a check failed, 2 the files are invalid or the command is misused.
import { processEnvironment } from '../../config/index.js';
import { formatProblem, loadChecks, runCheck, type LoadedCheck, type RunResult } from '../../synthetics/index.js';
import { CliError, type Command } from '../command.js';
import { defineCommand, formatGroupUsage, jsonOption, parseCommand, unknownSubcommand } from '../options.js';

const validateSpec = defineCommand({
  name: 'checks validate',
  args: 'DIR',
  maxPositionals: 1,
  summary: 'Checks every *.yaml and *.journey.ts file in DIR and prints each problem with its file, line and key.',
  options: { checks: { type: 'string', value: 'DIR', description: 'the directory, when not given as DIR' } },
});

const runSpec = defineCommand({
  name: 'checks run',
  args: '[NAME]',
  maxPositionals: 1,
  summary: 'Runs the checks (or the one named) once, in parallel: a line per check with each failed step and assertion.',
  options: { checks: { type: 'string', value: 'DIR', description: 'the directory of check files (required)' }, ...jsonOption },
});

const usage = formatGroupUsage(
  'checks',
  'Validate or run synthetic checks (checks as code).',
  [validateSpec, runSpec],
  'Exit status: 0 all pass, 1 a check failed, 2 the files are invalid or the command is misused.\nSecrets come from the environment: ${VAR} in a check file reads VAR; a journey declares `secrets: ["VAR"]`.',
);

async function load(dir: string): Promise<LoadedCheck[]> {
  const { checks, problems } = await loadChecks(dir, processEnvironment());
  if (problems.length) throw new CliError(problems.map(formatProblem).join('\n'), 2);
  return checks;
}

function printRun(r: RunResult): void {
  const mark = r.ok ? '✓' : '✗';
  console.log(`${mark} ${r.name} (${r.kind}) ${Math.round(r.durationMs)} ms${r.traceId ? `  trace ${r.traceId}` : ''}`);
  // Journeys and browser checks list every step with its time, like a test file's tests.
  const stepwise = r.kind === 'journey' || r.kind === 'browser';
  for (const step of r.steps) {
    if (step.ok && !stepwise) continue;
    const name = `${step.cleanup ? 'clean-up ' : ''}${step.name}`;
    if (stepwise) console.log(`    ${step.ok ? '✓' : '✗'} ${name} ${Math.round(step.durationMs)} ms${step.error ? `: ${step.error}` : ''}`);
    else console.log(`    ${name}${step.error ? `: ${step.error}` : ''}`);
    for (const a of step.assertions.filter((x) => !x.ok)) console.log(`      ${a.assertion}: expected ${a.expected}, got ${a.actual}`);
  }
  if (typeof r.details.lcpMs === 'number') console.log(`    LCP ${r.details.lcpMs} ms, CLS ${String(r.details.cls ?? 0)}`);
  for (const [k, v] of Object.entries(r.details)) if (k === 'screenshot' || k === 'trace') console.log(`    ${k}: ${String(v)}`);
}

export const checksCommand: Command = {
  name: 'checks',
  summary: 'validate or run synthetic checks (checks as code)',
  usage,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'validate') {
      const { values: v, positionals } = parseCommand(validateSpec, rest);
      const dir = positionals[0] ?? v.checks;
      if (!dir) throw new CliError(`validate needs the directory\n${usage}`);
      const checks = await load(dir);
      console.log(`${checks.length} check${checks.length === 1 ? '' : 's'} valid in ${dir}`);
      return 0;
    }
    if (sub === 'run') {
      const { values: v, positionals } = parseCommand(runSpec, rest);
      const dir = v.checks;
      if (!dir) throw new CliError('run needs --checks DIR (vigil checks run --help)');
      const name = positionals[0];
      const all = await load(dir);
      const chosen = name ? all.filter((c) => c.check.name === name) : all;
      if (name && !chosen.length) throw new CliError(`no check named "${name}" in ${dir}`, 2);
      // Heartbeats are fed by jobs pinging a running Vigil: nothing to run from here.
      const runnable = chosen.filter((c) => c.check.kind !== 'heartbeat');
      const results = await Promise.all(runnable.map((c) => runCheck(c.check, { artifactsDir: 'vigil-check-artifacts', secrets: c.secrets })));
      if (v.json)
        console.log(
          JSON.stringify(
            results.map(({ rootSpanId: _root, ...r }) => r),
            null,
            2,
          ),
        );
      else for (const r of results) printRun(r);
      const failed = results.filter((r) => !r.ok).length;
      if (!v.json)
        console.log(
          `\n${results.length - failed} passed, ${failed} failed${chosen.length > runnable.length ? ` (${chosen.length - runnable.length} heartbeat check${chosen.length - runnable.length === 1 ? '' : 's'} skipped: they need a running Vigil)` : ''}`,
        );
      return failed ? 1 : 0;
    }
    throw unknownSubcommand('checks', sub, ['validate', 'run']);
  },
};
