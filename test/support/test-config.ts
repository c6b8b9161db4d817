import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load.js';
import { tempDir } from './cleanup.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const MIGRATIONS = join(REPO, 'migrations');

export interface AttackSpec {
  name: string;
  weight?: number;
  duration?: string;
  targets?: string[] | { tags?: string[]; names?: string; exclude?: string[] };
  run?: string;
  rollback?: string;
  [key: string]: unknown;
}

/**
 * Writes a config file and an attack directory into a fresh temp dir; returns the dir and the path.
 * The dir (with the database a bot makes in it) is removed after the test file.
 */
export function writeTestConfig(
  overrides: Record<string, unknown> = {},
  attacks: AttackSpec[] = [{ name: 'cpu-burn', weight: 10, targets: ['web'] }],
): { dir: string; file: string } {
  const dir = tempDir('chaoscat-test-');
  mkdirSync(join(dir, 'attacks'));
  for (const a of attacks) {
    const { name, weight = 1, duration = '60s', run = 'echo run', rollback = 'true', ...rest } = a;
    writeFileSync(
      join(dir, 'attacks', `${name}.yaml`),
      stringify({ name, description: `test attack ${name}`, weight, duration, run, rollback, ...rest }),
    );
  }
  const config = {
    dryRun: true,
    timezone: 'America/Los_Angeles',
    businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '10:00', end: '16:00', holidays: ['2026-12-25'] },
    schedule: { tick: '* * * * *', cooldown: '10m' },
    slack: { channel: 'C0123456789', admins: ['U0ADMIN'] },
    hosts: [
      { name: 'web-1', address: '127.0.0.1', port: 22, tags: ['web'] },
      { name: 'web-2', address: '127.0.0.1', port: 22, tags: ['web'] },
      { name: 'db-1', address: '127.0.0.1', port: 22, tags: ['db'] },
    ],
    attacks: 'attacks/',
    health: [],
    database: 'data/chaoscat.db',
    // Off: many bots run at once and must not race for the default port; archive tests pass a free one.
    web: { port: 0 },
    ...overrides,
  };
  const file = join(dir, 'chaoscat.yaml');
  writeFileSync(file, stringify(config));
  return { dir, file };
}

export function testConfig(overrides: Record<string, unknown> = {}, attacks?: AttackSpec[]): Config {
  return loadConfig(writeTestConfig(overrides, attacks).file);
}
