import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { ADMIN, CHANNEL, ELSEWHERE, NOBODY, type SlackHarness, startHarness, stopButton } from './slack-harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

/** A DM between two people: the bot is not in it, so chat.postMessage there fails. */
const PEOPLES_DM = 'D0PEOPLE';
const BOTS_DM = 'D0WITHBOT';

const responses = (x: SlackHarness) => x.standin.responsesTo({ response_url: x.standin.lastCommand?.response_url ?? '' });

describe('Slack conventions: where and to whom the bot answers', () => {
  it('answers a slash stop from a DM the bot is not in through response_url, and halts', async () => {
    const x = await startHarness();
    h = x;
    x.standin.notIn.add(PEOPLES_DM);
    x.standin.slashCommand({ user: NOBODY, channel: PEOPLES_DM, text: 'stop db is on fire' });
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    await eventually(() => responses(x).length > 0, 'the reply through response_url');
    const reply = responses(x)[0]!.body;
    expect(reply.response_type).toBe('in_channel');
    expect(x.store.getState().halt).toMatchObject({ by: NOBODY, reason: 'db is on fire' });
    expect(reply.text).toContain(`<@${NOBODY}>`);
    // Nothing was tried where the bot cannot post.
    expect(x.standin.callsTo('chat.postMessage').filter((c) => c.args.channel === PEOPLES_DM)).toEqual([]);
  });

  it('falls back to the Web API when the response_url refuses the answer', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failResponses = 1;
    x.standin.slashCommand({ user: NOBODY, channel: CHANNEL, text: 'hosts' });
    await eventually(() => x.posted().length > 0, 'the reply through chat.postMessage');
    expect(x.standin.callsTo('response_url').map((c) => c.answer)).toEqual(['http 404']);
    const table = x.posted()[0]?.blocks?.find((b) => (b as { type?: string }).type === 'table') as
      | { rows: { text?: string }[][] }
      | undefined;
    expect(table?.rows.slice(1).map((r) => r[0]?.text)).toEqual(x.config.hosts.map((host) => host.name));
  });

  it('help and status answer only the asker; `status here` answers the channel', async () => {
    const x = await startHarness();
    h = x;
    x.standin.slashCommand({ user: NOBODY, channel: CHANNEL, text: 'help' });
    await eventually(() => responses(x).length > 0, 'the help');
    expect(responses(x)[0]?.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('run-once') });
    x.standin.slashCommand({ user: NOBODY, channel: CHANNEL, text: 'status' });
    await eventually(() => responses(x).length > 0, 'the status');
    expect(responses(x)[0]?.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('*Running*') });
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> help` });
    const mentionTs = x.standin.lastEventTs;
    await eventually(() => x.standin.okCalls('chat.postEphemeral').length > 0, 'the ephemeral help');
    expect(x.standin.okCalls('chat.postEphemeral')[0]?.args).toMatchObject({
      channel: CHANNEL,
      user: NOBODY,
      thread_ts: mentionTs,
    });
    x.standin.slashCommand({ user: NOBODY, channel: CHANNEL, text: 'status here' });
    await eventually(() => responses(x).length > 0, 'the public status');
    expect(responses(x)[0]?.body).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('*Running*') });
    expect(x.posted()).toEqual([]);
  });

  it('a typo, an empty command, a usage error and history answer only the asker; `history here` answers the channel', async () => {
    const x = await startHarness();
    h = x;
    for (const [user, text, says] of [
      [NOBODY, 'hepl', /I don't know "hepl"/],
      [NOBODY, '', /Say `help`/],
      [ADMIN, 'run-once sleepr', /sleepr/],
      [NOBODY, 'run-once cpu-burn', /only admins may/],
      [NOBODY, 'history', /attacks|No attacks/i],
    ] as const) {
      x.standin.slashCommand({ user, channel: CHANNEL, text });
      await eventually(() => responses(x).length > 0, `the answer to "${text}"`);
      expect(responses(x)[0]?.body, text).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(says) });
    }
    x.standin.slashCommand({ user: NOBODY, channel: CHANNEL, text: 'history here' });
    await eventually(() => responses(x).length > 0, 'the public history');
    expect(responses(x)[0]?.body).toMatchObject({ response_type: 'in_channel' });
    expect(x.posted()).toEqual([]);
  });

  it('an ephemeral answer Slack refuses goes to the asker as a DM, never to the channel', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failNext('chat.postEphemeral', 1, { kind: 'ok-false', error: 'user_not_in_channel' });
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> hepl` });
    await eventually(() => x.posted(NOBODY).length > 0, 'the DM');
    // The answer Slack refused, word for word, under where it was asked.
    const refused = String(x.standin.callsTo('chat.postEphemeral')[0]?.args.text);
    expect(x.posted(NOBODY)[0]?.text).toBe(`(In <#${CHANNEL}>)\n${refused}`);
    expect(x.posted()).toEqual([]);
  });

  it('answers a top-level mention in a thread under it', async () => {
    const x = await startHarness();
    h = x;
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> hosts` });
    const mentionTs = x.standin.lastEventTs;
    await eventually(() => x.posted().length > 0, 'the reply');
    expect(x.posted()[0]).toMatchObject({ threadTs: mentionTs });
    expect(x.posted().filter((m) => m.threadTs === undefined)).toEqual([]);
  });

  it('takes plain-text commands in a DM with the bot and answers in the DM', async () => {
    const x = await startHarness();
    h = x;
    x.standin.messageEvent({ user: NOBODY, channel: BOTS_DM, text: 'status' });
    await eventually(() => x.posted(BOTS_DM).length > 0, 'the reply in the DM');
    expect(x.store.auditBetween(0, Date.now() + 1)).toContainEqual(
      expect.objectContaining({ actor: NOBODY, transport: 'slack-dm', command: 'status', outcome: 'ok' }),
    );
    expect(x.standin.okCalls('chat.postEphemeral')).toEqual([]);
    x.standin.messageEvent({ user: NOBODY, channel: BOTS_DM, text: 'stop from my DM' });
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    expect(x.store.getState().halt).toMatchObject({ by: NOBODY, reason: 'from my DM' });
    await eventually(() => x.posted(BOTS_DM).some((m) => m.text.includes('Halted by')), 'the stop answered in the DM');
    expect(x.store.auditBetween(0, Date.now() + 1)).toContainEqual(
      expect.objectContaining({ actor: NOBODY, transport: 'slack-dm', command: 'stop', outcome: 'ok' }),
    );
  });

  it('ignores messages from bots (itself included), edits and channel messages that are not mentions', async () => {
    const x = await startHarness();
    h = x;
    const ignored = [
      x.standin.messageEvent({ channel: BOTS_DM, text: 'stop', extra: { bot_id: 'B0OTHER', subtype: 'bot_message' } }),
      x.standin.messageEvent({ user: 'U0OTHERBOT', channel: BOTS_DM, text: 'stop', extra: { bot_id: 'B0OTHER' } }),
      x.standin.messageEvent({ user: x.standin.botUserId, channel: BOTS_DM, text: 'stop' }),
      x.standin.messageEvent({
        channel: BOTS_DM,
        text: '',
        extra: { subtype: 'message_changed', message: { user: NOBODY, text: 'stop', ts: '1.1' } },
      }),
      x.standin.messageEvent({ user: NOBODY, channel: ELSEWHERE, text: 'stop', channelType: 'channel' }),
      x.standin.mention({
        user: 'U0OTHERBOT',
        channel: CHANNEL,
        text: `<@${x.standin.botUserId}> stop`,
        extra: { bot_id: 'B0OTHER' },
      }),
      x.standin.mention({
        user: NOBODY,
        channel: CHANNEL,
        text: `<@${x.standin.botUserId}> stop`,
        extra: { edited: { user: NOBODY, ts: '1.2' } },
      }),
    ];
    // Then a person's DM: once it is answered, every event before it was handled.
    x.standin.messageEvent({ user: NOBODY, channel: BOTS_DM, text: 'hosts' });
    await eventually(() => x.posted(BOTS_DM).length > 0, 'the person’s answer');
    await eventually(() => ignored.every((e) => x.standin.acks.has(e)), 'every event acknowledged');
    expect(x.store.getState().halt).toBeNull();
    expect(x.posted(BOTS_DM)).toHaveLength(1);
    expect(x.store.auditBetween(0, Date.now() + 1).map((a) => a.command)).toEqual(['hosts']);
  });

  it('says it started, once, in its channel: version, dry run or live', async () => {
    const x = await startHarness();
    h = x;
    await x.transport.start();
    await x.transport.start();
    await eventually(() => x.posted().length > 0, 'the start-up notice');
    const notice = x.posted()[0]!.text;
    expect(notice).toMatch(/^ChaosCat \d+\.\d+\.\d+ started on \S+ \(pid \d+\) — dry run: hosts are never touched\.$/);
    expect(x.posted()).toHaveLength(1);
  });
});

describe('App Home', () => {
  it('shows the status with a Stop button; pressing it halts, and the home shows the halt', async () => {
    const x = await startHarness();
    h = x;
    const envelope = x.standin.homeOpened(NOBODY);
    await eventually(() => x.standin.homes.has(NOBODY), 'the App Home');
    expect(x.standin.acks.has(envelope)).toBe(true);
    const view = JSON.stringify(x.standin.homes.get(NOBODY));
    expect(view).toContain('*Running*');
    expect(view).toContain('*In flight:* nothing');
    expect(view).toContain('*Next attack:*');
    expect(view).toContain('*Latest attacks:* none yet');
    // The kill switch first, right under the header.
    expect(x.standin.homes.get(NOBODY)?.blocks?.[1]).toMatchObject({ type: 'actions', block_id: 'chaoscat_home_stop' });
    const button = stopButton(x.standin.homes.get(NOBODY)?.blocks);
    expect(button).toMatchObject({ style: 'danger', action_id: 'chaoscat_stop', value: 'home' });
    expect(button?.confirm).toBeDefined();

    x.standin.pressHomeButton({ user: NOBODY, actionId: 'chaoscat_stop', value: 'home' });
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    expect(x.store.getState().halt).toMatchObject({ by: NOBODY, reason: 'Stop button' });
    await eventually(() => JSON.stringify(x.standin.homes.get(NOBODY)).includes('*Halted*'), 'the home to show the halt');
    await eventually(() => x.posted().some((m) => m.text.startsWith(`Halted by <@${NOBODY}>`)), 'the halt announced');
    expect(x.store.auditBetween(0, Date.now() + 1)).toContainEqual(
      expect.objectContaining({ actor: NOBODY, transport: 'slack-home', command: 'stop', outcome: 'ok' }),
    );
  });

  it('is published again for its viewers when an attack starts and ends, with its verdict', async () => {
    const x = await startHarness();
    h = x;
    x.standin.homeOpened(ADMIN);
    await eventually(() => x.standin.homes.has(ADMIN), 'the App Home');
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> run-once cpu-burn web-1` });
    await eventually(() => JSON.stringify(x.standin.homes.get(ADMIN)).includes('#1 cpu-burn on web-1'), 'the attack shown');
    // The attack in flight has its own Stop button beside it.
    const flight = (x.standin.homes.get(ADMIN)?.blocks ?? []).find((b) => JSON.stringify(b).includes('*In flight:* #1'));
    expect(flight).toMatchObject({ type: 'section', accessory: { action_id: 'chaoscat_stop', style: 'danger' } });
    await eventually(() => JSON.stringify(x.standin.homes.get(ADMIN)).includes('verdict: held'), 'the verdict shown');
  });
});
