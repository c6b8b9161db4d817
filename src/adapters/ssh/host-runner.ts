import { createHash } from 'node:crypto';
import type { AttackDef } from '../../domain/model.js';
import { RUNNER_GO, RUNNER_VERSION, runnerScript } from './host-runner-script.js';
import { type RunnerPaths, runnerHome } from './runner-paths.js';
import { base64, checkAttackId, shellQuote } from './shell.js';

export { RUNNER_GO, RUNNER_VERSION } from './host-runner-script.js';
export { DEFAULT_RUNNER_PATH, DEFAULT_RUNNER_STATE, type RunnerPaths } from './runner-paths.js';

/** One file of what `chaoscat hosts install` puts on a host, relative to the runner's home. */
export interface BundleFile {
  readonly path: string;
  readonly text: string;
  readonly mode: number;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** An attack as the runner holds it: one directory of four files (docs/host-runner.md). */
function attackFiles(attack: AttackDef): Record<'run' | 'rollback' | 'requires' | 'user', string> {
  return {
    run: attack.run,
    rollback: attack.rollback,
    requires: attack.requires.map((r) => `${r}\n`).join(''),
    user: attack.sudo ? 'root\n' : 'user\n',
  };
}

/** What `cd attacks/NAME && sha256sum run rollback requires user | sha256sum` prints on the host. */
export function attackChecksum(attack: AttackDef): string {
  const files = attackFiles(attack);
  const listing = (['run', 'rollback', 'requires', 'user'] as const).map((f) => `${sha256(files[f])}  ${f}\n`).join('');
  return sha256(listing);
}

export function runnerChecksum(paths: RunnerPaths): string {
  return sha256(runnerScript(paths));
}

const ATTACK_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The runner, every attack's files and the manifest the runner checks them against. */
export function hostBundle(paths: RunnerPaths, attacks: readonly AttackDef[]): BundleFile[] {
  const runner = runnerScript(paths);
  const files: BundleFile[] = [{ path: 'chaoscat-host', text: runner, mode: 0o755 }];
  const manifest = [`${sha256(runner)} chaoscat-host`];
  const home = runnerHome(paths);
  for (const attack of [...attacks].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!ATTACK_NAME.test(attack.name)) throw new Error(`attack name "${attack.name}" is not a plain name`);
    // What the runner's pre-flight checks with one sha256sum: the runner and this attack's files.
    const sums = [`${sha256(runner)}  ${paths.runner}`];
    for (const [name, text] of Object.entries(attackFiles(attack))) {
      files.push({ path: `attacks/${attack.name}/${name}`, text, mode: 0o644 });
      sums.push(`${sha256(text)}  ${home}/attacks/${attack.name}/${name}`);
    }
    files.push({ path: `attacks/${attack.name}/SHA256SUMS`, text: `${sums.join('\n')}\n`, mode: 0o644 });
    manifest.push(`${attackChecksum(attack)} ${attack.name}`);
  }
  files.push({ path: 'MANIFEST', text: `${manifest.join('\n')}\n`, mode: 0o644 });
  return files;
}

/** A login name for the sudoers line: plain, never an option or a sudoers alias. */
const USER = /^[a-z_][a-z0-9_.-]{0,31}$/;

export function sudoersLine(paths: RunnerPaths, user: string): string {
  if (!USER.test(user)) throw new Error(`user "${user}" is not a plain login name`);
  return `${user} ALL=(root) NOPASSWD: ${paths.runner}\n`;
}

/**
 * The install, as one POSIX sh script a person (or `chaoscat hosts install` through `sudo -n`) runs as
 * root on the host: the runner's home is replaced as a whole (root-owned, not writable by the bot's
 * user), the state directory made (0700), and the sudoers file written after `visudo -c` accepts it.
 * It prints one line per step and `CHAOSCAT_INSTALLED version=… sha256=…` at the end.
 */
