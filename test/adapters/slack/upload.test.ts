import { afterEach, describe, expect, it } from 'vitest';
import type { ReportCommand } from '../../../src/app/commands/commands.js';
import type { Attachment } from '../../../src/ports/chat.js';
import { eventually } from '../../support/eventually.js';
import { CHANNEL, NOBODY, type SlackHarness, startHarness } from './slack-harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const chart: Attachment = { filename: 'chaos-2026-11-23.png', title: 'Chaos on 2026-11-23', contentType: 'image/png', data: PNG };
const csv: Attachment = {
  filename: 'attacks.csv',
  title: 'Attacks',
  contentType: 'text/csv',
  data: new TextEncoder().encode('id,attack\n1,cpu-burn\n'),
};

/** The report feature's entry point, as createBot receives it: a reply with files. */
const report: ReportCommand = async (date) => ({
  text: `*Chaos report* for ${date ?? 'yesterday'}: 0 attacks.`,
  block: 'host   attacks\nweb-1  0',
  attachments: [chart, csv],
});

const flow = (x: SlackHarness) =>
  x.standin.calls.map((c) => c.method).filter((m) => m === 'chat.postMessage' || m.startsWith('files.') || m === 'upload');

describe('Slack file uploads (files.getUploadURLExternal → bytes → files.completeUploadExternal)', () => {
  it('uploads a reply’s attachments into the thread the command came from, in order', async () => {
    const x = await startHarness({ report });
    h = x;
    const threadTs = '1699999999.000042';
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> report 2026-11-23`, threadTs });
    await eventually(() => x.standin.okCalls('files.completeUploadExternal').length > 0, 'the upload');
    expect(flow(x)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    expect(x.posted()[0]).toMatchObject({ threadTs });
    expect(x.posted()[0]?.text).toBe('*Chaos report* for 2026-11-23: 0 attacks.');
    expect(x.posted()[0]?.blocks).toContainEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '```\nhost   attacks\nweb-1  0\n```' },
    });
    const [first, second] = x.standin.okCalls('files.getUploadURLExternal');
    expect(first?.args).toMatchObject({ filename: chart.filename, length: String(PNG.byteLength) });
    expect(second?.args).toMatchObject({ filename: csv.filename });
    expect(x.standin.uploads.map((u) => [u.contentType, [...u.bytes]])).toEqual([
      ['image/png', [...PNG]],
      ['text/csv', [...csv.data]],
    ]);
    expect(x.standin.okCalls('files.completeUploadExternal')[0]?.args).toEqual({
      files: [
        { id: x.standin.uploads[0]?.fileId, title: chart.title },
        { id: x.standin.uploads[1]?.fileId, title: csv.title },
      ],
      channel_id: CHANNEL,
      thread_ts: threadTs,
    });
    // The bot token is not sent with the bytes: the upload URL is pre-signed.
    expect(x.standin.calls.find((c) => c.method === 'upload')?.token).toBeNull();
  });

  it('posts the daily report announcement to the channel with its chart', async () => {
    const x = await startHarness();
    h = x;
    await x.transport.announce({
      kind: 'report',
      reply: await report('2026-11-23', { text: '', actor: 'system', transport: 'cron' }),
    });
    await eventually(() => x.standin.okCalls('files.completeUploadExternal').length > 0, 'the upload');
    expect(x.posted()[0]).toMatchObject({ threadTs: undefined });
    expect(x.standin.okCalls('files.completeUploadExternal')[0]?.args).toEqual({
      files: expect.any(Array),
      channel_id: CHANNEL,
    });
  });

  it('survives a failing upload: retried within bounds, logged, the bot carries on', async () => {
    const x = await startHarness({ report });
    h = x;
    x.standin.failNext('files.getUploadURLExternal', 1, { kind: 'http', status: 500 });
    x.standin.failNext('files.completeUploadExternal', 10, { kind: 'ok-false', error: 'invalid_channel' });
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> report` });
    await eventually(() => x.logs.some((l) => l.msg === 'cannot share the uploaded files'), 'the failure to be logged');
    expect(x.standin.callsTo('files.getUploadURLExternal').map((c) => c.answer)).toEqual(['http 500', 'ok', 'ok']);
    expect(x.standin.callsTo('files.completeUploadExternal')).toHaveLength(1);
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> hosts` });
    await eventually(() => x.posted().some((m) => m.text.startsWith('3 hosts')), 'the next answer');
  });
});
