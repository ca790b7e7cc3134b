// The `notify:` section of vigil.yaml: channels (schemas from the channel registry), routes,
// escalation policies and the retry policy. Validated once at start-up, collecting every problem
// with its place, including cross-references (a route naming an unknown channel).
import { z } from 'zod';
import { channelRegistry } from './channels/registry.js';
import { NotifyError } from './errors.js';
import { notificationEvents } from './message.js';

type ChannelSchema = (typeof channelRegistry)[number]['configSchema'];
const [firstChannel, ...otherChannels] = channelRegistry;
const channelSchemas: [ChannelSchema, ...ChannelSchema[]] = [firstChannel.configSchema, ...otherChannels.map((f) => f.configSchema)];

export const channelConfigSchema = z.discriminatedUnion('type', channelSchemas);
export type ChannelConfig = z.infer<typeof channelConfigSchema>;

export const severities = ['low', 'medium', 'high', 'critical'] as const;

const routeSchema = z.object({
  /** Service globs (`payment-*`, `*`); the route matches when any incident service matches one. */
  services: z.array(z.string().min(1)).default(['*']),
  minSeverity: z.enum(severities).default('low'),
  /** Only these events (default: all). */
  events: z.array(z.enum(notificationEvents)).optional(),
  channels: z.array(z.string().min(1)).min(1),
  /** Escalation policy for incidents this route matches. */
  escalation: z.string().min(1).optional(),
  /** Keep evaluating the next routes after a match (default true: every matching route adds its channels). */
  continue: z.boolean().default(true),
});

const escalationPolicySchema = z.object({
  name: z.string().min(1),
  levels: z
    .array(z.object({ afterMinutes: z.number().positive(), channels: z.array(z.string().min(1)).min(1) }))
    .min(1)
    .refine((levels) => levels.every((l, i) => i === 0 || l.afterMinutes > (levels[i - 1]?.afterMinutes ?? 0)), {
      message: 'levels must have increasing afterMinutes',
    }),
});

const retrySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(10),
    backoffBaseMs: z.number().int().min(1).default(2_000),
    backoffMaxMs: z
      .number()
      .int()
      .min(1)
      .default(10 * 60_000),
  })
  .refine((r) => r.backoffMaxMs >= r.backoffBaseMs, { message: 'backoffMaxMs must be >= backoffBaseMs' });

export const notifyConfigSchema = z
  .object({
    channels: z.array(channelConfigSchema).default([]),
    routes: z.array(routeSchema).default([]),
    escalation: z.array(escalationPolicySchema).default([]),
    retry: retrySchema.default({ maxAttempts: 10, backoffBaseMs: 2_000, backoffMaxMs: 10 * 60_000 }),
    /** Parallel deliveries per channel; 1 keeps a channel's messages in order. */
    concurrency: z.number().int().min(1).max(32).default(1),
    /**
     * Changes of one incident within this much engine time of the first (opened, root cause,
     * severity) go out as one message with the last state; 0 sends each change at once.
     */
    coalesceMs: z.number().int().min(0).max(60_000).default(5_000),
    /** Network timeout per delivery attempt. */
    timeoutMs: z.number().int().min(100).default(10_000),
    /** Public URL of the Vigil UI for deep links. */
    baseUrl: z.url().optional(),
  })
  .superRefine((cfg, ctx) => {
    const names = new Set<string>();
    cfg.channels.forEach((c, i) => {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'name'], message: `duplicate channel name "${c.name}"` });
      names.add(c.name);
    });
    const policies = new Set(cfg.escalation.map((p) => p.name));
    cfg.routes.forEach((r, i) => {
      r.channels.forEach((c, j) => {
        if (!names.has(c)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'channels', j], message: `unknown channel "${c}"` });
      });
      if (r.escalation !== undefined && !policies.has(r.escalation))
        ctx.addIssue({ code: 'custom', path: ['routes', i, 'escalation'], message: `unknown escalation policy "${r.escalation}"` });
    });
    cfg.escalation.forEach((p, i) =>
      p.levels.forEach((l, j) =>
        l.channels.forEach((c, k) => {
          if (!names.has(c)) ctx.addIssue({ code: 'custom', path: ['escalation', i, 'levels', j, 'channels', k], message: `unknown channel "${c}"` });
        }),
      ),
    );
  });

export type NotifyConfig = z.output<typeof notifyConfigSchema>;
export type NotifyRoute = NotifyConfig['routes'][number];
export type EscalationPolicy = NotifyConfig['escalation'][number];
export type RetryPolicy = NotifyConfig['retry'];

const formatPath = (prefix: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${String(p)}`), prefix);

/**
 * The notify section on its own (tests and tools; `vigil start` validates it inside the whole
 * config file). Throws VIGIL_NOTIFY_CONFIG_INVALID naming every problem with its place, never
 * only the first; the config comes back frozen.
 */
export function parseNotifyConfig(raw: unknown, prefix = 'notify'): NotifyConfig {
  const parsed = notifyConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return deepFreeze(parsed.data);
  throw new NotifyError('VIGIL_NOTIFY_CONFIG_INVALID', parsed.error.issues.map((i) => `${formatPath(prefix, i.path)} ${i.message}`).join('; '));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
