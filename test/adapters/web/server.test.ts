import { connect } from 'node:net';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteArchiveReader } from '../../../src/adapters/sqlite/archive-reader.js';
import { SqliteFaultLog } from '../../../src/adapters/sqlite/fault-log.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { createScrubber } from '../../../src/adapters/web/scrub.js';
import { type ArchiveServer, CONTENT_SECURITY_POLICY, serveArchive } from '../../../src/adapters/web/server.js';
import { createArchive } from '../../../src/app/reports/archive.js';
import { type Seeded, seedArchive } from '../../support/archive-seed.js';
import { deferCleanup, tempDir } from '../../support/cleanup.js';
import { FixedClock, silentLogger } from '../../support/fakes.js';
import { MIGRATIONS, testConfig } from '../../support/test-config.js';

const TZ = 'America/Los_Angeles';
const TOKEN = 'xoxb-1111111111-2222222222-abcdefghijkl';

let writer: SqliteStore;
let reader: SqliteStore;
let server: ArchiveServer;
let seeded: Seeded;
let hostile: string;
const today = DateTime.now().setZone(TZ).toISODate() ?? '';

async function get(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(new URL(path, server.url), init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

beforeAll(async () => {
  const file = join(tempDir(), 'chaoscat.db');
  writer = new SqliteStore({ file, migrationsDir: MIGRATIONS });
  deferCleanup(() => writer.close());
  seeded = seedArchive(writer, today, TZ);
  // The failed rollback was team db's (on db-1); the rest the team web's.
  for (const id of Object.values(seeded.ids)) writer.reassign(id, id === seeded.ids.failedRollback ? 'db' : 'web');
  const at = DateTime.fromISO(seeded.quiet, { zone: TZ }).set({ hour: 13 }).toMillis();
  hostile = writer.insertAttack({
    attack: '<b>bold</b>',
    host: 'h"><svg onload=alert(1)>',
    trigger: { kind: 'user', user: '<i>who</i>' },
    dryRun: true,
    createdAt: at,
    deadlineAt: at + 90_000,
    durationMs: 60_000,
  });
  writer.markRunning(hostile, at, null);
  writer.finishAttack(hostile, { state: 'completed', endedAt: at + 60_000, outputTail: `token ${TOKEN} and password=hunter22` });
  reader = new SqliteStore({ file, migrationsDir: MIGRATIONS, readOnly: true });
  deferCleanup(() => reader.close());
  const config = testConfig({
    timezone: TZ,
    slack: {},
    teams: [
      { name: 'web', channel: 'C0WEB', hosts: { tags: ['web'] } },
      { name: 'db', channel: 'C0DB', hosts: { tags: ['db'] } },
    ],
  });
  const clock = new FixedClock(DateTime.fromISO(today, { zone: TZ }).set({ hour: 12 }).toMillis());
  server = await serveArchive(
    {
      archive: createArchive({ store: reader, archive: new SqliteArchiveReader(reader.handle), clock, config }),
      scrub: createScrubber([], {}),
      logger: silentLogger,
    },
    0,
    '127.0.0.1',
  );
  deferCleanup(() => server.close());
});

/** A raw HTTP/1.1 request with the Host header as given (none when undefined): the status line's code. */
function rawStatus(host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0)));
    const hostLine = host === undefined ? '' : `Host: ${host}\r\n`;
    socket.write(`GET / HTTP/1.${host === undefined ? 0 : 1}\r\n${hostLine}Connection: close\r\n\r\n`);
  });
}

describe('the report archive answers only its own Host (DNS rebinding)', () => {
  it.each([['127.0.0.1'], ['localhost'], ['LOCALHOST'], ['[::1]']])('answers %s, with and without its port', async (name) => {
    expect(await rawStatus(name)).toBe(200);
    expect(await rawStatus(`${name}:${server.port}`)).toBe(200);
  });

  it.each([
    ['a rebinding name', () => 'evil.example'],
    ['a rebinding name with the port', () => `evil.example:${server.port}`],
    ['loopback on another port', () => `127.0.0.1:${server.port + 1}`],
    ['a name that only starts like localhost', () => 'localhost.evil.example'],
    ['no Host at all', () => undefined],
  ])('refuses %s with 421 Misdirected Request', async (_what, host) => {
    expect(await rawStatus(host())).toBe(421);
  });
});

