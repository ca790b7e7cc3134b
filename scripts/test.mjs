#!/usr/bin/env node
// `npm test`: type-check and build everything (src, tests, benches), lint, then run every
// compiled *.test.js with Node's test runner. Unit tests run first, store/network tests after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const find = (dir, out = []) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
};

// A clean build: compiled tests of deleted sources must not linger in dist and run.
rmSync('dist', { recursive: true, force: true });
run('npx', ['tsc', '-p', 'tsconfig.json']);
// The web UI: its own type-check, then the bundle the server serves and the browser tests load.
run('npx', ['tsc', '-p', 'ui/tsconfig.json']);
run('npx', ['vite', 'build', 'ui', '--logLevel', 'warn']);
if (!process.argv.includes('--no-lint')) {
  run('npx', ['eslint', '.']);
  // One layout for every file (see .prettierrc.json); `npm run format` fixes what this refuses.
  run('npx', ['prettier', '--check', '.', '--log-level', 'warn']);
}
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = find('dist')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const unit = files.filter((f) => !f.includes('.int.test.') && !f.includes('/test/'));
const slow = files.filter((f) => !unit.includes(f));
// TAP on stdout as before; a spec report beside it whose closing "failing tests" section (with each
// error and its hook) is printed last on failure, so a truncated CI log still shows why.
const spec = join(mkdtempSync(join(tmpdir(), 'vigil-test-report-')), 'spec.txt');
const r = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-timeout=600000',
    '--test-reporter=tap',
    '--test-reporter-destination=stdout',
    '--test-reporter=spec',
    `--test-reporter-destination=${spec}`,
    ...unit,
    ...slow,
  ],
  { stdio: 'inherit' },
);
if (r.status !== 0) {
  const report = existsSync(spec) ? readFileSync(spec, 'utf8') : '';
  const at = report.lastIndexOf('failing tests:');
  if (at >= 0) console.log(`\n# ${report.slice(at).slice(0, 60_000).replaceAll('\n', '\n# ')}`);
  process.exit(r.status ?? 1);
}
