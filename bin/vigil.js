#!/usr/bin/env node
// The `vigil` command: runs the compiled CLI (built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('vigil: the build is missing (dist/). Run `npm install` or `npm run build` in the Vigil folder.');
  process.exit(1);
}
// `vigil incidents | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2));
