import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderEvidencePng } from '../../src/adapters/chart/evidence-chart.js';
import { prometheusEvidence } from '../../src/adapters/detection/evidence.js';
import { SqliteArchiveReader } from '../../src/adapters/sqlite/archive-reader.js';
import { SqliteEvidenceLog } from '../../src/adapters/sqlite/evidence-log.js';
import { attackPage } from '../../src/adapters/web/attack-page.js';
import { answer } from '../../src/adapters/web/server.js';
import { archiveAttack, createArchive } from '../../src/app/reports/archive.js';
import { baseline } from '../../src/domain/evidence.js';
import type { HealthReport } from '../../src/domain/model.js';
import type { ChatEvent } from '../../src/ports/chat.js';
import { eventText } from '../../src/words/announcements.js';
import { baselineText } from '../../src/words/evidence.js';
import { type Harness, harness } from '../support/bot-harness.js';
import { eventually } from '../support/eventually.js';
import { ScriptedHealth, settle } from '../support/fakes.js';
import { type RealPrometheus, startPrometheus } from '../support/prometheus.js';

const PASS: Omit<HealthReport, 'checkedAt'> = {
  healthy: true,
  results: [{ name: 'svc', kind: 'command', healthy: true, reason: 'ok', durationMs: 1 }],
};

let prom: RealPrometheus;
let value = 100;
let h: Harness | undefined;
beforeAll(async () => {
  prom = await startPrometheus([
    { job: 'checkout', labels: { host: 'web-1' }, metrics: () => `# TYPE checkout_success gauge\ncheckout_success ${value}\n` },
  ]);
  await prom.waitFor('checkout_success == 100', (s) => s.length > 0, 'the first scrapes');
}, 60_000);
afterAll(async () => {
  await prom?.stop();
});
afterEach(() => {
  h?.close();
  h = undefined;
});

/** Moves the bot's clock to real time: Prometheus keeps real time. */
const toNow = (x: Harness) => x.clock.advance(Math.max(0, Date.now() - x.clock.now()));

describe("the metric's dip and recovery (real Prometheus, an exporter that dips during the attack)", () => {
  it('reads the series around the attack, keeps it, tells the baseline in the thread and draws it', async () => {
    const x = harness(
      { dryRun: false, verdict: { probeInterval: '5s', recoveryWindow: '10s', haltOnNotRecovered: false } },
      [
        {
          name: 'cpu-burn',
          weight: 10,
          targets: ['web'],
          duration: '20s',
          evidence: [{ title: 'checkout success', url: prom.url, query: 'checkout_success{host="{{host}}"}', unit: '%' }],
        },
      ],
      {
        steadyState: (clock) => {
          const probe = new ScriptedHealth(PASS, clock);
          return { probesFor: () => probe };
        },
      },
    );
    h = x;
    // The harness wires evidence as production does, on its own store.
    const log = new SqliteEvidenceLog(x.store.handle);
    Object.assign(x.bot.context.runner.deps, {
      evidence: { reader: prometheusEvidence((a) => x.config.evidence[a] ?? []), log },
    });
    // Some of its normal before the attack, a dip that lasts, a recovery that lasts (scraped every second).
    await prom.waitFor('count_over_time(checkout_success[8s]) >= 7', (s) => s.length > 0, 'the metric before the attack');
    toNow(x);
    await x.bot.handle({ text: 'run-once cpu-burn web-1', actor: 'admin', transport: 'test' });
    value = 40;
    await prom.waitFor('checkout_success == 40', (s) => s.length > 0, 'the dip');
    await prom.waitFor('max_over_time(checkout_success[5s]) == 40', (s) => s.length > 0, 'the dip to last');
    toNow(x);
    value = 100;
    x.executor.runs[0]?.finish();
    await settle();
    await prom.waitFor('checkout_success == 100', (s) => s.length > 0, 'the recovery');
    await prom.waitFor('min_over_time(checkout_success[5s]) == 100', (s) => s.length > 0, 'the recovery to last');
    toNow(x);
    await x.timers.advance(10_000);
    await eventually(() => x.chat.events.some((e) => e.kind === 'evidence'), 'the evidence in the thread');

    const event = x.chat.events.find((e) => e.kind === 'evidence') as Extract<ChatEvent, { kind: 'evidence' }>;
    expect(event.failed).toEqual([]);
    const [series] = event.series;
    const record = x.store.getAttack('1');
    if (!series || !record?.startedAt || !record.endedAt) throw new Error('no series or no fault window');
    const b = baseline(series, record.startedAt, record.endedAt);
    expect(b).toEqual({ before: 100, worstDuring: 40, after: 100 });
    // The thread tells the series with its baseline, as the words render it.
    expect(eventText(event, 'UTC')).toContain(baselineText(series, b));
    // Kept: the archive draws it whatever Prometheus remembers.
    expect(log.seriesOf('1')).toEqual(event.series);
    const png = await renderEvidencePng(record, series, 'UTC');
    expect(Buffer.from(png.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    const view = archiveAttack(
      { store: x.store, archive: new SqliteArchiveReader(x.store.handle), evidence: log, clock: x.clock, config: x.config },
      '1',
    );
    const page = attackPage(view as NonNullable<typeof view>, (t) => t);
    // And beside the day's timeline, through the archive's server.
    const archive = createArchive({
      store: x.store,
      archive: new SqliteArchiveReader(x.store.handle),
      evidence: log,
      clock: x.clock,
      config: x.config,
    });
    const date = DateTime.fromMillis(record.createdAt, { zone: x.config.timezone }).toISODate() as string;
    const day = await answer({ archive, scrub: (t) => t }, 'GET', `/day/${date}`);
    expect(day.status).toBe(200);
    expect(day.body).toMatch(
      /<h2>Evidence<\/h2><h3><a href="\/attack\/1">#1 cpu-burn on web-1<\/a><\/h3><figure class="chart evidence"><svg/,
    );
    expect(page).toContain('<h2>Evidence</h2>');
    expect(page).toMatch(
      /<figure class="chart evidence"><svg[^>]*>[\s\S]*fault[\s\S]*<\/svg><figcaption>checkout success: before 100 %/,
    );
  }, 90_000);
});
