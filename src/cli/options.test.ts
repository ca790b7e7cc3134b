// The command-line conventions, in process: strict parsing of an options table, and every
// registered command and subcommand refusing an unknown flag with exit 2 and printing its help on
// -h (a command added to the registry without the options table fails here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { CliError } from './command.js';
import { runCli } from './main.js';
import { defineCommand, formatUsage, HelpRequested, parseCommand, portNumber, wholeNumber } from './options.js';
import { commands } from './registry.js';

const spec = defineCommand({
  name: 'start',
  summary: 'Runs it.',
  maxPositionals: 1,
  args: '[NAME]',
  options: {
    port: { type: 'string', short: 'p', value: 'P', description: 'the port' },
    'otlp-port': { type: 'string', value: 'Q', description: 'the OTLP port' },
    json: { type: 'boolean', description: 'JSON out' },
    tag: { type: 'string', multiple: true, value: 'T', description: 'a tag' },
  },
});

function cliError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CliError, `a CliError, got ${String(err)}`);
    return err;
  }
  assert.fail('no error thrown');
}

describe('parseCommand', () => {
  it('reads --name value, --name=value, short flags, booleans, repeats and positionals', () => {
    const { values, positionals } = parseCommand(spec, ['-p', '8080', '--otlp-port=4318', '--json', '--tag', 'a', '--tag', 'b', 'web']);
    assert.deepEqual({ ...values }, { port: '8080', 'otlp-port': '4318', json: true, tag: ['a', 'b'] });
    assert.deepEqual(positionals, ['web']);
  });

  it('an unknown flag exits 2 and names it with the nearest known one', () => {
    const err = cliError(() => parseCommand(spec, ['--prot', '1']));
    assert.equal(err.exitCode, 2);
    assert.equal(err.message, 'unknown option --prot (did you mean --port?)');
    assert.equal(cliError(() => parseCommand(spec, ['--otlp-prot=1'])).message, 'unknown option --otlp-prot (did you mean --otlp-port?)');
    assert.equal(cliError(() => parseCommand(spec, ['--zzzzzz'])).message, 'unknown option --zzzzzz (vigil start --help lists the options)');
    assert.match(cliError(() => parseCommand(spec, ['-x'])).message, /^unknown option -x /);
  });

  it('a missing value, a value on a boolean and an extra argument are errors that say what to do', () => {
    assert.equal(cliError(() => parseCommand(spec, ['--port'])).message, '--port needs a value');
    assert.match(
      cliError(() => parseCommand(spec, ['--port', '--json'])).message,
      /^--port needs a value \(for a value that starts with "-", write --port=VALUE\)/,
    );
    assert.equal(cliError(() => parseCommand(spec, ['--json=yes'])).message, '--json takes no value');
    assert.equal(cliError(() => parseCommand(spec, ['a', 'b'])).message, 'unexpected argument "b" (see vigil start --help)');
  });

  it('-h and --help anywhere before -- ask for the help, which lists every option of the table', () => {
    for (const args of [['-h'], ['--prot', '1', '--help'], ['web', '-h']]) {
      assert.throws(
        () => parseCommand(spec, args),
        (err: unknown) => err instanceof HelpRequested && err.text === formatUsage(spec),
      );
    }
    // After --, -h is an argument, not a flag.
    assert.deepEqual(parseCommand(spec, ['--', '-h']).positionals, ['-h']);
    const usage = formatUsage(spec);
    assert.match(usage, /^usage: vigil start \[NAME\] \[options\]$/m);
    for (const line of [
      /-p, --port P +the port/,
      /--otlp-port Q +the OTLP port/,
      /--json +JSON out/,
      /--tag T +a tag \(repeatable\)/,
      /-h, --help +show this help/,
    ])
      assert.match(usage, line);
  });

  it('numbers and ports are checked with the flag named', () => {
    assert.equal(wholeNumber(undefined, 'seed', 7), 7);
    assert.equal(wholeNumber('12', 'seed', 7), 12);
    for (const bad of ['', '-1', '1.5', 'ten']) assert.match(cliError(() => wholeNumber(bad, 'seed', 7)).message, /^--seed must be a whole number/);
    assert.equal(portNumber('0', 'port'), 0);
    assert.equal(portNumber(undefined, 'port', 8080), 8080);
    for (const bad of ['65536', '-1', 'http', ' ']) assert.match(cliError(() => portNumber(bad, 'port')).message, /^--port must be a port number \(0-65535\)/);
  });
});

