import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteAnswerLog } from '../src/adapters/sqlite/answer-log.js';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.js';
import { type ArchiveSite, answer } from '../src/adapters/web/server.js';
import { cachedTimelineSvg } from '../src/adapters/web/timeline-cache.js';
import { reportContent } from '../src/app/reports/report.js';
import { fillAttacks, time } from './core.js';
import { benchEvidence } from './evidence.js';
import { type BenchRow, quantile, row } from './table.js';
import { MIGRATIONS, site } from './web-site.js';

const DAY = 86_400_000;
/** Distinct days of 500 attacks: each one's first view is a drawing the cache has never seen. */
const DAYS = 20;
/** Fresh processes, each showing one first page. */
const FRESH = 5;

/** Renders a page `runs` times as the server does (no socket); milliseconds each. */
async function page(s: ArchiveSite, path: string, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const reply = await answer(s, 'GET', path);
    out.push(performance.now() - t);
    if (reply.status !== 200) throw new Error(`${path}: HTTP ${reply.status}`);
  }
  return out;
}

function baseline(name: string, values: number[]): NonNullable<BenchRow['baseline']> {
  return { name, median: quantile(values, 0.5), p99: quantile(values, 0.99) };
}

/** The index over the bench's million attacks (30 days of 1,440 a day on the page), beside `history 20` on the same rows. */
async function indexRows(dir: string): Promise<BenchRow[]> {
  const file = join(dir, 'index.db');
  const writer = new SqliteStore({ file, migrationsDir: MIGRATIONS });
  try {
    const last = await fillAttacks(writer);
    const tick = writer.handle.prepare(`INSERT INTO ticks (at, outcome, code, reason) VALUES (?, 'skipped', 'cooldown', 'x')`);
    writer.handle.transaction(() => {
      for (let at = last - 35 * DAY; at <= last; at += 60_000) tick.run(at);
    })();
    // Answers on every 50th attack of the last week, a third of them "not paged": the report's gap lines read them.
    const answer = writer.handle.prepare(
      `INSERT INTO attack_answers (attack_id, person, at, paged, runbook) SELECT id, 'U0ONCALL', created_at, CASE WHEN id % 3 = 0 THEN 'no' ELSE 'yes' END, 'partly'
       FROM attacks WHERE created_at >= ? AND id % 50 = 0`,
    );
    answer.run(last - 7 * DAY);
    const { site: s, reader, deps } = site(file, last + 60_000);
    try {
      const history = time(() => reader.history({ limit: 20 }), 200);
      const date = dateOf(last - DAY);
      const plainReport = time(() => reportContent(deps, date), 10);
      const answers = new SqliteAnswerLog(reader.handle);
      const learnedReport = time(() => reportContent({ ...deps, answers }, date), 10);
      const index = await page(s, '/', 50);
      const team = await page(s, '/?team=web', 20);
      const older = await page(s, '/?page=10', 20);
      const base = baseline('history 20 over 1M rows', history);
      return [
        row('archive index (30 day cards) over 1M rows', 'ms', index, { baseline: base, note: 'goal ≤ 50 ms' }),
        row('archive index filtered by team over 1M rows', 'ms', team, { baseline: base }),
        row('archive index page 10 over 1M rows', 'ms', older, { baseline: base }),
        row("a day's report over 1M rows with what was learned and the week's gaps", 'ms', learnedReport, {
          baseline: baseline('the same report without answers', plainReport),
          note: 'goal ≤ 50 ms over its baseline',
        }),
      ];
    } finally {
      reader.close();
    }
  } finally {
    writer.close();
  }
}

