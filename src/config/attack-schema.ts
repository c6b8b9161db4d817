import * as z from 'zod';
import { evidenceSchema } from './evidence-schema.js';
import { durationMs, plainName } from './field-schemas.js';
import { healthProviderSchema } from './health-schema.js';
import { paramName as envKey, paramValue } from './param-schema.js';
import { runbookUrl } from './runbook-schema.js';

const MAX_DURATION_MS = 3_600_000;
const paramNumber = z.number().finite();
/** The long form of a parameter: a default within bounds (`min`/`max`/`unit`) or a list (`enum`). */
const paramLong = z
  .object({
    default: paramValue,
    min: paramNumber.optional(),
    max: paramNumber.optional(),
    unit: z
      .string()
      .regex(/^[A-Za-z%/]{1,12}$/, { message: 'expected a short unit such as ms, s, MB or %' })
      .optional(),
    description: z.string().max(200).optional(),
    enum: z.array(paramValue).min(1, { message: 'expected at least one allowed value' }).optional(),
  })
  .strict();
const param = z.union([paramValue, paramLong]);

/** `targets:` a tag list (short form) or `{ tags, names, exclude }`. */
const targetsLong = z
  .object({
    tags: z.array(plainName).default([]),
    /** An anchored regular expression on host names, checked at load. */
    names: z
      .string()
      .regex(/^\^.*\$$/, { message: "expected an anchored regular expression such as '^web-[0-9]+$'" })
      .optional(),
    exclude: z.array(plainName).default([]),
  })
  .strict();

const blastRadius = z
  .object({
    count: z.number().int().min(1, { message: 'expected a whole number of hosts, at least 1' }).optional(),
    percent: z.number().gt(0).max(100, { message: 'expected a percentage above 0 and at most 100' }).optional(),
    max: z.number().int().min(1, { message: 'expected a whole number of hosts, at least 1' }).optional(),
    allowAll: z.boolean().default(false),
  })
  .strict()
  .refine((b) => !(b.count !== undefined && b.percent !== undefined), {
    message: 'expected either count or percent, not both',
  });

/** One attack file in attacks/. */
export const attackFileSchema = z
  .object({
    name: plainName,
    description: z.string().min(1, { message: 'expected a one-line description' }),
    weight: z.number().int().min(0).max(1000),
    duration: durationMs.refine((ms) => ms > 0 && ms <= MAX_DURATION_MS, {
      message: 'expected a duration above 0 and at most 1h',
    }),
    targets: z.union([z.array(plainName), targetsLong]).default([]),
    requires: z.array(z.string().regex(/^[a-z0-9._+-]+$/i, { message: 'expected a command name' })).default([]),
    sudo: z.boolean().default(false),
    params: z.record(envKey, param).default({}),
    /** How many of its eligible hosts one run hits (default one). */
    blastRadius: blastRadius.optional(),
    hostVars: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/i)).default([]),
    run: z.string().min(1, { message: 'expected the shell script to run on the host' }),
    rollback: z.string().min(1, { message: 'expected a rollback script (use "true" when nothing needs undoing)' }),
    /** Probes that define "fine" for this attack, besides the global `health:` list. */
    steadyState: z.array(healthProviderSchema).default([]),
    /** How long after the fault ends the steady state may take to hold again (default verdict.recoveryWindow). */
    recovery: durationMs
      .refine((ms) => ms > 0 && ms <= 3_600_000, { message: 'expected a duration above 0 and at most 1h' })
      .optional(),
    /** A deviation of the attack's own probes aborts it (the global gate always does). */
    abortOnDeviation: z.boolean().default(false),
    /** The runbook for what this attack breaks: linked when it runs and when the people on call are asked. */
    runbook: runbookUrl.optional(),
    /** The service's own metrics to read around it, drawn with the fault shaded (docs/reports.md). */
    evidence: z.array(evidenceSchema).max(5).default([]),
  })
  .strict();

export type AttackFile = z.infer<typeof attackFileSchema>;
