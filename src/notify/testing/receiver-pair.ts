// A team chat (Slack) and a pager (signed webhook) receiver, started fresh with a scratch directory
// for each test of the notifier suites, and every notifier a test made stopped after it: the
// set-up those suites share, so each states only its own routes and escalation.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { Notifier } from '../notifier.js';
import type { NotifyConfig } from '../config.js';
import { HttpReceiver } from './http-receiver.js';

export class ReceiverPair {
  dir = '';
  team!: HttpReceiver;
  pager!: HttpReceiver;
  private notifiers: Notifier[] = [];

  /** Starts a pair before each test of the file and closes it after; call at the top level of a test file. */
  static perTest(dirPrefix: string): ReceiverPair {
    const pair = new ReceiverPair();
    beforeEach(async () => {
      pair.dir = await mkdtemp(join(tmpdir(), dirPrefix));
      pair.team = await HttpReceiver.start();
      pair.pager = await HttpReceiver.start();
    });
    afterEach(async () => {
      for (const n of pair.notifiers) await n.stop();
      pair.notifiers = [];
      await pair.team.close();
      await pair.pager.close();
      await rm(pair.dir, { recursive: true, force: true });
    });
    return pair;
  }

  /** The config's channels: `team` posts to the Slack receiver, `pager` to the signed webhook one. */
  channels(): Array<Record<string, string>> {
    return [
      { name: 'team', type: 'slack', url: this.team.url('/services/T/B/x') },
      { name: 'pager', type: 'webhook', url: this.pager.url('/in'), secret: 'pager-secret-0123456789' },
    ];
  }

  /** A notifier on the scratch directory, stopped after the test unless `forgetNotifiers` says the test stopped it. */
  notifier(config: NotifyConfig, seed: number): Notifier {
    const n = new Notifier({ config, directory: this.dir, seed });
    this.notifiers.push(n);
    return n;
  }

  /** The test stopped its notifiers itself (to restart on the same directory): do not stop them again. */
  forgetNotifiers(): void {
    this.notifiers = [];
  }
}
