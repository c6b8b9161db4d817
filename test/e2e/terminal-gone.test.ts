import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { MIGRATIONS, REPO, writeTestConfig } from '../support/test-config.js';

const ALWAYS = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00', holidays: [] };

/** Runs the bot on a real pseudo-terminal, starts an attack, then closes the terminal (as closing the window does). */
const PTY_DRIVER = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.chdir(sys.argv[1])
    os.execv(sys.argv[2], sys.argv[2:])
out = b''
def until(pattern, seconds):
    global out
    end = time.time() + seconds
    while pattern not in out:
        if time.time() > end:
            sys.stderr.write(out.decode(errors='replace'))
            sys.exit(3)
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                out += os.read(fd, 4096)
            except OSError:
                sys.stderr.write(out.decode(errors='replace'))
                sys.exit(4)
until(b'chaoscat>', 60)
os.write(fd, b'run-once cpu-burn web-1\\r')
until(b'Started #1', 60)
os.close(fd)
_, status = os.waitpid(pid, 0)
print('exit', os.waitstatus_to_exitcode(status))
`;

describe('the terminal goes away', () => {
  it('closing the console terminal reverts the attack in flight before the bot exits', () => {
    // Weight 0: the scheduler never draws it (a minute's tick could otherwise take the slot first);
    // run-once names it.
    const { dir, file } = writeTestConfig({ businessHours: ALWAYS }, [{ name: 'cpu-burn', weight: 0, targets: ['web'] }]);
    const printed = execFileSync(
      'python3',
      ['-c', PTY_DRIVER, REPO, process.execPath, '--import', 'tsx', 'src/main.ts', '--config', file],
      {
        encoding: 'utf8',
        env: { ...process.env, SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_API_URL: '' },
        timeout: 120_000,
      },
    );
    // The exit status itself is not asserted: Node 20 aborts in its own tty reset at exit once the
    // terminal is gone (nodejs/node#51519, fixed by #58200 in later majors), after our shutdown ran.
    expect(printed.trim()).toMatch(/^exit -?\d+$/);
    const store = new SqliteStore({ file: join(dir, 'data', 'chaoscat.db'), migrationsDir: MIGRATIONS });
    try {
      expect(store.getAttack('1')).toMatchObject({ state: 'reverted' });
      expect(store.unfinishedAttacks()).toEqual([]);
    } finally {
      store.close();
    }
  }, 150_000);
});
