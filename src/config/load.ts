import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import cron from 'node-cron';
import type * as z from 'zod';
import { isValidZone } from '../domain/business-hours.js';
import { type AttackDef, DEFAULT_TEAM, type HostDef } from '../domain/model.js';
import { errorMessage } from '../ports/errors.js';
import { attackFileSchema } from './attack-schema.js';
import { attackShape } from './attack-shape.js';
import type { Config } from './config.js';
import { ConfigError, fieldPath } from './errors.js';
import type { EvidenceConfig } from './evidence-schema.js';
import type { HealthProviderConfig } from './health-schema.js';
import { configSchema, type RawConfig } from './schema.js';
import { ALL_TEAMS, resolveTeams } from './teams.js';
import { display, readYaml } from './yaml-file.js';

export const DEFAULT_CONFIG = 'config/chaoscat.yaml';

function expandPath(path: string, baseDir: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function issues(file: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = `required: ${message}`;
    return `${display(file)}: ${fieldPath(issue.path)}: ${message}`;
  });
}

/** Loads every *.yaml / *.yml in the directory; names unique; each file validated. */
export interface Catalogue {
  readonly attacks: AttackDef[];
  readonly steadyState: Record<string, HealthProviderConfig[]>;
  readonly evidence: Record<string, EvidenceConfig[]>;
}

export function loadAttacks(dir: string): AttackDef[] {
  return loadCatalogue(dir).attacks;
}

