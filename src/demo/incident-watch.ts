// Polls the demo's Vigil for incidents and reports each one once as it opens, so a newcomer sees
// the catch in the terminal where they typed `vigil demo`, without opening the UI first.
import { VigilClient, type IncidentSummaryView } from '../client/index.js';

/** The fields of a listed incident the watch and the drills read. */
export type WatchedIncident = Pick<IncidentSummaryView, 'id' | 'title' | 'status' | 'severity' | 'services' | 'detectedAt'>;

export interface IncidentWatchOptions {
  apiUrl: string;
  apiKey: string;
  everyMs?: number;
  onIncident(incident: WatchedIncident): void;
}

export class IncidentWatch {
  private timer?: NodeJS.Timeout;
  private readonly seen = new Set<string>();
  private polling = false;
  private primed = false;

  private readonly api: VigilClient;

  constructor(private readonly o: IncidentWatchOptions) {
    this.api = new VigilClient({ url: o.apiUrl, apiKey: o.apiKey, timeoutMs: 10_000 });
  }

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.o.everyMs ?? 5_000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const body = await this.api.listIncidents({ status: 'all' });
      // Newest first: report in opening order. Incidents of an earlier run on the same data
      // directory are there at the first poll; only new ones are news.
      for (const incident of [...body.incidents].reverse()) {
        if (this.seen.has(incident.id)) continue;
        this.seen.add(incident.id);
        if (this.primed) this.o.onIncident(incident);
      }
      this.primed = true;
    } catch {
      // Vigil busy or restarting: the next poll catches up.
    } finally {
      this.polling = false;
    }
  }
}
