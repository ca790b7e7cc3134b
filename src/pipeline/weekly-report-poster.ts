// The weekly reliability report posted to a notification channel (`reports.weekly`): a timer on an
// injected clock asks the pure schedule (reports/weekly.ts) whether a week is due, builds that
// week's report and hands it to an outbox of its own (<data>/notify-reports: retries, kept across
// restarts). The last week posted is kept in <data>/weekly-report.json, so a restart or a clock
// jump never posts a week twice.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NotifyConfig } from '../notify/index.js';
import { buildIncidentMessage, createChannels, Outbox } from '../notify/index.js';
import { weeklyReportDue, type ReliabilityReport, type WeeklySchedule } from '../reports/index.js';
import { durationText, isoTime } from '../reviews/index.js';
import type { Logger } from '../logger.js';

export interface WeeklyReportPosterOptions {
  schedule: WeeklySchedule;
  notify: NotifyConfig;
  dataDir: string;
  log: Logger;
  /** Wall clock (a week is people's time). */
  now: () => number;
  report: (fromMs: number, toMs: number) => Promise<ReliabilityReport>;
  /** Where the full report is read (server.publicUrl), when known. */
  publicUrl?: string;
  timers?: { setInterval: (f: () => void, ms: number) => unknown; clearInterval: (t: unknown) => void };
}

const CHECK_EVERY_MS = 60_000;

export class WeeklyReportPoster {
  private readonly outbox: Outbox;
  private readonly statePath: string;
  private timer: unknown;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly o: WeeklyReportPosterOptions) {
    const channel = o.notify.channels.find((c) => c.name === o.schedule.channel);
    if (!channel)
      throw new Error(
        `reports.weekly.channel "${o.schedule.channel}" is not in notify.channels (${o.notify.channels.map((c) => c.name).join(', ') || 'none configured'})`,
      );
    mkdirSync(o.dataDir, { recursive: true });
    this.statePath = join(o.dataDir, 'weekly-report.json');
    this.outbox = new Outbox({ directory: join(o.dataDir, 'notify-reports'), channels: createChannels([channel]), retry: o.notify.retry, logger: o.log });
  }

  async start(): Promise<void> {
    await this.outbox.start();
    const t = this.o.timers ?? {
      setInterval: (f: () => void, ms: number) => setInterval(f, ms),
      clearInterval: (x: unknown) => clearInterval(x as NodeJS.Timeout),
    };
    this.timer = t.setInterval(() => void this.tick().catch((err: unknown) => this.o.log.error({ err }, 'weekly report failed')), CHECK_EVERY_MS);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) (this.o.timers?.clearInterval ?? ((x: unknown) => clearInterval(x as NodeJS.Timeout)))(this.timer);
    await this.running;
    await this.outbox.stop();
  }

  /** Posts the week due now, if any; ticks never overlap. Resolves with the slot posted. */
  tick(): Promise<void> {
    this.running = this.running.then(async () => {
      const due = weeklyReportDue(this.o.now(), this.lastPosted(), this.o.schedule);
      if (!due) return;
      const r = await this.o.report(due.fromMs, due.toMs);
      await this.outbox.enqueue(this.message(r, due.slotMs), [this.o.schedule.channel]);
      writeFileSync(this.statePath, JSON.stringify({ lastPostedSlotMs: due.slotMs }));
      this.o.log.info({ from: isoTime(due.fromMs), to: isoTime(due.toMs) }, 'weekly reliability report posted');
    });
    return this.running;
  }

  private lastPosted(): number | undefined {
    try {
      const v = (JSON.parse(readFileSync(this.statePath, 'utf8')) as { lastPostedSlotMs?: unknown }).lastPostedSlotMs;
      return typeof v === 'number' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  private message(r: ReliabilityReport, slotMs: number): ReturnType<typeof buildIncidentMessage> {
    const secs = (s: number | null): string => (s === null ? 'n/a' : durationText(s * 1000));
    const week = `${isoTime(r.from).slice(0, 10)} to ${isoTime(r.to).slice(0, 10)}`;
    const low = r.confidence.filter((c) => c.level === 'low').map((c) => c.service);
    const summary = `${r.incidents} incidents (${r.bySeverity.critical} critical, ${r.bySeverity.high} high); MTTD ${secs(r.mttdSeconds)}, MTTR ${secs(r.mttrSeconds)}; repeats ${(r.repeatRate * 100).toFixed(1)}%; action items ${r.actionItems.done}/${r.actionItems.total} done, ${r.actionItems.overdue} overdue; ${r.customerReportedFirst} customer-reported first${low.length ? `; low confidence: ${low.join(', ')}` : ''}`;
    // The link leads: the update is clipped at 300 characters and a cut link is worthless.
    const link = this.o.publicUrl
      ? `Full report: ${this.o.publicUrl.replace(/\/+$/, '')}/api/v1/reports/reliability?from=${isoTime(r.from)}&to=${isoTime(r.to)}&format=html. `
      : '';
    // Channels render incident messages; the report rides as one: its "incident" is the week.
    return buildIncidentMessage({
      event: 'updated',
      seq: slotMs,
      atMs: slotMs,
      incident: {
        id: `weekly-report-${isoTime(slotMs).slice(0, 10)}`,
        title: `Weekly reliability report, ${week}`,
        status: 'resolved',
        severity: 'low',
        severityReason: '',
        services: r.byService.map((s) => s.service),
        startedAtMs: r.from,
        detectedAtMs: r.to,
      },
      headline: `Weekly reliability report, ${week}`,
      update: `${link}${summary}.`,
    });
  }
}
