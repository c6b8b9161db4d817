import { afterEach, describe, expect, it } from 'vitest';
import { mrkdwn } from '../../../src/adapters/slack/text.js';
import type { AttackRecord } from '../../../src/domain/model.js';
import { endedText } from '../../../src/words/announcements.js';
import { eventually } from '../../support/eventually.js';
import { attackRecord, startTransport, type TransportHarness } from './slack-harness.js';

let h: TransportHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

function ended(r: AttackRecord): AttackRecord {
  return { ...r, state: 'completed', startedAt: r.createdAt, endedAt: r.createdAt + 60_000, exitCode: 0, rollbackOk: true };
}

describe('endings link to the archive', () => {
  it("with web.publicUrl, an attack's ending in its thread links to its page", async () => {
    h = await startTransport({ archiveUrl: 'https://chaos.example.com/' });
    const x = h;
    const record = attackRecord({ id: '12' });
    expect(await x.transport.announceStart({ kind: 'attack-started', record, attack: null })).toEqual({ ok: true });
    await x.transport.announce({ kind: 'attack-ended', record: ended(record) });
    const top = x.top('12');
    await eventually(() => x.thread(top?.ts ?? '').length > 0, 'the ending in the thread');
    const text = x.thread(top?.ts ?? '')[0]?.text ?? '';
    // The ending as the words tell it, then a link to the attack's page.
    expect(text.startsWith(`${mrkdwn(endedText(ended(record), [], 'UTC'))}\n`)).toBe(true);
    expect(/<([^|>]+)\|#12>$/.exec(text)?.[1]).toBe('https://chaos.example.com/attack/12');
  });

  it('without it, the ending says nothing of an archive', async () => {
    h = await startTransport();
    const x = h;
    const record = attackRecord({ id: '13' });
    expect(await x.transport.announceStart({ kind: 'attack-started', record, attack: null })).toEqual({ ok: true });
    await x.transport.announce({ kind: 'attack-ended', record: ended(record) });
    const top = x.top('13');
    await eventually(() => x.thread(top?.ts ?? '').length > 0, 'the ending in the thread');
    expect(x.thread(top?.ts ?? '')[0]?.text).toBe(mrkdwn(endedText(ended(record), [], 'UTC')));
  });
});
