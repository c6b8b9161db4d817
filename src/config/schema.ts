import * as z from 'zod';
import { detectionSourceSchema } from './detection-schema.js';
import { evidenceSchema } from './evidence-schema.js';
import {
  absolutePlainPath,
  businessHoursSchema,
  durationMs,
  hhmm,
  hostSchema,
  jumpHost,
  loginName,
  plainName,
} from './field-schemas.js';
import { gameDaySchema } from './game-day-schema.js';
import { healthProviderSchema } from './health-schema.js';
import { inventorySourceSchema } from './inventory-schema.js';
import { retentionSchema } from './retention-schema.js';
import { runbookUrl } from './runbook-schema.js';

export const teamSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
      message: 'expected a team name of lower-case letters, digits and "-" (at most 40 characters)',
    }),
    /** Its announcements, threads, replies and daily report; commands there act on this team. */
    channel: z.string().min(1, { message: 'expected a Slack channel id such as C0123456789' }),
    admins: z.array(z.string().min(1)).default([]),
    adminGroups: z.array(z.string().min(1)).default([]),
    timezone: z.string().optional(),
    businessHours: businessHoursSchema.optional(),
    /** Which hosts are this team's: by tag, by name, or both; a host belongs to at most one team. */
    hosts: z
      .object({ tags: z.array(plainName).default([]), names: z.array(plainName).default([]) })
      .strict()
      .refine((h) => h.tags.length + h.names.length > 0, { message: "expected tags or names: which hosts are this team's" }),
    /** Attack names this team may run; default: every attack. */
    attacks: z.array(plainName).min(1).optional(),
    /** The runbook of attacks on this team's hosts that name none of their own. */
    runbook: runbookUrl.optional(),
    /** Metrics read around every one of this team's attacks, besides each attack's own `evidence:`. */
    evidence: z.array(evidenceSchema).max(5).default([]),
    /** This team's own gate, checked in addition to the global `health:`. */
    health: z.array(healthProviderSchema).default([]),
    /** Its own places to look for whether monitoring noticed its attacks, besides the global ones. */
    detection: z.array(detectionSourceSchema).default([]),
    schedule: z
      .object({
        tick: z.string().optional(),
        cooldown: durationMs.optional(),
        healthInterval: durationMs.optional(),
        healthTimeout: durationMs.optional(),
        haltOnHealthFailure: z.boolean().optional(),
        deafTimeout: durationMs.optional(),
        hostCooldown: durationMs.optional(),
        meanInterval: durationMs.optional(),
      })
      .strict()
      .default({}),
    report: z.object({ time: hhmm.optional() }).strict().default({}),
    /** This team's planned drills (docs/game-days.md); default: the top-level `gameDays`. */
    gameDays: z.array(gameDaySchema).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    dryRun: z.boolean().default(true),
    timezone: z.string().default('UTC'),
    businessHours: businessHoursSchema.default({
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '10:00',
      end: '16:00',
      holidays: [],
    }),
    schedule: z
      .object({
        tick: z.string().default('* * * * *'),
        cooldown: durationMs.default(600_000),
        /** How often health is re-checked while an attack runs. */
        healthInterval: durationMs.default(10_000),
        /** The whole health gate, all providers together, must answer within this. */
        healthTimeout: durationMs.default(5_000),
        /** Whether a failed health check during an attack also latches a halt. */
        haltOnHealthFailure: z.boolean().default(false),
        /** How long shutdown waits for in-flight attacks to be reverted. */
        shutdownTimeout: durationMs.default(30_000),
        /** Unable to hear `stop` this long while an attack runs: the attack is reverted. */
        deafTimeout: durationMs.default(30_000),
        /** The scheduler keeps off a host it hit within this, unless no other host is eligible. */
        hostCooldown: durationMs.default(3_600_000),
        /** When set, the next scheduled attack is drawn around this mean (docs/operations.md "Schedule"). */
        meanInterval: durationMs
          .refine((ms) => ms >= 60_000, { message: 'expected a meanInterval of at least 1m, such as "4h"' })
          .optional(),
      })
      .strict()
      .default({
        tick: '* * * * *',
        cooldown: 600_000,
        healthInterval: 10_000,
        healthTimeout: 5_000,
        haltOnHealthFailure: false,
        shutdownTimeout: 30_000,
        deafTimeout: 30_000,
        hostCooldown: 3_600_000,
      }),
    verdict: z
      .object({
        /** Default recovery window for attacks without `recovery`. */
        recoveryWindow: durationMs.default(300_000),
        /** How often probes run during the attack and the recovery window. */
        probeInterval: durationMs.default(5_000),
        /** A `not recovered` verdict latches a halt: the system is no longer in its steady state. */
        haltOnNotRecovered: z.boolean().default(true),
      })
      .strict()
      .refine((v) => v.probeInterval >= 100, {
        message: 'expected probeInterval of at least 100ms',
        path: ['probeInterval'],
      })
      .refine((v) => v.probeInterval <= v.recoveryWindow, {
        message: 'expected probeInterval no longer than recoveryWindow',
        path: ['probeInterval'],
      })
      .default({ recoveryWindow: 300_000, probeInterval: 5_000, haltOnNotRecovered: true }),
    slack: z
      .object({
        channel: z.string().min(1).optional(),
        /** Further channels where commands are accepted (announcements go to `channel`). */
        channels: z.array(z.string().min(1)).default([]),
        admins: z.array(z.string().min(1)).default([]),
        adminGroups: z.array(z.string().min(1)).default([]),
        /** Who is mentioned when a fault may remain on a host: `here`, `channel`, `none` or a user group id. */
        escalate: z
          .string()
          .regex(/^(here|channel|none|S[A-Z0-9]{2,})$/, {
            message: 'expected "here", "channel", "none" or a Slack user group id such as "S0ONCALL"',
          })
          .default('here'),
        /** A reaction with one of these emoji on any of the bot's messages is a `stop` by whoever reacted. */
        stopReactions: z
          .array(
            z.string().regex(/^[a-z0-9_+'-]{1,100}$/, {
              message: 'expected an emoji name as Slack writes it, without colons, such as "octagonal_sign"',
            }),
          )
          .default(['octagonal_sign']),
      })
      .strict()
      .default({ channels: [], admins: [], adminGroups: [], escalate: 'here', stopReactions: ['octagonal_sign'] }),
    ssh: z
      .object({
        user: loginName.default('chaoscat'),
        privateKey: z.string().min(1).optional(),
        /** Use the agent at SSH_AUTH_SOCK (tried when no privateKey is set, or as well). */
        agent: z.boolean().default(true),
        knownHosts: z.string().min(1).default('~/.ssh/known_hosts'),
        connectTimeout: durationMs.default(10_000),
        keepaliveInterval: durationMs.default(5_000),
        /** How much of an attack's output is kept (the tail). */
        outputLimitBytes: z.number().int().min(256).max(1_048_576).default(16_384),
        jumpHost: jumpHost.optional(),
        /**
         * installed: attacks run through chaoscat-host, the root-owned runner on each host that the
         * sudoers line names (docs/host-runner.md); push: the wrapper is sent with each attack.
         */
        hostRunner: z.enum(['push', 'installed']).default('push'),
        runnerPath: absolutePlainPath.default('/usr/local/libexec/chaoscat/chaoscat-host'),
        runnerState: absolutePlainPath.default('/var/lib/chaoscat'),
      })
      .strict()
      .default({
        hostRunner: 'push',
        runnerPath: '/usr/local/libexec/chaoscat/chaoscat-host',
        runnerState: '/var/lib/chaoscat',
        user: 'chaoscat',
        agent: true,
        knownHosts: '~/.ssh/known_hosts',
        connectTimeout: 10_000,
        keepaliveInterval: 5_000,
        outputLimitBytes: 16_384,
      }),
    hosts: z.array(hostSchema).default([]),
    /** On-call teams, each with its own channel, hosts, hours, health and halt; none = one team `default`. */
    teams: z.array(teamSchema).default([]),
    /** Where else hosts come from: Ansible inventories, Prometheus targets (docs/inventory.md). */
    inventory: z.array(inventorySourceSchema).default([]),
    attacks: z.string().min(1).default('attacks/'),
    health: z.array(healthProviderSchema).default([]),
    /** Where to look for whether monitoring noticed each live attack (docs/reports.md). */
    detection: z.array(detectionSourceSchema).default([]),
    /** Planned, announced drills (docs/game-days.md); teams without their own take these. */
    gameDays: z.array(gameDaySchema).default([]),
    database: z.string().min(1).default('data/chaoscat.db'),
    /** How long tick outcomes and health samples are kept (attacks and the audit log: always). */
    retention: retentionSchema,
    report: z
      .object({
        /** Daily report time in `timezone`; omit to post no daily report. */
        time: hhmm.optional(),
        /** Where `report` writes its PNG in console mode (relative to the config file). */
        directory: z.string().min(1).default('data/reports'),
      })
      .strict()
      .default({ directory: 'data/reports' }),
    metrics: z
      .object({
        /** Port of the Prometheus text endpoint; omit it or 0 to keep it off (as web.port: 0). */
        port: z.number().int().min(0).max(65535).optional(),
        host: z.string().default('127.0.0.1'),
      })
      .strict()
      .default({ host: '127.0.0.1' }),
    /** The local control socket a pipeline step (`chaoscat run-once … --wait`) asks the running bot through. */
    control: z
      .object({
        /** Default: chaoscat.sock beside the database. */
        socket: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    web: z
      .object({
        /** The read-only report archive; 0 = off. */
        port: z.number().int().min(0).max(65535).default(8484),
        /** Loopback by default: anything wider belongs behind a reverse proxy with the team's SSO (docs/web.md). */
        host: z.string().min(1).default('127.0.0.1'),
        /** Where people reach it (a reverse proxy): its host is the only name besides web.host and localhost it answers. */
        publicUrl: z
          .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL, e.g. "https://chaoscat.example.com/"' })
          .optional(),
      })
      .strict()
      .default({ port: 8484, host: '127.0.0.1' }),
  })
  .strict();

export type RawConfig = z.infer<typeof configSchema>;
export type HostConfig = z.infer<typeof hostSchema>;
export type TeamRaw = z.infer<typeof teamSchema>;
