import { spawn } from 'node:child_process';
import type { InventorySource, SourceAnswer } from '../../ports/inventory-source.js';
import { ansibleHosts } from './ansible-json.js';

export interface AnsibleSourceConfig {
  /** What `-i` gets: a file, a directory, a plugin config (resolved against the config file). */
  readonly source: string;
  readonly groups: readonly string[];
  readonly user?: string | undefined;
  readonly refreshMs: number;
  readonly timeoutMs: number;
  /** The program; tests and the bench use the real one on PATH. */
  readonly command?: string;
  /** Its environment (default: ours): plugins need their cloud credentials, never the bot's own secrets. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Larger answers are refused: 10,000 hosts with vars print a few MiB. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Fail closed: by default ansible-inventory warns about a source it cannot parse and prints an
 * empty inventory with exit 0; these make it an error, so a broken file is never read as "no hosts".
 */
const STRICT_ENV = {
  ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true',
  ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: 'true',
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_LOCALHOST_WARNING: 'false',
};

/** An Ansible inventory read through Ansible itself: `ansible-inventory -i SOURCE --list`, never a shell. */
export function ansibleSource(config: AnsibleSourceConfig): InventorySource {
  const id = `ansible:${config.source}`;
  return {
    id,
    refreshMs: config.refreshMs,
    timeoutMs: config.timeoutMs,
    list: async (signal) => {
      const run = await runInventory(config.command ?? 'ansible-inventory', config.source, config.env ?? process.env, signal);
      if (!run.ok) return run;
      let json: unknown;
      try {
        json = JSON.parse(run.stdout);
      } catch {
        return { ok: false, reason: 'ansible-inventory printed something that is not JSON' };
      }
      return ansibleHosts(json, { id, groups: config.groups, user: config.user });
    },
  };
}

type Run = { ok: true; stdout: string } | Extract<SourceAnswer, { ok: false }>;

function runInventory(command: string, source: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<Run> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ ok: false, reason: 'aborted' });
    // Its own process group: a dynamic inventory script it starts goes with it on a timeout.
    const child = spawn(command, ['-i', source, '--list'], {
      env: { ...env, ...STRICT_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let tooBig = false;
    const kill = () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    signal.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) {
        tooBig = true;
        kill();
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-8192);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', kill);
      resolve({
        ok: false,
        reason:
          error.code === 'ENOENT'
            ? `${command} not found: install Ansible (Debian: ansible-core)`
            : `cannot run ${command}: ${error.code ?? error.message}`,
      });
    });
    child.on('close', (code, sig) => {
      signal.removeEventListener('abort', kill);
      if (signal.aborted) return resolve({ ok: false, reason: 'aborted' });
      if (tooBig) return resolve({ ok: false, reason: `ansible-inventory printed more than ${MAX_OUTPUT_BYTES >> 20} MiB` });
      if (code !== 0) {
        const why = sig ? `killed by ${sig}` : `exit ${code}`;
        return resolve({ ok: false, reason: `ansible-inventory failed (${why}): ${ansibleError(err)}` });
      }
      resolve({ ok: true, stdout: Buffer.concat(out).toString('utf8') });
    });
  });
}

/** The `ERROR! …` line Ansible prints, else its last line; short and on one line. */
export function ansibleError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.filter((l) => l.startsWith('ERROR!')).pop() ?? lines.pop() ?? 'no message';
  const text = line.replace(/^ERROR!\s*/, '');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
