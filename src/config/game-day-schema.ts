import * as z from 'zod';
import { parseDuration } from '../domain/duration.js';
import { paramName, paramValue } from './param-schema.js';

// Kept apart from schema.ts (which includes it) so that neither imports the other.
const gameDayName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, {
  message: 'expected a name of letters, digits, ".", "_" or "-" (at most 63 characters)',
});
const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as "90m" or "24h", got "${text}"` });
    return z.NEVER;
  }
  return ms;
});
/** One entry of `gameDays:` (top level or a team's). */
export const gameDaySchema = z
  .object({
    name: gameDayName,
    /** node-cron, five fields, in the team's zone. */
    at: z.string().min(1, { message: 'expected a cron expression such as "0 14 * * fri"' }),
    attack: gameDayName,
    params: z.record(paramName, paramValue).default({}),
    blastRadius: z
      .object({
        count: z.number().int().min(1).optional(),
        percent: z.number().min(1).max(100).optional(),
      })
      .strict()
      .refine((b) => (b.count === undefined) !== (b.percent === undefined), {
        message: 'expected one of count or percent',
      })
      .optional(),
    /** How long ahead the notice with Approve and Skip is posted. */
    announce: duration.refine((ms) => ms >= 60_000, { message: 'expected a duration of at least 1m, such as "24h"' }),
    approvals: z.number().int().min(0).default(1),
    /** Once approved, no scheduled (random) attack starts this long before the start; default: the cooldown. */
    quietBefore: duration.optional(),
  })
  .strict();

export type GameDayRaw = z.infer<typeof gameDaySchema>;
