// Where a failed browser run's screenshot and Playwright trace go, and how many are kept: a check
// failing every few minutes for a week would otherwise fill the disk with megabytes per run. The
// newest `keepArtifactRuns` failed runs of each check keep theirs; older files are removed.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Failed runs per check whose screenshot and trace stay on disk. */
export const keepArtifactRuns = 20;

const fileSafe = (checkName: string): string => checkName.replace(/[^\w.-]+/g, '_');
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[:.]/g, '-');

/** The path, without extension, of a run's artifacts: `DIR/<check>-<ISO time>`. */
export function artifactBase(dir: string, checkName: string, atMs: number): string {
  return join(dir, `${fileSafe(checkName)}-${stamp(atMs)}`);
}

/** Removes the artifacts of `checkName`'s older failed runs, keeping the newest `keep` runs' files. */
export function pruneArtifacts(dir: string, checkName: string, keep = keepArtifactRuns): void {
  const prefix = `${fileSafe(checkName)}-`;
  // The time right after the prefix tells this check's files from those of a check named "<name>-x".
  const runOf = (file: string): string | undefined =>
    file.startsWith(prefix) && /^\d{4}-\d\d-\d\dT[\d-]+Z/.test(file.slice(prefix.length)) ? /^[^.]+/.exec(file.slice(prefix.length))?.[0] : undefined;
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return;
  }
  const runs = [...new Set(files.map(runOf).filter((r): r is string => r !== undefined))].sort();
  const old = new Set(runs.slice(0, Math.max(0, runs.length - keep)));
  for (const file of files) {
    const run = runOf(file);
    if (run !== undefined && old.has(run)) rmSync(join(dir, file), { force: true });
  }
}
