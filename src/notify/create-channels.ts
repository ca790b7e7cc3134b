// Builds the configured channels through the registry: the only place a channel config meets
// its factory, so neither the outbox nor the server ever switches on a channel type.
import type { ChannelDeps, ChannelFactory, NotificationChannel } from './channel.js';
import { channelRegistry } from './channels/registry.js';
import type { ChannelConfig } from './config.js';
import { NotifyError } from './errors.js';

const factories = new Map<string, ChannelFactory>(channelRegistry.map((f) => [f.type, f as unknown as ChannelFactory]));

export function createChannels(configs: readonly ChannelConfig[], deps: Partial<ChannelDeps> = {}): NotificationChannel[] {
  const full: ChannelDeps = { fetch: deps.fetch ?? globalThis.fetch, timeoutMs: deps.timeoutMs ?? 10_000 };
  return configs.map((config) => {
    const factory = factories.get(config.type);
    if (!factory) throw new NotifyError('VIGIL_NOTIFY_CONFIG_INVALID', `unknown channel type "${config.type}"`);
    return factory.create(config, full);
  });
}
