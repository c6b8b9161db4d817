import * as z from 'zod';
import { parseDuration } from '../domain/duration.js';
import { envName, url } from './health-schema.js';

/** A duration with a floor: a refresh every few milliseconds would be a fork bomb or a DoS on Prometheus. */
const every = (fallback: string, min: number, what: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms < min) {
        ctx.addIssue({
          code: 'custom',
          message:
            ms === undefined
              ? `expected a duration such as "${fallback}", got "${text}"`
              : `expected a ${what} of at least ${min / 1000}s`,
        });
        return z.NEVER;
      }
      return ms;
    });

const label = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { message: 'expected a Prometheus label name' });
const group = z.string().regex(/^[A-Za-z0-9_.-]+$/, { message: 'expected an Ansible group name' });
const login = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/, { message: 'expected a login name' });

export const ansibleSourceSchema = z
  .object({
    kind: z.literal('ansible'),
    /** Anything `ansible-inventory -i` accepts: a file, a directory, a plugin config. */
    source: z.string().min(1),
    /** Only hosts in these groups (or their child groups); empty = every host. */
    groups: z.array(group).default([]),
    /** SSH user for hosts without ansible_user; default ssh.user. */
    user: login.optional(),
    refresh: every('10m', 10_000, 'refresh interval'),
    timeout: every('60s', 1_000, 'timeout'),
  })
  .strict();

export const prometheusSourceSchema = z
  .object({
    kind: z.literal('prometheus'),
    url,
    /** An instant query; each series is a host. */
    selector: z.string().min(1).default('up == 1'),
    addressLabel: label.default('instance'),
    /** Default: the address. */
    nameLabel: label.optional(),
    tagLabels: z.array(label).default([]),
    /** The SSH port of every host from this source (the exporter's port is not SSH's). */
    port: z.number().int().min(1).max(65535).default(22),
    user: login.optional(),
    tokenEnv: envName.optional(),
    refresh: every('5m', 10_000, 'refresh interval'),
    timeout: every('10s', 1_000, 'timeout'),
  })
  .strict();

export const inventorySourceSchema = z.discriminatedUnion('kind', [ansibleSourceSchema, prometheusSourceSchema]);

export type InventorySourceConfig = z.infer<typeof inventorySourceSchema>;
