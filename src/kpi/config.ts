// Business KPIs as declared (`kpis:` in vigil.yaml, validated at the boundary): which metric is the
// KPI (optionally of which service and which attribute values), which way is bad, and the changes
// that make an incident a business problem.
import { z } from 'zod';

const share = z.number().gt(0).lt(1);

export const kpiDefinitionSchema = z
  .object({
    /** What people call it: "orders/min", "sign-ups", "revenue". */
    name: z.string().min(1).max(100),
    /** The metric carrying it (a gauge, or a count: delta or cumulative), e.g. business.orders. */
    metric: z.string().min(1).max(200),
    service: z.string().min(1).max(200).optional(),
    /** Only points whose attributes have these values count (e.g. {region: eu, outcome: paid}). */
    attributes: z.record(z.string().min(1).max(200), z.string().max(500)).optional(),
    /** Shown beside the numbers ("orders", "EUR"); the metric's own unit when absent. */
    unit: z.string().min(1).max(40).optional(),
    /**
     * Which way is bad: a drop (orders, sign-ups, revenue: the default) or a rise (refunds, failed
     * payments, cart abandonments).
     */
    direction: z.enum(['drop-is-bad', 'rise-is-bad']).default('drop-is-bad'),
    /**
     * Change from the usual level at which an incident is at least this severe. Why these defaults:
     * losing a tenth of orders is noticed by the business within the hour, a quarter is a bad day,
     * half is an outage whatever the error rates say.
     */
    drops: z
      .object({ medium: share, high: share, critical: share })
      .strict()
      .refine((d) => d.medium < d.high && d.high < d.critical, 'drops must grow: medium < high < critical')
      .default({ medium: 0.1, high: 0.25, critical: 0.5 }),
  })
  .strict();

export const kpisConfigSchema = z.array(kpiDefinitionSchema).superRefine((ks, ctx) => {
  const seen = new Set<string>();
  ks.forEach((k, i) => {
    if (seen.has(k.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate KPI name "${k.name}": KPI names must be unique` });
    seen.add(k.name);
  });
});

export type KpiDefinition = z.output<typeof kpiDefinitionSchema>;
export type KpiDefinitionInput = z.input<typeof kpiDefinitionSchema>;

/** The series a KPI is read from: its metric, and its service and attribute values when it names them. */
export function kpiSeries(kpis: readonly KpiDefinition[]): Array<{ metric: string; service?: string; attributes?: Record<string, string> }> {
  return kpis.map((k) => ({ metric: k.metric, ...(k.service ? { service: k.service } : {}), ...(k.attributes ? { attributes: k.attributes } : {}) }));
}
