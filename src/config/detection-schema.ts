import * as z from 'zod';
import { parseMatcher } from '../domain/label-matchers.js';
import { envName, timeout, url } from './health-schema.js';

/** A matcher or selector with its host placeholders filled by a plain value, to check its syntax once at load. */
function sample(text: string): string {
  return text.replace(/\{\{\s*(host|address)\s*\}\}/g, 'web-1');
}

const placeholders = (text: string, ctx: z.RefinementCtx) => {
  const unknown = /\{\{\s*([^}]*?)\s*\}\}/g.exec(text.replace(/\{\{\s*(host|address)\s*\}\}/g, ''));
  if (unknown) ctx.addIssue({ code: 'custom', message: `unknown placeholder {{${unknown[1]}}}: use {{host}} or {{address}}` });
};

/**
 * Where the bot looks for whether monitoring noticed an attack (docs/reports.md "Did monitoring
 * notice?"): an alert that matches, from the fault's start to the verdict. `{{host}}` and
 * `{{address}}` name the attacked host, escaped for the query language.
 */
export const detectionSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('alertmanager'),
      name: z.string().min(1).optional(),
      timeout,
      url,
      /** Alertmanager label matchers, e.g. `instance=~"{{address}}:.*"`; all must match. */
      matchers: z
        .array(
          z.string().superRefine((text, ctx) => {
            placeholders(text, ctx);
            const parsed = parseMatcher(sample(text));
            if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
          }),
        )
        .default([]),
      tokenEnv: envName.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('prometheus'),
      name: z.string().min(1).optional(),
      timeout,
      url,
      /** Label matchers added to `ALERTS{alertstate="firing"}`, e.g. `instance="{{address}}:9100"`. */
      selector: z
        .string()
        .default('')
        .superRefine((text, ctx) => {
          placeholders(text, ctx);
          if (/[{}]/.test(sample(text)))
            ctx.addIssue({ code: 'custom', message: 'write the matchers without braces: job="api", instance="{{address}}"' });
        }),
      tokenEnv: envName.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('pagerduty'),
      name: z.string().min(1).optional(),
      timeout,
      url: url.default('https://api.pagerduty.com'),
      /** An incident on one of these services, opened from the fault's start to the verdict, counts. */
      serviceIds: z.array(z.string().min(1)).min(1),
      tokenEnv: envName,
    })
    .strict(),
]);

export type DetectionSourceConfig = z.infer<typeof detectionSourceSchema> & { readonly name: string };
