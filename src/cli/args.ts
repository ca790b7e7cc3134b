// Minimal flag parsing shared by the commands: `--name value`, `--name=value`, and boolean flags.
import { CliError } from './command.js';

export interface ParsedArgs {
  flags: Map<string, string>;
  booleans: Set<string>;
  positional: string[];
}

export function parseArgs(args: string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const flags = new Map<string, string>();
  const booleans = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (booleanFlags.includes(name)) {
      booleans.add(name);
      continue;
    }
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new CliError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { flags, booleans, positional };
}

export function requireFlag(parsed: ParsedArgs, name: string): string {
  const v = parsed.flags.get(name);
  if (v === undefined) throw new CliError(`--${name} is required`);
  return v;
}

export function intFlag(parsed: ParsedArgs, name: string, fallback: number): number {
  const v = parsed.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`--${name} must be a whole number, got "${v}"`);
  return n;
}
