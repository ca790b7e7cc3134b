// The API client of CLI commands: Vigil's typed client (src/client) configured from --url/--key or
// VIGIL_URL/VIGIL_API_KEY, whose failures become one-line CliErrors that say what to do.
import { VigilApiError, VigilClient, VigilUnreachableError } from '../client/index.js';
import { resolveClientConfig } from '../config/index.js';
import { CliError } from './command.js';

/** A failure that may pass by itself (Vigil restarting, unreachable for a moment, a 5xx): a long watch retries it. */
export class TransientApiError extends CliError {}

export class ApiClient extends VigilClient {
  constructor(
    url: string,
    apiKey: string | undefined,
    readonly actor: string,
  ) {
    super({ url, ...(apiKey ? { apiKey } : {}) });
  }

  static fromFlags(flags: Map<string, string>): ApiClient {
    return ApiClient.fromOptions({ url: flags.get('url'), key: flags.get('key') });
  }

  /** From the --url and --key of `apiOptions` (src/cli/options.ts), else VIGIL_URL and VIGIL_API_KEY. */
  static fromOptions(values: { url?: string; key?: string }): ApiClient {
    const c = resolveClientConfig({ url: values.url, key: values.key });
    if (!c.apiKey) throw new CliError('no API key: pass --key or set VIGIL_API_KEY');
    return new ApiClient(c.url, c.apiKey, c.actor);
  }

  override async request<T>(method: string, path: string, body?: unknown, o?: { timeoutMs?: number }): Promise<T> {
    try {
      return await super.request<T>(method, path, body, o);
    } catch (err) {
      if (err instanceof VigilUnreachableError)
        throw new TransientApiError(`cannot reach Vigil at ${err.url} (${err.reason}); is it running? (--url or VIGIL_URL)`);
      if (err instanceof VigilApiError) {
        const message = `${err.method} ${err.path} answered ${err.status} ${err.code}: ${err.reason}`;
        throw err.status >= 500 ? new TransientApiError(message) : new CliError(message);
      }
      throw err;
    }
  }
}
