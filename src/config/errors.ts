// Configuration errors carry a stable code and every problem found, each with file, line and key,
// so a user fixes vigil.yaml in one pass instead of one error at a time.

export interface ConfigProblem {
  file: string;
  line: number; // 1-based, 0 when unknown
  key: string; // dotted path, e.g. notify.channels.0.url
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'VIGIL_CONFIG_INVALID';
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `VIGIL_CONFIG_INVALID: ${p.file}${p.line ? `:${p.line}` : ''} ${p.key ? `${p.key}: ` : ''}${p.message}`).join('\n'));
  }
}
