// The CLI port: every `vigil <name>` is one Command in its own file, listed in registry.ts.

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}

/** A CLI error that is shown as one line (with file and line where known), not a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
