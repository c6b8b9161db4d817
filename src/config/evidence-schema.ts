import * as z from 'zod';
import { timeout, url } from './health-schema.js';

/**
 * The service's own metric for an attack (docs/reports.md "The metric's dip and recovery"): a
 * Prometheus query read from 5 minutes before the fault to the verdict, kept and drawn. `{{host}}`
 * and `{{address}}` name the attacked host, escaped as PromQL strings.
 */
export const evidenceSchema = z
  .object({
    title: z.string().min(1).max(80),
    url,
    query: z.string().min(1),
    /** Shown beside the values: `ms`, `%`, `req/s`. */
    unit: z.string().max(12).default(''),
    timeout: timeout.default(10_000),
  })
  .strict();

export type EvidenceConfig = z.infer<typeof evidenceSchema>;
