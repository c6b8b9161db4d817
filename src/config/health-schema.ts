import * as z from 'zod';
import { parseDuration } from '../domain/duration.js';
import { parseMatcher } from '../domain/label-matchers.js';

export const timeout = z
  .string()
  .default('2s')
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms === 0) {
      const message = ms === 0 ? 'a timeout must be longer than 0' : `expected a duration such as "2s" or "500ms", got "${text}"`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return ms;
  });

/** The name of an environment variable that holds a secret; the secret itself never sits in the file. */
export const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
  message: 'expected the NAME of an environment variable (e.g. PAGERDUTY_TOKEN), not the secret itself',
});

export const url = z.string().superRefine((text, ctx) => {
  let parsed: URL;
  try {
    // An attack's probe may name the attacked host ({{host}}, {{address}}): checked with a stand-in name.
    parsed = new URL(text.replace(/\{\{\s*(host|address)\s*\}\}/g, 'placeholder'));
  } catch {
    ctx.addIssue({ code: 'custom', message: `expected an http(s) URL, got "${text}"` });
    return;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `expected an http(s) URL, got "${text}"` });
  } else if (parsed.username !== '' || parsed.password !== '') {
    ctx.addIssue({
      code: 'custom',
      message: 'put no credentials in the URL: name an environment variable in tokenEnv instead',
    });
  }
});

const common = { name: z.string().min(1).optional(), timeout };

export const httpProviderSchema = z
  .object({
    kind: z.literal('http'),
    ...common,
    url,
    expectStatus: z.number().int().min(100).max(599).default(200),
    /** Dot path into a JSON body, e.g. `status` or `checks.db.state`. */
    jsonPath: z.string().min(1).optional(),
    /** The value found at jsonPath must equal this (compared as strings). */
    expectValue: z.union([z.string(), z.number(), z.boolean()]).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    /** Send `Authorization: Bearer $<tokenEnv>`. */
    tokenEnv: envName.optional(),
  })
  .strict()
  .refine((c) => (c.jsonPath === undefined) === (c.expectValue === undefined), {
    message: 'jsonPath and expectValue go together: give both or neither',
    path: ['expectValue'],
  });

export const alertmanagerProviderSchema = z
  .object({
    kind: z.literal('alertmanager'),
    ...common,
    url,
    /** Label matchers in Alertmanager syntax, e.g. `severity=~"critical|page"`; all must match. */
    matchers: z
      .array(
        z.string().superRefine((text, ctx) => {
          const parsed = parseMatcher(text);
          if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
        }),
      )
      .default([]),
    tokenEnv: envName.optional(),
  })
  .strict();

export const prometheusProviderSchema = z
  .object({
    kind: z.literal('prometheus'),
    ...common,
    url,
    query: z.string().min(1),
    /** Healthy when the result is empty, or when every sample satisfies `op value`. */
    comparison: z
      .object({ op: z.enum(['<', '<=', '>', '>=', '==', '!=']), value: z.number() })
      .strict()
      .optional(),
    tokenEnv: envName.optional(),
  })
  .strict();

export const pagerdutyProviderSchema = z
  .object({
    kind: z.literal('pagerduty'),
    ...common,
    url: url.default('https://api.pagerduty.com'),
    tokenEnv: envName,
    serviceIds: z.array(z.string().min(1)).min(1),
  })
  .strict();

export const commandProviderSchema = z
  .object({
    kind: z.literal('command'),
    ...common,
    /** argv list; no shell is involved. */
    command: z.array(z.string().min(1)).min(1),
    cwd: z.string().optional(),
  })
  .strict();

export const healthProviderSchema = z.discriminatedUnion('kind', [
  httpProviderSchema,
  alertmanagerProviderSchema,
  prometheusProviderSchema,
  pagerdutyProviderSchema,
  commandProviderSchema,
]);

export type HealthProviderConfig = z.infer<typeof healthProviderSchema>;
