// Entry point of the `vigil` command: dispatches to a registered command, turns CliErrors into
// one-line messages and exit codes.
import { readFileSync } from 'node:fs';
import { closestName } from '../config/index.js';
import { CliError } from './command.js';
import { HelpRequested } from './options.js';
import { commands } from './registry.js';

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    console.log(`vigil ${packageVersion()}`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    // Asked for: stdout and exit 0; no command at all is a usage error: stderr and exit 2.
    const print = name ? console.log : console.error;
    print('usage: vigil <command> [options]\n\ncommands:');
    for (const [cmdName, load] of Object.entries(commands)) {
      const cmd = await load();
      print(`  ${cmdName.padEnd(10)} ${cmd.summary}`);
    }
    print('\nvigil <command> --help shows its options; vigil --version the version.');
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    const what = name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`;
    const guess = closestName(name.replace(/^-+/, ''), name.startsWith('-') ? ['version', 'help'] : Object.keys(commands));
    console.error(`vigil: ${what} (${guess ? `did you mean ${name.startsWith('-') ? '--' : ''}${guess}?` : 'try vigil --help'})`);
    return 2;
  }
  const cmd = await load();
  // Commands parse their own -h/--help (a subcommand's help included); this serves the rest.
  if (rest[0] === '--help' || rest[0] === '-h') {
    console.log(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof HelpRequested) {
      console.log(err.text);
      return 0;
    }
    if (err instanceof CliError) {
      console.error(`vigil ${name}: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}

/** The version of the installed package (package.json sits three levels above dist/src/cli). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}
