// Runs the vigil CLI (bin/vigil.js) as a child process for the suites that test commands end to end.
// Asynchronous on purpose: the commands under test may call a server running in the test's own process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../../test/support/paths.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `vigil <args>` in `cwd`, with `env` over this process's environment; resolves once it exits. */
export function runVigil(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'bin/vigil.js'), ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
