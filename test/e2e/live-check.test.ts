import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealAlertmanager, startAlertmanager } from '../support/alertmanager.js';
import { tempDir } from '../support/cleanup.js';
import { type RealPrometheus, startPrometheus } from '../support/prometheus.js';
import { runBot, startBot } from '../support/run-bot.js';
import { SlackStandin, STANDIN_APP_TOKEN, STANDIN_BOT_TOKEN } from '../support/slack-standin.js';
import { canRunSshd, type SshdFixture, startSshd } from '../support/sshd.js';
import { writeTestConfig } from '../support/test-config.js';

const CHANNEL = 'C0CHAOS01';

/**
 * Issue 27, "check-config --live": the five mistakes a schema check let through each exit 2 with a
 * line naming it and its fix, against a real sshd host, the Slack stand-in and a real Alertmanager;
 * the same config without them passes.
 */
describe('check-config --live', () => {
  let sshd: SshdFixture;
  let slack: SlackStandin;
  let am: RealAlertmanager;
  let prom: RealPrometheus;
  const slackEnv = () => ({
    SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN,
    SLACK_APP_TOKEN: STANDIN_APP_TOKEN,
    SLACK_API_URL: slack.apiUrl,
  });

  beforeAll(async () => {
    if (!canRunSshd()) throw new Error('these tests need /usr/sbin/sshd (openssh-server) and root');
    [sshd, slack, am, prom] = await Promise.all([
      startSshd(1),
      SlackStandin.start(),
      startAlertmanager(),
      startPrometheus([{ job: 'api', metrics: '# TYPE errors_ratio gauge\nerrors_ratio 0.001\n' }]),
    ]);
    slack.channels.set(CHANNEL, { name: 'chaos' });
    slack.channels.set('C0OTHER01', { name: 'elsewhere' });
    slack.notIn.add('C0OTHER01');
    slack.users.set('U0ALICE01', { name: 'alice', realName: 'Alice Example' });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([sshd?.stop(), slack?.close(), am?.stop(), prom?.stop()]);
  });

  /** A live config that is right in every respect, with `change` applied. */
  function config(
    change: {
      ssh?: Record<string, unknown>;
      slack?: Record<string, unknown>;
      targets?: string[];
      attack?: Record<string, unknown>;
    } = {},
  ): string {
    const { file } = writeTestConfig(
      {
        dryRun: false,
        ssh: { user: sshd.user, privateKey: sshd.clientKey, knownHosts: sshd.knownHosts, connectTimeout: '10s', ...change.ssh },
        hosts: [{ name: 'web-1', address: '127.0.0.1', port: sshd.hosts[0]?.port, tags: ['web'] }],
        slack: { channel: CHANNEL, admins: ['U0ALICE01'], ...change.slack },
        health: [
          { kind: 'alertmanager', name: 'paging', url: am.url, matchers: ['severity="critical"'] },
          { kind: 'prometheus', name: 'errors', url: prom.url, query: 'errors_ratio > 0.5' },
        ],
      },
      [
        {
          name: 'sleeper',
          weight: 1,
          duration: '5s',
          targets: change.targets ?? ['web'],
          run: 'sleep 1\n',
          rollback: 'true\n',
          ...change.attack,
        },
      ],
    );
    return file;
  }

  it('passes a correct live config: the key, known_hosts, the login and pre-flight, Slack, Alertmanager, targets', async () => {
    const r = await runBot(['check-config', '--live', '--config', config()], '', slackEnv());
    expect(r.stderr, r.stdout.slice(r.stdout.indexOf('Live check:'))).toBe('');
    expect(r.code).toBe(0);
    const table = r.stdout.slice(r.stdout.indexOf('Live check:'));
    expect(table).not.toContain('FAIL');
    for (const line of [
      /^ok +ssh\.privateKey +\S+ \(ssh-ed25519\)$/m,
      /^ok +known_hosts +every host's key is there/m,
      /^ok +host web-1 +logs in as \S+; pre-flight passes/m,
      /^ok +SLACK_BOT_TOKEN +accepted/m,
      /^ok +slack\.channel +#chaos \(C0CHAOS01\); the bot is in it$/m,
      /^ok +slack\.admins\[0\] +U0ALICE01 is alice$/m,
      /^ok +health: paging +answers/m,
      /^ok +health: errors +answers/m,
      /^ok +targets +every attack has a host/m,
    ]) {
      expect(table).toMatch(line);
    }
  });

  it.each<[string, () => string, RegExp, RegExp]>([
    [
      'a private key that does not exist',
      () => config({ ssh: { privateKey: join(tempDir('chaoscat-live-'), 'id_missing') } }),
      /^FAIL +ssh\.privateKey +\S+id_missing does not exist$/m,
      /fix: point ssh\.privateKey at the bot's key/,
    ],
    [
      'a known_hosts without the hosts',
      () => {
        const empty = join(tempDir('chaoscat-live-'), 'known_hosts');
        writeFileSync(empty, '# nothing yet\n');
        return config({ ssh: { knownHosts: empty } });
      },
      /^FAIL +host web-1 +\[127\.0\.0\.1\]:\d+ is not in \S+known_hosts$/m,
      /fix: add its key: ssh-keyscan -p \d+ 127\.0\.0\.1 >> /,
    ],
    [
      'a channel name where an ID belongs',
      () => config({ slack: { channel: '#chaos' } }),
      /^FAIL +slack\.channel +"#chaos" is a channel name; the bot needs its ID$/m,
      /fix: write slack\.channel: C0CHAOS01 {3}\(#chaos\)/,
    ],
    [
      'admins given by name',
      () => config({ slack: { admins: ['alice'] } }),
      /^FAIL +slack\.admins\[0\] +"alice" is a name; admins are Slack user IDs$/m,
      /fix: write slack\.admins\[0\]: U0ALICE01 {3}\(alice\)/,
    ],
    [
      'a target tag no host has',
      () => config({ targets: ['wbe'] }),
      /^FAIL +attack sleeper +targets \[wbe\], a tag no host has$/m,
      /fix: fix targets: in the attack file; tags in use: web/,
    ],
    [
      'an admin group that does not exist',
      () => config({ slack: { adminGroups: ['S0NOSUCH'] } }),
      /^FAIL +slack\.adminGroups\[0\] +S0NOSUCH: no_such_subteam$/m,
      /fix: use the ID of an existing user group/,
    ],
    [
      'a channel the bot is not in',
      () => config({ slack: { channel: 'C0OTHER01' } }),
      /^FAIL +slack\.channel +the bot is not in #elsewhere \(C0OTHER01\)$/m,
      /fix: invite it: \/invite @chaoscat in #elsewhere/,
    ],
    [
      'an attack that needs a command the host lacks (the pre-flight over a real login)',
      () => config({ attack: { requires: ['no-such-tool-here'] } }),
      /^FAIL +host web-1 +web-1: missing command no-such-tool-here$/m,
      /fix: install the missing commands on web-1, or drop the attacks that need them/,
    ],
  ])('%s: exit 2, a line naming it and the fix', async (_what, make, line, fix) => {
    const r = await runBot(['check-config', '--live', '--config', make()], '', slackEnv());
    expect(r.code).toBe(2);
    const table = r.stdout.slice(r.stdout.indexOf('Live check:'));
    expect(table).toMatch(line);
    expect(table).toMatch(fix);
    expect(table.match(/^FAIL/gm)).toHaveLength(1);
    expect(r.stderr).toMatch(/live check: 1 problem \(each with its fix above\)/);
  });

  it('a health source that cannot be read fails; one that answers unhealthy is only noted', async () => {
    const { file } = writeTestConfig(
      {
        health: [
          { kind: 'alertmanager', name: 'nowhere', url: 'http://127.0.0.1:9/', matchers: ['severity="critical"'] },
          { kind: 'alertmanager', name: 'paging', url: am.url, matchers: ['severity="critical"', 'live="check"'] },
        ],
      },
      [{ name: 'sleeper', weight: 1, duration: '5s', targets: ['web'] }],
    );
    await am.postAlerts([{ labels: { alertname: 'Down', severity: 'critical', live: 'check' } }]);
    await am.waitFor((alerts) => alerts.some((a) => a.labels.live === 'check'), 'the alert');
    const r = await runBot(['check-config', '--live', '--config', file], '');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^FAIL +health: nowhere +.*$/m);
    expect(r.stdout).toMatch(/^note +health: paging +answers, unhealthy now \(.*Down.*\): attacks wait until it is healthy$/m);
    expect(r.stdout).toMatch(/^note +ssh +dry run/m);
    expect(r.stdout).toMatch(/^note +slack +no SLACK_ variables/m);
  });

  it('at start: what fails every attack refuses the start (exit 2); a target no host has is said, and the bot runs on', async () => {
    const missing = join(tempDir('chaoscat-live-'), 'id_gone');
    const refused = await runBot(['--config', config({ ssh: { privateKey: missing } })], '');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`every attack would fail: ssh.privateKey: ${missing} does not exist`);
    expect(refused.stderr).toContain('chaoscat check-config --live');

    const bot = await startBot(['--config', config({ targets: ['wbe'] })]);
    try {
      await bot.waitFor(/Live check at start: 1 problem — attack sleeper: targets \[wbe\], a tag no host has\. The bot runs on/);
      bot.say('status');
      await bot.waitFor(/LIVE/);
    } finally {
      bot.child.stdin.end();
      await bot.exited;
    }
  });
});
