// Release awareness: the deploys and config changes the engine has seen (reported, or inferred
// from a new service.version in telemetry), and the link from a signal to the latest change of
// its service shortly before its onset.
import type { ChangeEvent, SignalChangeLink } from '../model/index.js';

export interface ChangeLog {
  /** Sorted by time; bounded to the most recent `MAX_CHANGES`. */
  changes: Array<Pick<ChangeEvent, 'id' | 'service' | 'kind' | 'timeMs' | 'version'>>;
  /** service → version → first seen (ms), for inferring deploys. */
  versions: Record<string, Record<string, number>>;
}

const MAX_CHANGES = 5000;

export function emptyChangeLog(): ChangeLog {
  return { changes: [], versions: {} };
}

export function recordChange(log: ChangeLog, change: Pick<ChangeEvent, 'id' | 'service' | 'kind' | 'timeMs' | 'version'>): void {
  if (log.changes.some((c) => c.id === change.id)) return;
  const entry = { id: change.id, service: change.service, kind: change.kind, timeMs: change.timeMs, version: change.version };
  let i = log.changes.length;
  while (i > 0 && (log.changes[i - 1]?.timeMs ?? 0) > entry.timeMs) i--;
  log.changes.splice(i, 0, entry);
  if (log.changes.length > MAX_CHANGES) log.changes.splice(0, log.changes.length - MAX_CHANGES);
  if (change.kind === 'deploy' && change.version) {
    const versions = (log.versions[change.service] ??= {});
    versions[change.version] ??= change.timeMs;
  }
}

/** Notes a version seen in telemetry; a version new to a known service is an inferred deploy. */
export function noteVersion(log: ChangeLog, service: string, version: string, timeMs: number): void {
  if (!version) return;
  const versions = log.versions[service];
  if (!versions) {
    log.versions[service] = { [version]: timeMs };
    return;
  }
  if (versions[version] !== undefined) return;
  versions[version] = timeMs;
  recordChange(log, { id: `inferred:${service}:${version}`, service, kind: 'deploy', timeMs, version });
}

export function linkChange(log: ChangeLog, windowMs: number, service: string, startedAtMs: number, detectedAtMs: number): SignalChangeLink | undefined {
  for (let i = log.changes.length - 1; i >= 0; i--) {
    const c = log.changes[i];
    if (!c || c.timeMs > detectedAtMs) continue;
    if (c.timeMs < startedAtMs - windowMs) break;
    if (c.service === service) return { changeId: c.id, kind: c.kind, version: c.version, timeMs: c.timeMs };
  }
  return undefined;
}
