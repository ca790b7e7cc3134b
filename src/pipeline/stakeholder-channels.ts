// Where posted stakeholder updates go besides the status page: the notify channels named in
// `status.updates.channels`, through an outbox of their own (<data>/notify-stakeholders), so the
// update reaches people outside the on-call rotation with retries, and never mixes with, or is
// deduplicated against, the responders' messages. The message carries public names only.
import { join } from 'node:path';
import type { VigilConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import { buildIncidentMessage, createChannels, Outbox } from '../notify/index.js';
import type { StakeholderUpdate } from '../status/index.js';
import type { UpdatePublisher } from './status-service.js';

export interface StakeholderChannels {
  publish: UpdatePublisher;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Undefined when no channel is named; unknown names are refused at start-up with the list of known ones. */
export function stakeholderChannels(config: Readonly<VigilConfig>, log: Logger): StakeholderChannels | undefined {
  const names = config.status.updates.channels;
  if (!names.length) return undefined;
  const known = new Map(config.notify.channels.map((c) => [c.name, c]));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length)
    throw new Error(
      `status.updates.channels names ${unknown.map((n) => `"${n}"`).join(', ')}, not in notify.channels (${[...known.keys()].join(', ') || 'none configured'})`,
    );
  const outbox = new Outbox({
    directory: join(config.storage.dataDir, 'notify-stakeholders'),
    channels: createChannels(names.map((n) => known.get(n)!)),
    retry: config.notify.retry,
    logger: log,
  });
  // Receivers dedupe on incident, event and this number: it only grows, across restarts too (the
  // wall clock), because two updates can share one engine time.
  let seq = 0;
  return {
    start: () => outbox.start(),
    stop: () => outbox.stop(),
    async publish(update: StakeholderUpdate, incident) {
      const message = buildIncidentMessage({
        event: incident.status === 'resolved' ? 'resolved' : 'updated',
        seq: (seq = Math.max(seq + 1, Date.now())),
        atMs: update.postedAtMs ?? update.createdAtMs,
        incident: {
          id: update.incidentId,
          title: incident.title,
          status: incident.status,
          severity: incident.severity,
          severityReason: '',
          services: incident.components,
          startedAtMs: incident.startedAtMs,
          detectedAtMs: incident.startedAtMs,
        },
        update: update.text,
      });
      await outbox.enqueue(message, names);
    },
  };
}
