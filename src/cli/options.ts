// Every command declares its options once, in a table; the usage text and a strict `node:util`
// parseArgs both come from it, so `--help` never drifts from what the parser accepts. An unknown
// flag is a CliError (exit 2) that names it and the nearest known one; -h/--help is HelpRequested.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestName } from '../config/index.js';
import { CliError } from './command.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One letter: `-p` beside `--port`. */
  short?: string;
  /** The value's placeholder in the usage text: DIR, URL, N. */
  value?: string;
  /** The option may repeat; its values come out as a list. */
  multiple?: boolean;
  description: string;
}

export type OptionTable = Record<string, OptionSpec>;

export interface CommandSpec<T extends OptionTable = OptionTable> {
  /** What follows `vigil`: 'start', 'incidents show'. */
  name: string;
  /** The positional arguments in the synopsis: 'ID', '[NAME]', 'FAULT|--all'. */
  args?: string;
  /** How many positional arguments are accepted (default 0: any is "unexpected"). */
  maxPositionals?: number;
  summary: string;
  options: T;
  /** Text after the option list: environment variables, exit codes, examples. */
  notes?: string;
}

export type OptionValues<T extends OptionTable> = {
  [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : T[K]['multiple'] extends true ? string[] : string;
};

export interface ParsedCommand<T extends OptionTable> {
  values: OptionValues<T>;
  positionals: string[];
}

/** `-h`/`--help` was given: the CLI prints `text` on stdout and exits 0. */
export class HelpRequested extends Error {
  constructor(readonly text: string) {
    super('help requested');
  }
}

/** Declares a command's spec with its option names and types kept literal for OptionValues. */
export function defineCommand<const T extends OptionTable>(spec: CommandSpec<T>): CommandSpec<T> {
  return spec;
}

/** --url and --key of the commands that talk to a running Vigil. */
export const apiOptions = {
  url: { type: 'string', value: 'URL', description: "Vigil's API (default VIGIL_URL or http://127.0.0.1:8080)" },
  key: { type: 'string', value: 'KEY', description: 'API key (default VIGIL_API_KEY)' },
} as const satisfies OptionTable;

/** --json of the commands whose output is data. */
export const jsonOption = {
  json: { type: 'boolean', description: 'print JSON for scripts instead of text' },
} as const satisfies OptionTable;

const helpOption = { help: { type: 'boolean', short: 'h', description: 'show this help' } } as const satisfies OptionTable;

/** Parses `args` strictly against the spec; throws CliError (exit 2) or HelpRequested. */
export function parseCommand<T extends OptionTable>(spec: CommandSpec<T>, args: readonly string[]): ParsedCommand<T> {
  const end = args.indexOf('--');
  const flags = end === -1 ? args : args.slice(0, end);
  if (flags.includes('--help') || flags.includes('-h')) throw new HelpRequested(formatUsage(spec));
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new CliError(explainParseError(err, spec));
  }
  const max = spec.maxPositionals ?? 0;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals[max];
    throw new CliError(`unexpected argument "${extra}" (see vigil ${spec.name} --help)`);
  }
  return { values: parsed.values as OptionValues<T>, positionals: parsed.positionals };
}

/** Node's parseArgs messages, reworded to name the flag and what to do; the original when unknown. */
function explainParseError(err: unknown, spec: CommandSpec): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  // The first quoted token is the option as typed ('--prot') or as declared ('-p, --port <value>').
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const flag = /--[\w-]+|-\w/.exec(quoted.split(',').pop() ?? '')?.[0] ?? quoted;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = flag.replace(/^-+/, '');
    const names = Object.keys(spec.options);
    const guess = typed.length > 1 ? closestName(typed, names) : undefined;
    return `unknown option ${flag} (${guess ? `did you mean --${guess}?` : `vigil ${spec.name} --help lists the options`})`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return `${flag} takes no value`;
    if (/ambiguous/.test(message)) return `${flag} needs a value (for a value that starts with "-", write ${flag}=VALUE)`;
    if (/missing/.test(message)) return `${flag} needs a value`;
  }
  return message;
}

/** The synopsis line of a command: `vigil incidents show ID [options]`. */
export function synopsis(spec: CommandSpec): string {
  return `vigil ${spec.name}${spec.args ? ` ${spec.args}` : ''}${Object.keys(spec.options).length ? ' [options]' : ''}`;
}

/** Aligned `--name VALUE  description` lines, -h/--help last. */
export function formatOptions(options: OptionTable): string[] {
  const all: OptionTable = { ...options, ...helpOption };
  const rows = Object.entries(all).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return { left, text: `${o.description}${o.multiple ? ' (repeatable)' : ''}` };
  });
  const width = Math.min(32, Math.max(...rows.map((r) => r.left.length)));
  return rows.map((r) => `  ${r.left.padEnd(width)}  ${r.text}`);
}

/** The full help of one command. */
export function formatUsage(spec: CommandSpec): string {
  const parts = [`usage: ${synopsis(spec)}`, '', `${spec.summary}`, '', 'options:', ...formatOptions(spec.options)];
  if (spec.notes) parts.push('', spec.notes);
  return parts.join('\n');
}

/** The help of a command with subcommands: each synopsis with its summary, then shared notes. */
export function formatGroupUsage(name: string, summary: string, specs: readonly CommandSpec[], notes?: string): string {
  const lines = [`usage: vigil ${name} <subcommand> [options]`, '', summary, '', 'subcommands:'];
  for (const s of specs) lines.push(`  ${synopsis(s)}`, `      ${s.summary}`);
  lines.push('', `vigil ${name} <subcommand> --help shows its options.`);
  if (notes) lines.push('', notes);
  return lines.join('\n');
}

/** A whole number option (counts, minutes, seeds), `fallback` when absent. */
export function wholeNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new CliError(`--${flag} must be a whole number, got "${value}"`);
  return n;
}

/** A TCP port option (0 picks a free one), `fallback` when absent. */
export function portNumber(value: string | undefined, flag: string): number | undefined;
export function portNumber(value: string | undefined, flag: string, fallback: number): number;
export function portNumber(value: string | undefined, flag: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`--${flag} must be a port number (0-65535), got "${value}"`);
  return n;
}

/** The value of a required option, or a CliError naming it. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new CliError(`--${flag} is required`);
  return value;
}

/** The error for a group command (`vigil checks …`) called without a known subcommand first. */
export function unknownSubcommand(group: string, typed: string | undefined, known: readonly string[]): CliError {
  const list = known.join(', ');
  if (typed === undefined) return new CliError(`name a subcommand: ${list} (vigil ${group} --help)`);
  if (typed.startsWith('-')) return new CliError(`unknown option ${typed} (a subcommand comes first: ${list}; vigil ${group} --help)`);
  const guess = closestName(typed, known);
  return new CliError(`unknown subcommand "${typed}" (${guess ? `did you mean ${guess}?` : `known: ${list}`})`);
}
