// Harmless deploys in the live demo: every so often one service ships a patch version (its SDK
// restarts with the new service.version) and the deploy is reported to Vigil, so the engine
// learns that most deploys are fine.

import { nextPatch, SHOP_SERVICES } from '../sim/index.js';

export interface DeployTarget {
  currentVersion(service: string): string;
  deploy(service: string, version: string, description: string): Promise<void>;
  busy(service: string): boolean;
}

const DESCRIPTIONS = [
  'bump dependencies',
  'copy changes on the product page',
  'structured logging for request ids',
  'refactor: extract pricing helpers',
  'upgrade node base image',
];

export class HarmlessDeploys {
  private timer?: NodeJS.Timeout;
  count = 0;

  constructor(
    private readonly target: DeployTarget,
    private readonly everyMs: number,
  ) {}

  start(): void {
    if (this.everyMs <= 0) return;
    this.timer = setInterval(() => void this.once(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async once(): Promise<void> {
    const candidates = SHOP_SERVICES.filter((s) => !this.target.busy(s));
    const service = candidates[Math.floor(Math.random() * candidates.length)];
    if (!service) return;
    const description = DESCRIPTIONS[Math.floor(Math.random() * DESCRIPTIONS.length)] ?? 'maintenance';
    this.count++;
    await this.target.deploy(service, nextPatch(this.target.currentVersion(service)), description);
  }
}
