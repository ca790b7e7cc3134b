// Tells Vigil about the shop's changes the way a CI pipeline would: deploys to
// POST /api/v1/deployments, config changes to POST /api/v1/changes. Failures are kept, not thrown:
// the shop keeps running while Vigil starts up or restarts.

export interface ChangeReporter {
  deploy(service: string, version: string, description: string, attributes: Record<string, string>): Promise<void>;
  config(service: string, description: string, attributes: Record<string, string>): Promise<void>;
}

export class VigilChangeReporter implements ChangeReporter {
  readonly failures: string[] = [];
  sent = 0;

  constructor(
    private readonly apiUrl: string,
    private readonly apiKey: string,
    private readonly environment: string,
  ) {}

  deploy(service: string, version: string, description: string, attributes: Record<string, string>): Promise<void> {
    return this.post('/api/v1/deployments', { service, version, environment: this.environment, description, time: new Date().toISOString(), attributes });
  }

  config(service: string, description: string, attributes: Record<string, string>): Promise<void> {
    return this.post('/api/v1/changes', { service, kind: 'config', description, time: new Date().toISOString(), attributes });
  }

  private async post(path: string, body: unknown): Promise<void> {
    try {
      const res = await fetch(`${this.apiUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      if (!res.ok) this.failures.push(`${path}: HTTP ${res.status}`);
      else this.sent++;
    } catch (err) {
      this.failures.push(`${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** For running the shop without a Vigil API (tests, a bare OTLP sink). */
export const noChangeReporter: ChangeReporter = {
  deploy: () => Promise.resolve(),
  config: () => Promise.resolve(),
};
