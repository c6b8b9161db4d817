import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteJournal } from '../../../src/adapters/sqlite/journal-query.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { exportJournal, parseExportArgs, parseMoment } from '../../../src/app/reports/export.js';
import { type JournalEntry, journalEntry } from '../../../src/domain/journal.js';
import type { ProbeRecord } from '../../../src/domain/model.js';
import type { JournalSource } from '../../../src/ports/journal.js';
import { deferCleanup, tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

const TZ = 'America/Los_Angeles';
const MIN = 60_000;
const DAY1 = DateTime.fromISO('2026-03-01', { zone: TZ }).toMillis();

let store: SqliteStore;
let dir: string;

/** 25 attacks: five a day for five days, several sharing a createdAt so paging must not lose ties. */
function seed(): void {
  for (let d = 0; d < 5; d++) {
    for (let i = 0; i < 5; i++) {
      const createdAt = DAY1 + d * 24 * 60 * MIN + 10 * 60 * MIN + (i < 3 ? 0 : i * MIN);
      const id = store.insertAttack({
        attack: i % 2 ? 'net-delay' : 'cpu-burn',
        host: `web-${i}`,
        trigger: i === 4 ? { kind: 'user', user: 'U0ADMIN' } : { kind: 'schedule' },
        dryRun: false,
        createdAt,
        deadlineAt: createdAt + 2 * MIN,
        durationMs: MIN,
      });
      store.markRunning(id, createdAt + 500, 1000 + i);
      if (i !== 3) {
        store.finishAttack(id, {
          state: i === 2 ? 'failed' : 'completed',
          endedAt: createdAt + MIN,
          exitCode: i === 2 ? 1 : 0,
          outputTail: `line one\n"quoted" line ${i}`,
          reason: i === 2 ? 'exit 1' : null,
          rollbackOk: i !== 2,
        });
      }
    }
  }
}

function collect(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

const lines = (text: string): JournalEntry[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

beforeEach(() => {
  dir = tempDir('chaoscat-export-');
  store = new SqliteStore({ file: join(dir, 'chaoscat.db'), migrationsDir: MIGRATIONS });
  seed();
});
afterEach(() => store.close());

describe('export --since', () => {
  it('writes every attack since the date as one full record a line, oldest first, across pages with ties', async () => {
    const since = DAY1 + 2 * 24 * 60 * MIN;
    const { out, text } = collect();
    const { count } = await exportJournal(sqliteJournal(store), { since, out, pageSize: 2 });
    const records = lines(text());
    expect(count).toBe(15);
    expect(records).toHaveLength(15);
    const expected = store.history({ limit: 100, since }).reverse();
    expect(records).toEqual(expected.map((r) => journalEntry(r, [])));
    expect(new Set(records.map((r) => r.id)).size).toBe(15);
    expect(records.map((r) => r.createdAt)).toEqual([...records.map((r) => r.createdAt)].sort((a, b) => a - b));
    expect(records.find((r) => r.state === 'running')).toMatchObject({ endedAt: null, remotePgid: 1003 });
    expect(records.find((r) => r.state === 'failed')).toMatchObject({ exitCode: 1, rollbackOk: false, reason: 'exit 1' });
  });

  it('carries the parameter values each attack ran with, and each host of a run over several with its run', async () => {
    const createdAt = DAY1 + 40 * 24 * 60 * MIN;
    const base = { attack: 'network-latency', trigger: { kind: 'user', user: 'U1' } as const, dryRun: false, createdAt };
    const params = { DELAY_MS: '800', JITTER_MS: '20' };
    const first = store.insertAttack({
      ...base,
      host: 'web-1',
      deadlineAt: createdAt + MIN,
      durationMs: MIN,
      params,
      hosts: ['web-1', 'web-2'],
    });
    const second = store.insertAttack({
      ...base,
      host: 'web-2',
      deadlineAt: createdAt + MIN,
      durationMs: MIN,
      params,
      runId: first,
    });
    const { out, text } = collect();
    await exportJournal(sqliteJournal(store), { since: createdAt, out });
    const records = lines(text());
    expect(records.map((r) => [r.id, r.host, r.params, r.hosts, r.runId])).toEqual([
      [first, 'web-1', params, ['web-1', 'web-2'], undefined],
      [second, 'web-2', params, undefined, first],
    ]);
    // History lists the run once, under its first host.
    expect(store.history({ limit: 10, since: createdAt }).map((r) => r.id)).toEqual([first]);
    expect(store.runMembers(first).map((r) => r.id)).toEqual([second]);
  });

  it('stops before --until and writes nothing for an empty range', async () => {
    const since = DAY1 + 24 * 60 * MIN;
    const a = collect();
    await exportJournal(sqliteJournal(store), { since, until: since + 24 * 60 * MIN, out: a.out, pageSize: 3 });
    expect(lines(a.text()).map((r) => r.createdAt >= since && r.createdAt < since + 24 * 60 * MIN)).toEqual(Array(5).fill(true));
    const b = collect();
    expect(await exportJournal(sqliteJournal(store), { since: DAY1 + 30 * 24 * 60 * MIN, out: b.out })).toEqual({ count: 0 });
    expect(b.text()).toBe('');
  });

  it('writes to a file and leaves the stream for the caller to end', async () => {
    const file = join(dir, 'journal.jsonl');
    const out = createWriteStream(file);
    // Closed here even if an expectation fails before `out.end()`, before the dir goes.
    deferCleanup(() => {
      out.destroy();
    });
    const { count } = await exportJournal(sqliteJournal(store), { since: 0, out });
    expect(out.writableEnded).toBe(false);
    out.end();
    await finished(out);
    expect(count).toBe(25);
    expect(lines(readFileSync(file, 'utf8'))).toHaveLength(25);
  });

  it('reads one page at a time, waiting while the output is full', async () => {
    const pages: number[] = [];
    const source: JournalSource = {
      page: (range, after, limit) => {
        const page = sqliteJournal(store).page(range, after, limit);
        pages.push(page.length);
        return page;
      },
    };
    // A pipe nobody reads yet: however long we wait, the export stalls once it is full.
    const out = new PassThrough({ highWaterMark: 64 });
    const done = exportJournal(source, { since: 0, out, pageSize: 1 });
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.length).toBeLessThanOrEqual(5);
    let text = '';
    out.on('data', (chunk) => {
      text += String(chunk);
    });
    expect(await done).toEqual({ count: 25 });
    expect(pages).toEqual([...Array(25).fill(1), 0]);
    expect(lines(text)).toHaveLength(25);
  });

  it('rejects when the output fails', async () => {
    const out = new Writable({
      write(_chunk, _enc, done) {
        done(new Error('disk full'));
      },
    });
    await expect(exportJournal(sqliteJournal(store), { since: 0, out })).rejects.toThrow('disk full');
  });
});

describe('the journal of the steady state', () => {
  const S = 1_000;
  const sample = (at: number, phase: ProbeRecord['phase'], reason: string | null): ProbeRecord => ({
    at,
    phase,
    healthy: reason === null,
    results: [{ name: 'checkout', kind: 'http', healthy: reason === null, reason: reason ?? 'HTTP 200', durationMs: 12 }],
  });

  it('carries the verdict of each attack and its probe samples by phase, like a Chaos Toolkit journal', async () => {
    const [first, second] = store.history({ limit: 100 }).reverse();
    const id = first?.id as string;
    const start = first?.startedAt as number;
    // Recorded out of order: the journal keeps each phase oldest first.
    store.recordSample(id, sample(start + 10 * S, 'during', 'HTTP 503'));
    store.recordSample(id, sample(start - S, 'before', null));
    store.recordSample(id, sample(start + 5 * S, 'during', null));
    store.recordSample(id, sample(start + 70 * S, 'after', null));
    store.setVerdict(id, {
      kind: 'recovered',
      ttdMs: 10 * S,
      ttrMs: 60 * S,
      detail: 'detected after 10s (checkout: HTTP 503), recovered 1m later',
    });
    const { out, text } = collect();
    await exportJournal(sqliteJournal(store), { since: 0, out, pageSize: 4 });
    const entries = lines(text());
    expect(entries[0]).toMatchObject({
      id,
      verdict: 'recovered',
      ttdMs: 10 * S,
      ttrMs: 60 * S,
      verdictDetail: 'detected after 10s (checkout: HTTP 503), recovered 1m later',
      steadyState: {
        before: [{ at: start - S, healthy: true }],
        during: [
          { at: start + 5 * S, healthy: true },
          {
            at: start + 10 * S,
            healthy: false,
            results: [{ name: 'checkout', kind: 'http', healthy: false, reason: 'HTTP 503' }],
          },
        ],
        after: [{ at: start + 70 * S, healthy: true }],
      },
    });
    expect(entries[0]?.steadyState.during[0]).not.toHaveProperty('phase');
    // An attack without samples or verdict says so, rather than leaving the fields out.
    expect(entries[1]).toMatchObject({ id: second?.id, verdict: null, ttdMs: null, ttrMs: null, verdictDetail: null });
    expect(entries[1]?.steadyState).toEqual({ before: [], during: [], after: [] });
  });

  it('writes lines with the fields of the example in docs/reports.md', async () => {
    const doc = readFileSync(new URL('../../../docs/reports.md', import.meta.url), 'utf8');
    const example = JSON.parse(doc.match(/^\{"id":"42".*\}$/m)?.[0] ?? '{}') as JournalEntry;
    const [first] = store.history({ limit: 100 }).reverse();
    store.recordSample(first?.id as string, sample(first?.createdAt as number, 'during', 'HTTP 503'));
    const { out, text } = collect();
    await exportJournal(sqliteJournal(store), { since: 0, out, pageSize: 1 });
    const [line] = lines(text());
    expect(Object.keys(example)).toEqual(Object.keys(line ?? {}));
    expect(Object.keys(example.steadyState)).toEqual(['before', 'during', 'after']);
    expect(example.steadyState.during[0]).toMatchObject({ at: expect.any(Number), healthy: false });
    expect(Object.keys(example.steadyState.during[0] ?? {})).toEqual(Object.keys(line?.steadyState.during[0] ?? {}));
  });

  it('keeps the samples of each attack with it across pages', async () => {
    const all = store.history({ limit: 100 }).reverse();
    for (const r of all) store.recordSample(r.id, sample(r.createdAt + Number(r.id), 'before', null));
    const { out, text } = collect();
    await exportJournal(sqliteJournal(store), { since: 0, out, pageSize: 3 });
    const entries = lines(text());
    expect(entries).toHaveLength(25);
    for (const e of entries) expect(e.steadyState.before.map((s) => s.at)).toEqual([e.createdAt + Number(e.id)]);
  });
});

describe('the export arguments', () => {
  it('reads a date as local midnight in the zone, and an ISO time with an offset as given', () => {
    expect(parseMoment('2026-03-01', TZ)).toBe(DAY1);
    expect(parseMoment('2026-03-01T09:30', TZ)).toBe(DAY1 + 9.5 * 60 * MIN);
    expect(parseMoment('2026-03-01T00:00:00Z', TZ)).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(parseMoment('last week', TZ)).toBeNull();
    expect(parseMoment('2026-02-30', TZ)).toBeNull();
  });

  it.each([
    [['--since', '2026-03-01'], { since: DAY1 }],
    [
      ['--since', '2026-03-01', '--until', '2026-03-02', '--out', 'j.jsonl'],
      { since: DAY1, until: DAY1 + 24 * 60 * MIN, out: 'j.jsonl' },
    ],
    [[], { error: 'export needs --since DATE (YYYY-MM-DD or an ISO date-time)' }],
    [['--since', 'soon'], { error: '--since "soon" is not a date (YYYY-MM-DD or an ISO date-time)' }],
    [['--since', '2026-03-02', '--until', '2026-03-01'], { error: '--until must be after --since' }],
    [['--since', '2026-03-01', '--out'], { error: '--out needs a file path' }],
  ])('%j', (argv, expected) => {
    expect(parseExportArgs(argv, TZ)).toEqual(expected);
  });
});