/** Runs the CLI in process; returns its exit code and what it printed. */
async function cli(t: TestContext, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  t.mock.method(console, 'log', (...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  t.mock.method(console, 'error', (...a: unknown[]) => void (err += `${a.join(' ')}\n`));
  try {
    return { code: await runCli(argv), out, err };
  } finally {
    t.mock.restoreAll();
  }
}

// Subcommands parse their own flags; a new subcommand belongs in this list.
const subcommands = [
  ['incidents', 'list'],
  ['incidents', 'show', '1'],
  ['incidents', 'ack', '1'],
  ['incidents', 'mitigate', '1'],
  ['incidents', 'resolve', '1'],
  ['incidents', 'note', '1'],
  ['checks', 'validate', 'dir'],
  ['checks', 'run'],
  ['demo', 'fault', 'x'],
  ['demo', 'faults'],
  ['notify', 'test', 'x'],
  ['deploy', 'watch'],
  ['report', 'reliability'],
];

describe('every vigil command', () => {
  const invocations = [...Object.keys(commands).map((name) => [name]), ...subcommands];

  it('refuses an unknown flag with exit 2 and one line naming it, before doing anything', async (t) => {
    for (const argv of invocations) {
      const r = await cli(t, [...argv, '--no-such-flag']);
      assert.equal(r.code, 2, `vigil ${argv.join(' ')} --no-such-flag: exit ${r.code}\n${r.out}${r.err}`);
      assert.match(r.err, new RegExp(`^vigil ${argv[0]}: unknown option --no-such-flag \\(`), `vigil ${argv.join(' ')}`);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.equal(r.out, '');
    }
  });

  it('prints its help with -h and --help and exits 0', async (t) => {
    for (const argv of invocations) {
      for (const flag of ['-h', '--help']) {
        const r = await cli(t, [...argv, flag]);
        assert.equal(r.code, 0, `vigil ${argv.join(' ')} ${flag}: exit ${r.code}\n${r.err}`);
        assert.match(r.out, new RegExp(`^usage: vigil ${argv[0]}`), `vigil ${argv.join(' ')} ${flag}`);
        assert.match(r.out, /--help/);
      }
    }
  });

  it('a subcommand without its argument or required flag says which, before any request', async (t) => {
    const cases: Array<[string[], string]> = [
      [['incidents', 'show'], 'vigil incidents: show needs an incident id (vigil incidents show ID)\n'],
      [['incidents', 'note', '7'], 'vigil incidents: note needs --text TEXT\n'],
      [['checks', 'run'], 'vigil checks: run needs --checks DIR (vigil checks run --help)\n'],
      [['notify', 'test'], 'vigil notify: test needs the channel name (vigil notify test CHANNEL)\n'],
      [['checks'], 'vigil checks: name a subcommand: validate, run (vigil checks --help)\n'],
      [['incidents', 'shwo'], 'vigil incidents: unknown subcommand "shwo" (did you mean show?)\n'],
    ];
    for (const [argv, message] of cases) assert.deepEqual(await cli(t, argv), { code: 2, out: '', err: message }, argv.join(' '));
  });

  it('vigil --version prints the package version; an unknown command or top-level flag exits 2 with a suggestion', async (t) => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.deepEqual(await cli(t, ['--version']), { code: 0, out: `vigil ${version}\n`, err: '' });
    const typo = await cli(t, ['strat']);
    assert.equal(typo.code, 2);
    assert.equal(typo.err, 'vigil: unknown command "strat" (did you mean start?)\n');
    const flag = await cli(t, ['--verison']);
    assert.equal(flag.code, 2);
    assert.equal(flag.err, 'vigil: unknown option --verison (did you mean --version?)\n');
  });
});
