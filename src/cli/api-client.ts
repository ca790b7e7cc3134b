// A small client for CLI commands that talk to a running Vigil over its HTTP API.
import { resolveClientConfig } from '../config/index.js';
import { CliError } from './command.js';

export class ApiClient {
  constructor(
    readonly url: string,
    private readonly apiKey: string | undefined,
    readonly actor: string,
  ) {}

  static fromFlags(flags: Map<string, string>): ApiClient {
    return ApiClient.fromOptions({ url: flags.get('url'), key: flags.get('key') });
  }

  /** From the --url and --key of `apiOptions` (src/cli/options.ts), else VIGIL_URL and VIGIL_API_KEY. */
  static fromOptions(values: { url?: string; key?: string }): ApiClient {
    const c = resolveClientConfig({ url: values.url, key: values.key });
    if (!c.apiKey) throw new CliError('no API key: pass --key or set VIGIL_API_KEY');
    return new ApiClient(c.url, c.apiKey, c.actor);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.apiKey ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new CliError(`cannot reach Vigil at ${this.url} (${(err as Error).message}); is it running? (--url or VIGIL_URL)`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const message = (json as { error?: { message?: string } } | undefined)?.error?.message ?? text.slice(0, 300);
      throw new CliError(`${method} ${path} answered ${res.status}: ${message}`);
    }
    return json as T;
  }
}
