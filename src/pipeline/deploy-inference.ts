// Infers deployments from telemetry: the first record of a service carrying a service.version
// never seen for it before is a deploy (unless one was already reported for that version). The
// first version ever seen of a service is its baseline, not a deploy.
import type { ChangeEvent, ResourceIdentity } from '../model/index.js';

const maxVersionsPerService = 50;

export class DeployInference {
  private readonly seen = new Map<string, { versions: string[]; latest: string }>();

  /** Marks versions as known (from stored deploys at start, or a reported deploy). */
  know(service: string, version: string): void {
    if (!version) return;
    const entry = this.seen.get(service) ?? { versions: [], latest: version };
    if (!entry.versions.includes(version)) entry.versions.push(version);
    if (entry.versions.length > maxVersionsPerService) entry.versions.shift();
    entry.latest = version;
    this.seen.set(service, entry);
  }

  /** Deploys implied by a batch of records; `makeId` names each new change. */
  infer(records: Iterable<ResourceIdentity & { timeMs: number }>, makeId: () => string): ChangeEvent[] {
    const firstSeen = new Map<string, ResourceIdentity & { timeMs: number }>();
    for (const r of records) {
      if (!r.serviceVersion) continue;
      const known = this.seen.get(r.service);
      if (known?.versions.includes(r.serviceVersion)) continue;
      const key = `${r.service}\u0000${r.serviceVersion}`;
      const prev = firstSeen.get(key);
      if (!prev || r.timeMs < prev.timeMs) firstSeen.set(key, r);
    }
    const out: ChangeEvent[] = [];
    for (const r of [...firstSeen.values()].sort((a, b) => a.timeMs - b.timeMs)) {
      const previous = this.seen.get(r.service)?.latest;
      this.know(r.service, r.serviceVersion);
      if (previous === undefined) continue;
      out.push({
        id: makeId(),
        service: r.service,
        kind: 'deploy',
        timeMs: r.timeMs,
        version: r.serviceVersion,
        previousVersion: previous,
        environment: r.environment,
        commit: '',
        description: `${r.service} ${r.serviceVersion} first seen in telemetry (previously ${previous})`,
        source: 'inferred',
        attributes: {},
      });
    }
    return out;
  }
}