export function installScript(paths: RunnerPaths, attacks: readonly AttackDef[], user: string, sudoersFile: string): string {
  const home = runnerHome(paths);
  if (!/^\/etc\/sudoers\.d\/[A-Za-z0-9_-]+$/.test(sudoersFile)) {
    throw new Error(`sudoers file "${sudoersFile}" must be /etc/sudoers.d/NAME (no dot, no ~: sudo skips those)`);
  }
  const files = hostBundle(paths, attacks);
  const writes = files
    .map((f) => {
      const dir = f.path.includes('/') ? `mkdir -p "$N/${f.path.slice(0, f.path.lastIndexOf('/'))}"\n` : '';
      return `${dir}printf %s ${shellQuote(base64(f.text))} | base64 -d > "$N/${f.path}"\nchmod ${f.mode.toString(8)} "$N/${f.path}"`;
    })
    .join('\n');
  return `# ChaosCat: install chaoscat-host ${RUNNER_VERSION} and its attacks (docs/host-runner.md). Run as root.
set -eu
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umask 022
[ "$(id -u)" = 0 ] || { echo "chaoscat install: run me as root" >&2; exit 1; }
H=${shellQuote(home)}
N="$H.new.$$"
rm -rf "$N"
mkdir -p "$N"
${writes}
chown -R root:root "$N"
chmod 755 "$N"
find "$N" -type d -exec chmod 755 {} +
mkdir -p "$(dirname "$H")"
rm -rf "$H.old"
if [ -e "$H" ]; then mv "$H" "$H.old"; fi
mv "$N" "$H"
rm -rf "$H.old"
echo "chaoscat install: $H holds the runner and ${attacks.length} attacks"
mkdir -p ${shellQuote(paths.state)}
chown root:root ${shellQuote(paths.state)}
chmod 700 ${shellQuote(paths.state)}
S=${shellQuote(sudoersFile)}
printf %s ${shellQuote(sudoersLine(paths, user))} > "$S.tmp"
chmod 440 "$S.tmp"
visudo -c -q -f "$S.tmp"
mv "$S.tmp" "$S"
echo "chaoscat install: $S lets ${user} run ${paths.runner} through sudo, and nothing else"
echo "CHAOSCAT_INSTALLED version=${RUNNER_VERSION} sha256=${runnerChecksum(paths)}"
`;
}

/**
 * The start, as the runner reads it on stdin after its pre-flight: NAME=VALUE lines (NAME:=BASE64 for
 * a value with a line break), then the go line. Values are data to the runner (it quotes them itself,
 * in the shell, without a process); nothing here is shell text.
 */
export function runnerStart(id: string, env: Readonly<Record<string, string>>): string {
  checkAttackId(id);
  const lines = Object.entries(env).map(([key, value]) => {
    if (!/^CHAOSCAT_[A-Z0-9_]+$/.test(key)) throw new Error(`environment name "${key}" is not CHAOSCAT_*`);
    if (value.includes('\0')) throw new Error(`the value of ${key} holds a NUL byte`);
    // One line a value: as it is, or base64 (NAME:=) when it holds a line break.
    return /[\n\r]/.test(value) ? `${key}:=${base64(value)}` : `${key}=${value}`;
  });
  return `${lines.join('\n')}\n${RUNNER_GO}\n`;
}

/** The runner's command lines; every word is checked plain, so the login shell reads them literally. */
export function runnerCommand(paths: RunnerPaths, verb: 'run' | 'halt' | 'rollback' | 'status' | 'version', ...args: string[]) {
  for (const a of args) checkAttackId(a);
  return ['exec', 'sudo', '-n', paths.runner, verb, ...args].join(' ');
}

/** What the runner's pre-flight said of itself and the attack. */
export interface RunnerPreflight {
  readonly version: string | null;
  readonly runnerSha: string | null;
  readonly attackSha: string | null;
  readonly cgroup: 'v2' | 'none' | null;
  readonly refused: readonly string[];
}

function fields(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) map.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return map;
}

export function readRunnerPreflight(lines: readonly string[]): RunnerPreflight {
  let version: string | null = null;
  let runnerSha: string | null = null;
  let attackSha: string | null = null;
  let cgroup: 'v2' | 'none' | null = null;
  const refused: string[] = [];
  for (const line of lines) {
    if (line.startsWith('CHAOSCAT_RUNNER ')) {
      const f = fields(line.slice('CHAOSCAT_RUNNER '.length));
      version = f.get('version') ?? null;
      runnerSha = f.get('sha256') ?? null;
      const cg = f.get('cgroup');
      cgroup = cg === 'v2' || cg === 'none' ? cg : null;
    } else if (line.startsWith('CHAOSCAT_ATTACK ')) {
      attackSha = fields(line.slice('CHAOSCAT_ATTACK '.length)).get('sha256') ?? null;
    } else if (line.startsWith('CHAOSCAT_REFUSED=')) {
      refused.push(line.slice('CHAOSCAT_REFUSED='.length));
    }
  }
  return { version, runnerSha, attackSha, cgroup, refused };
}

/** Why the bot will not run `attack` through the runner that answered, or null when it matches. */
export function runnerMismatch(paths: RunnerPaths, attack: AttackDef, seen: RunnerPreflight): string | null {
  if (seen.refused.length > 0) return `the runner refused: ${seen.refused.join('; ')}`;
  if (seen.runnerSha === null) return `no attack runner answered at ${paths.runner}`;
  if (seen.runnerSha !== runnerChecksum(paths)) {
    return `its attack runner (version ${seen.version ?? '?'}, sha256 ${seen.runnerSha.slice(0, 12)}…) is not this bot's (version ${RUNNER_VERSION}, sha256 ${runnerChecksum(paths).slice(0, 12)}…)`;
  }
  if (seen.attackSha !== attackChecksum(attack)) {
    return `its copy of ${attack.name} (sha256 ${(seen.attackSha ?? 'none').slice(0, 12)}…) is not this bot's (sha256 ${attackChecksum(attack).slice(0, 12)}…)`;
  }
  return null;
}
