/** The fields several config schemas share: durations, paths, times, names, hosts, business hours. */
import * as z from 'zod';
import { parseDuration } from '../domain/duration.js';
import { ADDRESS_EXPECTED, isHostAddress, isLoginName, LOGIN_EXPECTED } from '../domain/host-address.js';
import { looksLikeOption, OPTION_LIKE } from '../domain/params.js';

/** A duration such as `90s`, `10m`, `1h`, turned into milliseconds. */
export const durationMs = z
  .string({
    error: (issue) =>
      typeof issue.input === 'number'
        ? `expected a duration with its unit, such as "${issue.input}s" or "${issue.input}m" (a bare number has none), got ${issue.input}`
        : `expected a duration such as "90s", "10m" or "1h"`,
  })
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as "90s", "10m" or "1h", got "${text}"` });
      return z.NEVER;
    }
    return ms;
  });

/** A path baked into a root-owned script and a sudoers line: absolute, plain characters, no `..`. */
export const absolutePlainPath = z
  .string()
  .regex(/^(\/[A-Za-z0-9_.-]+)+$/, {
    message: 'expected an absolute path of plain characters, e.g. "/usr/local/libexec/chaoscat/chaoscat-host"',
  })
  .refine((p) => !p.split('/').includes('..') && !p.split('/').includes('.'), {
    message: 'expected a path without "." or ".." parts',
  });

export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a 24-hour time "HH:MM", e.g. "10:00"' });

/** The end of a window: a time as above, or "24:00", the end of the day (00:00 would be its start). */
export const hhmmEnd = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, {
  message: 'expected a 24-hour time "HH:MM" (or "24:00" for the end of the day), e.g. "16:00"',
});
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date "YYYY-MM-DD"' });
export const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
/** Names are used in chat and as table keys: keep them plain so no quoting is ever needed. */
export const plainName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, {
  message: 'expected a name of letters, digits, ".", "_" or "-" (at most 63 characters)',
});

/** Never shell text, but refused at load if it could be one (src/domain/host-address.ts). */
export const hostAddress = z.string().refine(isHostAddress, { message: ADDRESS_EXPECTED });
export const loginName = z.string().refine(isLoginName, { message: LOGIN_EXPECTED });

export const jumpHost = z
  .object({
    address: hostAddress,
    port: z.number().int().min(1).max(65535).default(22),
    user: loginName.optional(),
  })
  .strict();

export const hostSchema = z
  .object({
    name: plainName,
    address: hostAddress,
    port: z.number().int().min(1).max(65535).default(22),
    tags: z.array(plainName).default([]),
    user: loginName.optional(),
    jumpHost: jumpHost.optional(),
    /**
     * Per-host values an attack may need, e.g. `process: nginx` for process-kill or
     * `unit: nginx.service` for service-restart. They reach scripts as CHAOSCAT_VAR_<NAME>.
     */
    vars: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/i), z.string().regex(/^[A-Za-z0-9@._:/+-]*$/)).default({}),
  })
  .strict()
  .superRefine((host, ctx) => {
    for (const [name, value] of Object.entries(host.vars)) {
      if (looksLikeOption(value)) {
        ctx.addIssue({
          code: 'custom',
          path: ['vars', name],
          message: `host ${host.name}: var ${name}="${value.slice(0, 40)}" ${OPTION_LIKE}`,
        });
      }
    }
  });

export const businessHoursSchema = z
  .object({
    days: z.array(weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    start: hhmm.default('10:00'),
    end: hhmmEnd.default('16:00'),
    holidays: z.array(isoDate).default([]),
  })
  .strict();

/** A team's keys; everything left out is taken from the top level (see teamSchema in load.ts). */