/** `count` days of 500 attacks each from `first` (UTC midnight), with verdicts, a tick and a health check every minute; the id of a probed attack. */
function seedDays(writer: SqliteStore, first: number, count: number): string {
  const verdicts = ['held', 'held', 'held', 'recovered', 'not-recovered', 'unknown'] as const;
  const states = ['completed', 'completed', 'reverted', 'failed'] as const;
  let probed = '';
  writer.handle.transaction(() => {
    for (let d = 0; d < count; d++) {
      const start = first + d * DAY;
      for (let m = 0; m < 1440; m++) {
        const at = start + m * 60_000;
        writer.recordTick(at, { kind: 'skipped', code: 'cooldown', reason: 'cooldown' });
        writer.recordHealth({
          checkedAt: at,
          healthy: m % 97 !== 0,
          results: [{ name: 'api', kind: 'http', healthy: m % 97 !== 0, reason: 'HTTP 200', durationMs: 4 }],
        });
      }
      for (let i = 0; i < 500; i++) {
        const at = start + Math.floor((i * DAY) / 500);
        const id = writer.insertAttack({
          attack: `attack-${i % 12}`,
          host: `host-${i % 40}`,
          trigger: i % 10 ? { kind: 'schedule' } : { kind: 'user', user: 'U0ADMIN' },
          dryRun: false,
          createdAt: at,
          deadlineAt: at + 90_000,
          durationMs: 60_000,
        });
        writer.markRunning(id, at + 500, 100 + i);
        writer.finishAttack(id, {
          state: states[i % states.length] as never,
          endedAt: at + 60_500,
          exitCode: 0,
          outputTail: 'ok\n'.repeat(40),
          rollbackOk: i % 50 !== 0,
        });
        const kind = verdicts[i % verdicts.length] as (typeof verdicts)[number];
        writer.setVerdict(id, {
          kind,
          ttdMs: kind === 'held' ? null : 8000,
          ttrMs: kind === 'recovered' ? 20_000 : null,
          detail: `api ${kind}`,
        });
        if (d === 0 && i === 250) {
          probed = id;
          for (let s = 0; s < 60; s++)
            writer.recordSample(id, {
              at: at + s * 2000,
              phase: s < 2 ? 'before' : s < 32 ? 'during' : 'after',
              healthy: s < 6 || s > 20,
              results: [{ name: 'api', kind: 'http', healthy: s < 6 || s > 20, reason: 'HTTP 503', durationMs: 4 }],
            });
        }
      }
    }
  })();
  return probed;
}

/** A fresh process per sample (bench/web-first-page.ts): its very first day page, and the same page once more. */
function freshFirstPages(file: string, date: string, now: number): { first: number[]; second: number[] } {
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < FRESH; i++) {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, join(import.meta.dirname, 'web-first-page.ts'), file, date, String(now)],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const times = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { first: number; second: number };
    first.push(times.first);
    second.push(times.second);
  }
  return { first, second };
}

const dateOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * Days of 500 attacks. The first view of each of DAYS distinct days (the server's own timeline
 * cache, which has never seen the day: nothing is pre-drawn), in a process that has shown one
 * attack page before (ECharts loaded, little else warm): the early samples carry the cold JIT and
 * stay in the p99. Then the same days again (the drawing kept), and a fresh process's very first page.
 */
async function dayRows(dir: string): Promise<BenchRow[]> {
  const file = join(dir, 'day.db');
  const writer = new SqliteStore({ file, migrationsDir: MIGRATIONS });
  try {
    const first = Date.parse('2026-01-05T00:00:00Z');
    const probed = seedDays(writer, first, DAYS);
    const now = first + DAYS * DAY + 12 * 3_600_000;
    const dates = Array.from({ length: DAYS }, (_, d) => dateOf(first + d * DAY));
    const { site: s, reader, deps } = site(file, now);
    try {
      const text = time(() => reportContent(deps, dates[0]), 30);
      await page(s, `/attack/${probed}`, 1); // loads ECharts once, as the first page a server shows does
      const served: ArchiveSite = { ...s, timeline: cachedTimelineSvg(DAYS) };
      const firstViews: number[] = [];
      for (const date of dates) firstViews.push(...(await page(served, `/day/${date}`, 1)));
      const kept: number[] = [];
      for (const date of dates) kept.push(...(await page(served, `/day/${date}`, 1)));
      const fresh = freshFirstPages(file, dates[DAYS - 1] as string, now);
      const record = time(() => {
        reader.getAttack(probed);
        reader.samplesOf(probed);
      }, 200);
      const attack = await page(s, `/attack/${probed}`, 100);
      const content = baseline('channel report content, same day', text);
      return [
        row(`archive day page, 500 attacks, first view of each of ${DAYS} days (timeline drawn)`, 'ms', firstViews, {
          baseline: content,
          note: 'goal ≤ 100 ms',
        }),
        row(`archive day page, 500 attacks, the same ${DAYS} days again (drawing kept)`, 'ms', kept, {
          baseline: content,
          note: 'goal ≤ 100 ms',
        }),
        row("archive day page, 500 attacks, a fresh process's very first page (loads ECharts)", 'ms', fresh.first, {
          baseline: baseline('the same page next, same process', fresh.second),
        }),
        row('archive attack page, 60 probe samples (SVG chart)', 'ms', attack, {
          baseline: baseline('read the attack and its samples', record),
        }),
      ];
    } finally {
      reader.close();
    }
  } finally {
    writer.close();
  }
}

/** The archive's pages, rendered as the server renders them (no socket). Every database goes with the scratch dir. */
export async function benchWeb(dir: string): Promise<BenchRow[]> {
  const scratch = mkdtempSync(join(dir, 'web-'));
  try {
    return [...(await dayRows(scratch)), ...(await indexRows(scratch)), ...(await benchEvidence())];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