/** The attack files of a directory, with each attack's steady-state probes. */
export function loadCatalogue(dir: string): Catalogue {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (error) {
    throw new ConfigError([`${display(dir)}: cannot read the attack directory: ${errorMessage(error)}`]);
  }
  const problems: string[] = [];
  const attacks: AttackDef[] = [];
  const steadyState: Record<string, HealthProviderConfig[]> = {};
  const evidence: Record<string, EvidenceConfig[]> = {};
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    let data: unknown;
    try {
      data = readYaml(file);
    } catch (error) {
      problems.push(...((error as ConfigError).problems ?? [String(error)]));
      continue;
    }
    const parsed = attackFileSchema.safeParse(data ?? {});
    if (!parsed.success) {
      problems.push(...issues(file, parsed.error));
      continue;
    }
    const a = parsed.data;
    const earlier = seen.get(a.name);
    if (earlier) {
      problems.push(`${display(file)}: name: "${a.name}" is already used by ${display(earlier)}; names must be unique`);
      continue;
    }
    seen.set(a.name, file);
    const probes = a.steadyState.map((p, i) => ({ ...p, name: p.name ?? `${a.name}-${p.kind}-${i + 1}` }));
    const probeNames = new Set<string>();
    probes.forEach((p, i) => {
      if (probeNames.has(p.name)) {
        problems.push(`${display(file)}: steadyState[${i}].name: "${p.name}" is used twice; give each probe its own name`);
      }
      probeNames.add(p.name);
    });
    steadyState[a.name] = probes;
    if (a.evidence.length) evidence[a.name] = a.evidence;
    const shaped = attackShape(a, (field, message) => problems.push(`${display(file)}: ${field}: ${message}`));
    attacks.push({
      name: a.name,
      description: a.description,
      weight: a.weight,
      durationMs: a.duration,
      ...shaped,
      requires: a.requires,
      sudo: a.sudo,
      hostVars: a.hostVars,
      run: a.run,
      rollback: a.rollback,
      file,
      probes: probes.map((p) => p.name),
      recoveryMs: a.recovery ?? null,
      abortOnDeviation: a.abortOnDeviation,
      ...(a.runbook ? { runbook: a.runbook } : {}),
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { attacks, steadyState, evidence };
}

/** Reads, validates and freezes the configuration and its attack catalogue. Throws ConfigError. */
export function loadConfig(path: string): Config {
  const file = resolve(path);
  const dir = dirname(file);
  const parsed = configSchema.safeParse(readYaml(file) ?? {});
  if (!parsed.success) throw new ConfigError(issues(file, parsed.error));
  const raw = parsed.data;
  const problems: string[] = [];
  const at = (field: string, message: string) => problems.push(`${display(file)}: ${field}: ${message}`);

  checkTopLevel(raw, at);
  if (problems.length > 0) throw new ConfigError(problems);

  const attacksDir = expandPath(raw.attacks, dir);
  const { attacks, steadyState, evidence } = loadCatalogue(attacksDir);
  const hosts: HostDef[] = raw.hosts.map((h) => ({
    name: h.name,
    address: h.address,
    port: h.port,
    tags: h.tags,
    user: h.user,
    jumpHost: h.jumpHost,
    vars: h.vars,
  }));
  const teams = resolveTeams(
    raw,
    hosts,
    attacks.map((a) => a.name),
    at,
    attacks,
  );
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze(assemble(raw, { file, dir, attacksDir, attacks, steadyState, evidence, hosts, teams }));
}

/** The top-level keys that need more than their schema: zone, business hours, tick, unique names. */
function checkTopLevel(raw: RawConfig, at: (field: string, message: string) => void): void {
  if (!isValidZone(raw.timezone))
    at('timezone', `expected an IANA time zone such as "America/Los_Angeles", got "${raw.timezone}"`);
  if (raw.businessHours.start === raw.businessHours.end) {
    at('businessHours.end', 'must differ from start (end before start means a window over midnight)');
  }
  if (!cron.validate(raw.schedule.tick))
    at('schedule.tick', `expected a cron expression such as "* * * * *", got "${raw.schedule.tick}"`);
  const hostNames = new Set<string>();
  raw.hosts.forEach((h, i) => {
    if (hostNames.has(h.name)) at(`hosts[${i}].name`, `"${h.name}" is used twice; host names must be unique`);
    hostNames.add(h.name);
  });
  const providerNames = new Set<string>();
  raw.health.forEach((p, i) => {
    const name = p.name ?? `${p.kind}-${i + 1}`;
    if (providerNames.has(name)) at(`health[${i}].name`, `"${name}" is used twice; give each provider its own name`);
    providerNames.add(name);
  });
}

/** The frozen-to-be Config from the checked parts; paths resolved against the config file's directory. */
function assemble(
  raw: RawConfig,
  p: {
    readonly file: string;
    readonly dir: string;
    readonly attacksDir: string;
    readonly attacks: Config['attacks'];
    readonly steadyState: Config['steadyState'];
    readonly evidence: Config['evidence'];
    readonly hosts: HostDef[];
    readonly teams: Config['teams'];
  },
): Config {
  const { file, dir, attacksDir, attacks, steadyState, evidence, hosts, teams } = p;
  return {
    file,
    dryRun: raw.dryRun,
    timezone: raw.timezone,
    businessHours: raw.businessHours,
    schedule: raw.schedule,
    slack: raw.slack,
    ssh: {
      ...raw.ssh,
      privateKey: raw.ssh.privateKey === undefined ? undefined : expandPath(raw.ssh.privateKey, dir),
      knownHosts: expandPath(raw.ssh.knownHosts, dir),
    },
    hosts,
    team: teams[0]?.implicit ? DEFAULT_TEAM : ALL_TEAMS,
    teams,
    // A comma in an ansible source is Ansible's inline host list, not a path.
    inventory: raw.inventory.map((s) =>
      s.kind === 'ansible' && !s.source.includes(',') ? { ...s, source: expandPath(s.source, dir) } : s,
    ),
    attacksDir,
    attacks,
    health: raw.health.map((p, i) => ({ ...p, name: p.name ?? `${p.kind}-${i + 1}` })),
    detection: raw.detection.map((d, i) => ({ ...d, name: d.name ?? `detection-${d.kind}-${i + 1}` })),
    steadyState,
    evidence,
    verdict: raw.verdict,
    database: expandPath(raw.database, dir),
    report: { time: raw.report.time, directory: expandPath(raw.report.directory, dir) },
    // metrics.port 0 means off, as web.port 0 does: the rest of the bot sees no port.
    metrics: raw.metrics.port === 0 ? { host: raw.metrics.host } : raw.metrics,
    web: raw.web,
    controlSocket: raw.control.socket
      ? expandPath(raw.control.socket, dir)
      : join(dirname(expandPath(raw.database, dir)), 'chaoscat.sock'),
    retention: raw.retention,
    // The view over several teams attacks nothing: each team's game days are in its own view.
    gameDays: teams[0]?.implicit ? teams[0].gameDays : [],
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** `--config PATH`, else CHAOSCAT_CONFIG, else config/chaoscat.yaml. */
export function configPathFrom(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const i = argv.indexOf('--config');
  if (i >= 0 && argv[i + 1]) return argv[i + 1] as string;
  const eq = argv.find((a) => a.startsWith('--config='));
  if (eq) return eq.slice('--config='.length);
  return env.CHAOSCAT_CONFIG || DEFAULT_CONFIG;
}
