import * as z from 'zod';
import { parseDuration } from '../domain/duration.js';

const DAY = 86_400_000;

/** `30d`, `12h`, `1d12h` in ms; `off` (null) keeps the rows forever. */
const age = z
  .string({ error: 'expected an age such as "30d", "36h" or "off" (a number needs its unit)' })
  .transform((text, ctx): number | null => {
    if (text.trim() === 'off') return null;
    const m = /^(?:(\d+)d)?(.*)$/.exec(text.trim());
    const rest = m?.[2] ?? '';
    const restMs = rest === '' ? 0 : parseDuration(rest);
    const ms = restMs === undefined || !m ? undefined : Number(m[1] ?? 0) * DAY + restMs;
    if (ms === undefined || (m?.[1] === undefined && rest === '')) {
      ctx.addIssue({ code: 'custom', message: `expected an age such as "30d", "36h" or "off", got "${text}"` });
      return z.NEVER;
    }
    // The daily report and `status` read the last day's ticks and health samples.
    if (ms < DAY) {
      ctx.addIssue({ code: 'custom', message: `expected at least "1d" (reports read a whole day), got "${text}"` });
      return z.NEVER;
    }
    return ms;
  });

/**
 * How long the journal keeps tick outcomes and health-gate samples (pruned hourly). Attacks, their
 * probe samples and the audit log are the record of what was done to production: always kept.
 */
export const retentionSchema = z
  .object({
    ticks: age.default(30 * DAY),
    health: age.default(30 * DAY),
  })
  .strict()
  .default({ ticks: 30 * DAY, health: 30 * DAY });