describe('the report archive over HTTP', () => {
  it('sends a strict Content-Security-Policy on every page, and pages carry no script or inline style', async () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|script-src/);
    for (const path of ['/', `/day/${seeded.notRecovered}`, `/attack/${seeded.ids.notRecovered}`, '/nope']) {
      const { headers, body } = await get(path);
      expect(headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(body).not.toMatch(/<script|<style| style=/i);
    }
  });

  it('escapes every value: names, hosts, users and output reach the page as text, in the chart too', async () => {
    for (const path of [`/day/${seeded.quiet}`, `/attack/${hostile}`]) {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      expect(body).not.toContain('<svg onload');
      expect(body).not.toContain('<b>bold');
      expect(body).not.toContain('<i>who');
      expect(body).toContain('&lt;b&gt;bold&lt;/b&gt;');
    }
    expect((await get(`/attack/${hostile}`)).body).toContain('h&quot;&gt;&lt;svg onload=alert(1)&gt;');
  });

  it('shows no token: Slack tokens and password pairs in the output are redacted', async () => {
    const { body } = await get(`/attack/${hostile}`);
    expect(body).not.toContain(TOKEN);
    expect(body).not.toContain('hunter22');
    expect(body).toContain('token [redacted] and password=[redacted]');
  });

  it('answers bad addresses with what exists, and changes nothing on POST', async () => {
    expect((await get('/day/2026-02-30')).body).toMatch(/not a date/);
    expect((await get('/day/2026-02-30')).status).toBe(404);
    const future = DateTime.fromISO(today).plus({ days: 2 }).toISODate();
    expect((await get(`/day/${future}`)).body).toMatch(/has not begun/);
    expect((await get('/attack/99999')).status).toBe(404);
    expect((await get('/?page=-1')).status).toBe(400);
    expect((await get('/?page=101')).status).toBe(400);
    expect((await get(`/?host=${'x'.repeat(101)}`)).status).toBe(400);
    const post = await get(`/attack/${seeded.ids.held}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('filters the cards by team, host and attack', async () => {
    const tones = async (query: string) => {
      const { body } = await get(`/${query}`);
      const cards = [...body.matchAll(/data-date="([\d-]+)" data-tone="(\w+)"/g)].map((m) => [m[1], m[2]]);
      return Object.fromEntries(cards) as Record<string, string>;
    };
    const all = await tones('');
    expect([all[seeded.notRecovered], all[seeded.failedRollback], all[seeded.quiet]]).toEqual(['red', 'red', 'plain']);
    const db = await tones('?team=db');
    expect([db[seeded.notRecovered], db[seeded.failedRollback]]).toEqual(['plain', 'red']);
    const web2 = await tones('?host=web-2');
    expect([web2[seeded.notRecovered], web2[seeded.failedRollback]]).toEqual(['red', 'plain']);
    const other = await tones('?attack=disk-fill');
    expect([other[seeded.notRecovered], other[seeded.failedRollback]]).toEqual(['plain', 'plain']);
    expect((await get('/?team=db')).body).toMatch(/<option value="db" selected>/);
  });

  it('offers older days only while older records exist', async () => {
    /** The pages of days a page links to below the site header: `/?page=N`, and `/` for the newest. */
    const pageLinks = (body: string) =>
      [...body.slice(body.indexOf('</header>')).matchAll(/<a href="(\/(?:\?page=\d+)?)">/g)].map((m) => m[1]);
    expect(pageLinks((await get('/')).body)).toEqual([]);
    const old = DateTime.fromISO(today, { zone: TZ }).minus({ days: 45 }).set({ hour: 11 }).toMillis();
    writer.recordTick(old, { kind: 'skipped', code: 'closed', reason: 'outside business hours' });
    const first = await get('/');
    expect(pageLinks(first.body)).toEqual(['/?page=1']);
    const second = await get('/?page=1');
    const date = DateTime.fromMillis(old, { zone: TZ }).toISODate();
    expect(second.body).toContain(`data-date="${date}" data-tone="plain"`);
    expect(pageLinks(second.body)).toEqual(['/']);
  });

  it('reads through a connection that cannot write, and never holds the write lock while it serves', async () => {
    expect(() => reader.handle.prepare('DELETE FROM attacks').run()).toThrow(/readonly/i);
    expect(() => reader.setHalt({ by: 'web', at: 0, reason: 'no' })).toThrow(/readonly/i);
    writer.handle.pragma('busy_timeout = 0');
    const pages = Promise.all([get('/'), get(`/day/${seeded.notRecovered}`)]);
    // The bot's own connection takes the write lock at once, with no wait allowed.
    writer.handle.exec('BEGIN IMMEDIATE');
    writer.handle.exec('ROLLBACK');
    expect((await pages).map((p) => p.status)).toEqual([200, 200]);
    writer.handle.exec('BEGIN IMMEDIATE');
    expect((await get('/')).status).toBe(200);
    writer.handle.exec('ROLLBACK');
  });
});

describe('text from outside stays text on a page (issue 22, 9b)', () => {
  it('an attack page writes out a bidi override and control characters from its host name and output', async () => {
    const at = DateTime.fromISO(seeded.quiet, { zone: TZ }).set({ hour: 14 }).toMillis();
    const id = writer.insertAttack({
      attack: 'cpu-burn',
      host: 'web-\u202e1-hsab',
      trigger: { kind: 'user', user: 'U1' },
      dryRun: true,
      createdAt: at,
      deadlineAt: at + 90_000,
      durationMs: 60_000,
    });
    writer.markRunning(id, at, null);
    writer.finishAttack(id, { state: 'completed', endedAt: at + 60_000, outputTail: 'ok\n\u001b[2J\u202eHalted by admin\n' });
    const { status, body } = await get(`/attack/${id}`);
    expect(status).toBe(200);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that none survive
    expect(body).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u000b-\u001f]/);
    expect(body).toContain('web-\\u202e1-hsab');
    expect(body).toContain('\\u001b[2J\\u202eHalted by admin');
  });
});

describe('an attack page tells the run as it was (issue 26)', () => {
  it("names every host of a run over several hosts and the parameters it ran with, not today's", async () => {
    const at = DateTime.fromISO(seeded.quiet, { zone: TZ }).set({ hour: 15 }).toMillis();
    const base = {
      attack: 'cpu-burn',
      trigger: { kind: 'user' as const, user: 'U0ALICE' },
      dryRun: true,
      createdAt: at,
      deadlineAt: at + 90_000,
      durationMs: 60_000,
      params: { WORKERS: '1' },
    };
    const first = writer.insertAttack({ ...base, host: 'web-1', hosts: ['web-1', 'web-2'] });
    const second = writer.insertAttack({ ...base, host: 'web-2', runId: first });
    for (const id of [first, second]) {
      writer.markRunning(id, at, null);
      writer.finishAttack(id, { state: 'completed', endedAt: at + 60_000, rollbackOk: true });
    }
    const { status, body } = await get(`/attack/${first}`);
    expect(status).toBe(200);
    const hosts = body.slice(body.indexOf('<h2>Hosts</h2>'), body.indexOf('<h2>Lifecycle'));
    expect(hosts).toContain('<td data-label="host">web-1</td>');
    expect(hosts).toContain('<td data-label="host">web-2</td>');
    expect(hosts).toContain(`#${second}`);
    expect(hosts).toContain('2 hosts in one run');
    const params = body.slice(body.indexOf('<h2>Parameters</h2>'), body.indexOf('<h2>Hosts</h2>'));
    expect(params).toContain('<th>WORKERS</th><td>1</td>');
    expect(params).toContain('The values it ran with.');
    expect(params).not.toContain('as the catalogue defines them today');
    // Slack's markup is never shown raw: `<@U0ALICE>` is @U0ALICE.
    expect(body).toContain('@U0ALICE');
    expect(body).not.toContain('&lt;@');
  });

  it('shows Slack markup in reasons as plain text, never raw', async () => {
    const { plainMentions } = await import('../../../src/adapters/web/scrub.js');
    expect(plainMentions('stopped by <@U0ONCALL>: ask <!subteam^S0OPS|oncall> in <#C0CHAOS|chaos>, <!here>')).toBe(
      'stopped by @U0ONCALL: ask @oncall in #chaos, @here',
    );
  });
});

describe('a fault that may remain (issue 22, case 7)', () => {
  it('is shown above everything on the index until it is resolved', async () => {
    const faults = new SqliteFaultLog(writer.handle, 'db');
    faults.openFault({
      id: seeded.ids.failedRollback,
      attack: 'network-blackhole',
      host: 'db-1',
      detail: 'processes gone on db-1, but the rollback failed (exit 3): the fault may still be in place',
      manualRollback: 'ssh -t -p 22 chaoscat@10.0.0.9 sudo /usr/local/libexec/chaoscat/chaoscat-host rollback x-1',
      openedAt: Date.now(),
      confirmedAt: null,
    });
    const page = (await get('/')).body;
    const banner = /<section class="fault" role="alert">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
    expect(banner).toContain(`FAULT MAY REMAIN: #${seeded.ids.failedRollback} network-blackhole on db-1`);
    expect(banner).toContain('sudo /usr/local/libexec/chaoscat/chaoscat-host rollback x-1');
    expect(page.indexOf('class="fault"')).toBeLessThan(page.indexOf('<h1>'));
    faults.resolveFault(seeded.ids.failedRollback, 'U0ADMIN', Date.now(), 'fixed');
    expect((await get('/')).body).not.toContain('class="fault"');
  });
});
