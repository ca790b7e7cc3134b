// Business KPIs as declared (`kpis:` in vigil.yaml, validated at the boundary): which metric is the
// KPI, optionally of which service, and the drops that make an incident a business problem.
import { z } from 'zod';

export const kpiDefinitionSchema = z
  .object({
    /** What people call it: "orders/min", "sign-ups", "revenue". */
    name: z.string().min(1).max(100),
    /** The metric carrying it (a gauge or a per-interval count), e.g. business.orders. */
    metric: z.string().min(1).max(200),
    service: z.string().min(1).max(200).optional(),
    /**
     * Drop below the usual level at which an incident is at least this severe. Why these defaults:
     * losing a tenth of orders is noticed by the business within the hour, a quarter is a bad day,
     * half is an outage whatever the error rates say.
     */
    drops: z
      .object({ medium: z.number().gt(0).lt(1), high: z.number().gt(0).lt(1), critical: z.number().gt(0).lt(1) })
      .strict()
      .refine((d) => d.medium < d.high && d.high < d.critical, 'drops must grow: medium < high < critical')
      .default({ medium: 0.1, high: 0.25, critical: 0.5 }),
  })
  .strict();

export const kpisConfigSchema = z.array(kpiDefinitionSchema).refine((ks) => new Set(ks.map((k) => k.name)).size === ks.length, 'KPI names must be unique');

export type KpiDefinition = z.output<typeof kpiDefinitionSchema>;
export type KpiDefinitionInput = z.input<typeof kpiDefinitionSchema>;
