// Tells Vigil about the shop's changes the way a CI pipeline would: deploys to
// POST /api/v1/deployments, config changes to POST /api/v1/changes. Failures are kept, not thrown:
// the shop keeps running while Vigil starts up or restarts.
import { VigilApiError, VigilClient } from '../client/index.js';

export interface ChangeReporter {
  deploy(service: string, version: string, description: string, attributes: Record<string, string>): Promise<void>;
  config(service: string, description: string, attributes: Record<string, string>): Promise<void>;
}

export class VigilChangeReporter implements ChangeReporter {
  readonly failures: string[] = [];
  sent = 0;

  private readonly api: VigilClient;

  constructor(
    apiUrl: string,
    apiKey: string,
    private readonly environment: string,
  ) {
    this.api = new VigilClient({ url: apiUrl, apiKey, timeoutMs: 5000 });
  }

  deploy(service: string, version: string, description: string, attributes: Record<string, string>): Promise<void> {
    return this.keep(
      '/api/v1/deployments',
      this.api.recordDeployment({ service, version, environment: this.environment, description, time: new Date().toISOString(), attributes }),
    );
  }

  config(service: string, description: string, attributes: Record<string, string>): Promise<void> {
    return this.keep('/api/v1/changes', this.api.recordChange({ service, kind: 'config', description, time: new Date().toISOString(), attributes }));
  }

  private async keep(path: string, sent: Promise<unknown>): Promise<void> {
    try {
      await sent;
      this.sent++;
    } catch (err) {
      this.failures.push(`${path}: ${err instanceof VigilApiError ? `HTTP ${err.status}` : err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** For running the shop without a Vigil API (tests, a bare OTLP sink). */
export const noChangeReporter: ChangeReporter = {
  deploy: () => Promise.resolve(),
  config: () => Promise.resolve(),
};
