// The repository root, found from a module's URL whether it runs from src/ (tsx) or dist/ (tsc).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(moduleUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + moduleUrl);
    dir = up;
  }
  return dir;
}
