import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { attackRecord, startTransport, type TransportHarness } from './slack-harness.js';

let h: TransportHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('evidence in the thread (real Bolt against the stand-in)', () => {
  it('posts the baseline, then each series as a PNG uploaded into the attack thread', async () => {
    const x = await startTransport();
    h = x;
    const start = Date.now() - 60_000;
    const record = attackRecord({ state: 'completed', startedAt: start, endedAt: start + 20_000 });
    expect(await x.transport.announceStart({ kind: 'attack-started', record, attack: null })).toEqual({ ok: true });
    const points: [number, number][] = Array.from({ length: 40 }, (_, i) => [
      start - 10_000 + i * 1_000,
      i >= 10 && i < 30 ? 40 : 100,
    ]);
    await x.transport.announce({
      kind: 'evidence',
      record,
      series: [{ title: 'checkout success', unit: '%', points }],
      failed: [],
    });
    await eventually(() => x.standin.okCalls('files.completeUploadExternal').length === 1, 'the chart upload');
    const top = x.top(record.id);
    expect(x.thread(top?.ts ?? '').map((m) => m.text)).toContainEqual(
      expect.stringContaining('checkout success: before 100 %, worst during 40 %, after 100 %'),
    );
    expect(x.standin.okCalls('files.completeUploadExternal')[0]?.args).toMatchObject({ thread_ts: top?.ts });
    expect(x.standin.uploads[0]?.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  });
});
