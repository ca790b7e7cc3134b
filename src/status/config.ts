// vigil.yaml `status:` — the public status page's component groups (each a customer-facing name
// over internal services) and how stakeholder updates are posted.
import { z } from 'zod';

const componentSchema = z
  .object({
    /** The public name ("Checkout", "Search"); the only name the public page shows. */
    name: z.string().trim().min(1).max(100),
    /** Internal services whose incidents affect this component; never shown publicly. */
    services: z.array(z.string().trim().min(1).max(200)).min(1, 'a component maps at least one service'),
    /** Public words for who uses it ("customers paying by card"), used in stakeholder updates. */
    audience: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const statusConfigSchema = z
  .object({
    title: z.string().trim().min(1).max(100).default('Service status'),
    components: z.array(componentSchema).default([]),
    updates: z
      .object({
        /** Drafts wait for a person to post them (POST /api/v1/incidents/ID/updates) instead of going out at once. */
        approval: z.boolean().default(false),
        /** Notification channels (by name, from notify.channels) that receive posted updates; empty: none. */
        channels: z.array(z.string().min(1)).default([]),
        /** The promised time to the next update while an incident is open. */
        nextUpdateMinutes: z
          .number()
          .int()
          .min(5)
          .max(24 * 60)
          .default(30),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.components.forEach((c, i) => {
      if (seen.has(c.name))
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'name'],
          message: `another component is already named "${c.name}"`,
        });
      seen.add(c.name);
    });
  });

export type StatusConfig = z.output<typeof statusConfigSchema>;
export type StatusComponent = StatusConfig['components'][number];
