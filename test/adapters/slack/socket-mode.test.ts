import { afterEach, describe, expect, it } from 'vitest';
import { attackMessage } from '../../../src/adapters/slack/blocks.js';
import { blockTypes, fieldValue } from '../../support/block-shapes.js';
import { eventually } from '../../support/eventually.js';
import { STANDIN_APP_TOKEN, STANDIN_BOT_TOKEN } from '../../support/slack-standin.js';
import {
  ADMIN,
  CHANNEL,
  ELSEWHERE,
  GROUP,
  GROUP_MEMBER,
  NOBODY,
  OPS_CHANNEL,
  type SlackHarness,
  startHarness,
  stopButton,
} from './slack-harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

const audit = (x: SlackHarness) => x.store.auditBetween(0, Date.now() + 1);

describe('Slack transport in Socket Mode (real Bolt against the stand-in)', () => {
  it('reaches every Slack endpoint through SLACK_API_URL and hears once Slack says hello', async () => {
    h = await startHarness();
    expect(h.standin.okCalls('auth.test')[0]?.token).toBe(STANDIN_BOT_TOKEN);
    expect(h.standin.okCalls('apps.connections.open')[0]?.token).toBe(STANDIN_APP_TOKEN);
    expect(h.standin.openSockets).toBe(1);
    expect(h.transport.mode).toBe('socket');
    expect(h.transport.hearing()).toEqual({ ok: true });
  });

  it('a mention run-once from an admin announces the attack with a Stop button and reports in its thread', async () => {
    const x = await startHarness();
    h = x;
    const envelope = x.standin.mention({
      user: ADMIN,
      channel: CHANNEL,
      text: `<@${x.standin.botUserId}> run-once cpu-burn web-1`,
    });
    await eventually(() => x.standin.acks.has(envelope), 'the event to be acknowledged');
    await eventually(() => x.top('1') !== undefined, 'the announcement');
    const top = x.top('1')!;
    expect(x.store.getAttack('1')).toMatchObject({ attack: 'cpu-burn', host: 'web-1', dryRun: true });
    expect(top.text).toContain(`<@${ADMIN}>`);
    const button = stopButton(top.blocks);
    expect(button).toMatchObject({ style: 'danger', value: '1', action_id: 'chaoscat_stop' });
    expect(button?.confirm).toMatchObject({ confirm: { text: 'Stop' }, deny: { text: 'Cancel' } });
    expect(fieldValue(top.blocks, 'Mode')).toBe('dry run');

    // The reply to a mention goes in the mention's thread.
    await eventually(() => x.posted().some((m) => m.threadTs !== undefined && m.text.startsWith('Started #1')), 'the reply');
    await eventually(() => x.thread(top.ts).some((m) => m.text.includes('completed')), 'the result in the thread');
    await eventually(() => x.thread(top.ts).some((m) => m.text.includes('verdict')), 'the verdict in the thread');
    const thread = x.thread(top.ts).map((m) => m.text);
    expect(thread[0]).toBe('dry run: nothing touched');
    expect(thread).toContainEqual(
      expect.stringMatching(/^#1 cpu-burn on web-1 \(dry run\) completed \(took \d+s, rollback ok\)$/),
    );
    expect(thread.at(-1)).toMatch(
      /^#1 cpu-burn on web-1 \(dry run\): verdict: held — no probe failed \(the probes ran; nothing was attacked\)\.$/,
    );
    await eventually(() => (x.top('1')?.updates ?? 0) > 0, 'the final update');
    expect(stopButton(x.top('1')?.blocks)).toBeUndefined();
    expect(x.store.getAttack('1')).toMatchObject({ state: 'completed', trigger: { kind: 'user', user: ADMIN } });
    // The final update is the final record's announcement, as the blocks render it.
    const final = attackMessage(x.store.getAttack('1')!, null, x.config.timezone);
    expect(x.top('1')?.text).toBe(final.text);
    expect(blockTypes(x.top('1')?.blocks)).toEqual(blockTypes(final.blocks));
    expect(audit(x)).toContainEqual(
      expect.objectContaining({ actor: ADMIN, transport: 'slack-mention', command: 'run-once', outcome: 'ok' }),
    );
  });

  it('a slash command reaches the use cases; `status here` answers in the channel through response_url, saying who asked', async () => {
    const x = await startHarness();
    h = x;
    const envelope = x.standin.slashCommand({ user: NOBODY, channel: OPS_CHANNEL, text: 'status here' });
    const command = x.standin.lastCommand!;
    await eventually(() => x.standin.acks.has(envelope), 'the command to be acknowledged');
    await eventually(() => x.standin.responsesTo({ response_url: command.response_url! }).length > 0, 'the reply');
    const reply = x.standin.responsesTo({ response_url: command.response_url! })[0]!.body;
    expect(reply.response_type).toBe('in_channel');
    expect(reply.text).toContain(`<@${NOBODY}> used \`/chaoscat\``);
    expect(reply.text).toContain('*Running* — dry run');
    expect(x.posted(OPS_CHANNEL)).toEqual([]);
    expect(audit(x)).toContainEqual(
      expect.objectContaining({ actor: NOBODY, transport: 'slack-command', command: 'status', outcome: 'ok' }),
    );
  });

  it('a member of an admin user group may run-once', async () => {
    const x = await startHarness();
    h = x;
    x.standin.slashCommand({ user: GROUP_MEMBER, channel: CHANNEL, text: 'run-once cpu-burn web-2' });
    await eventually(() => x.top('1') !== undefined, 'the announcement');
    expect(x.standin.okCalls('usergroups.users.list')[0]?.args).toMatchObject({ usergroup: 'S0ONCALL' });
    expect(x.store.getAttack('1')).toMatchObject({ host: 'web-2', trigger: { kind: 'user', user: GROUP_MEMBER } });
  });

  it('the Stop button halts, reverts the attack, and says so in the thread and the channel', async () => {
    const x = await startHarness();
    h = x;
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> run-once cpu-burn web-1` });
    await eventually(() => x.top('1') !== undefined && x.store.getAttack('1')?.state === 'running', 'the attack to run');
    const top = x.top('1')!;
    const envelope = x.standin.pressButton({
      user: NOBODY,
      channel: CHANNEL,
      messageTs: top.ts,
      actionId: 'chaoscat_stop',
      value: stopButton(top.blocks)?.value ?? '',
    });
    await eventually(() => x.standin.acks.has(envelope), 'the button to be acknowledged');
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    expect(x.store.getState().halt).toMatchObject({ by: NOBODY, reason: 'Stop button' });
    await eventually(() => x.store.getAttack('1')?.state === 'reverted', 'the revert');
    await eventually(
      () => x.posted().some((m) => m.threadTs === undefined && m.text.startsWith(`Halted by <@${NOBODY}>`)),
      'the halt announced in the channel',
    );
    await eventually(() => x.thread(top.ts).some((m) => m.text.includes(`Halted by <@${NOBODY}>: Stop button`)), 'the reply');
    await eventually(() => stopButton(x.top('1')?.blocks) === undefined, 'the button to go');
    await eventually(() => x.store.getAttack('1')?.ending?.kind === 'stopped', 'the ending stored');
    expect(x.store.getAttack('1')?.ending).toMatchObject({ kind: 'stopped', by: NOBODY, revert: 'reverted' });
    expect(x.top('1')?.text).toBe(attackMessage(x.store.getAttack('1')!, null, x.config.timezone).text);
    expect(audit(x)).toContainEqual(
      expect.objectContaining({ actor: NOBODY, transport: 'slack-button', command: 'stop', outcome: 'ok' }),
    );
  });

  it('refuses a run-once from a non-admin with an ephemeral reply naming the admins, and audits it', async () => {
    const x = await startHarness();
    h = x;
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> run-once cpu-burn web-1` });
    await eventually(() => x.standin.okCalls('chat.postEphemeral').length > 0, 'the refusal');
    const refusal = x.standin.okCalls('chat.postEphemeral')[0]!.args;
    expect(refusal).toMatchObject({ channel: CHANNEL, user: NOBODY });
    // Naming the admins as the authorizer describes them: every admin and admin group configured.
    const admins = x.transport.describeAdmins();
    expect(admins).toContain(`<@${ADMIN}>`);
    expect(admins).toContain(`<!subteam^${GROUP}>`);
    expect(refusal.text).toContain(admins);
    expect(audit(x)).toContainEqual(
      expect.objectContaining({ actor: NOBODY, transport: 'slack-mention', command: 'run-once', outcome: 'refused' }),
    );
    expect(x.store.history({ limit: 5 })).toEqual([]);
    expect(x.posted()).toEqual([]);
  });

  it('answers in the thread a command came from', async () => {
    const x = await startHarness();
    h = x;
    const threadTs = '1699999999.000001';
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> hosts`, threadTs });
    await eventually(() => x.posted().length > 0, 'the reply');
    expect(x.posted()[0]).toMatchObject({ threadTs });
    // The hosts as Slack's table block, not a code block.
    const table = x.posted()[0]?.blocks?.find((b) => (b as { type?: string }).type === 'table') as
      | { rows: { text?: string }[][] }
      | undefined;
    expect(table?.rows.slice(1).map((r) => r[0]?.text)).toEqual(x.config.hosts.map((host) => host.name));
    expect(JSON.stringify(x.posted()[0]?.blocks)).not.toContain('```');
  });

  it('takes commands only in its channels, with a short ephemeral note elsewhere', async () => {
    const x = await startHarness();
    h = x;
    x.standin.mention({ user: ADMIN, channel: ELSEWHERE, text: `<@${x.standin.botUserId}> run-once` });
    await eventually(() => x.standin.okCalls('chat.postEphemeral').length > 0, 'the note');
    expect(x.standin.okCalls('chat.postEphemeral')[0]?.args).toMatchObject({
      channel: ELSEWHERE,
      user: ADMIN,
      text: 'I only take commands in <#C0CHAOS>, <#C0OPS> and in a direct message (`stop` works anywhere).',
    });
    const envelope = x.standin.slashCommand({ user: ADMIN, channel: ELSEWHERE, text: 'status' });
    await eventually(() => x.standin.acks.has(envelope), 'the ack');
    expect(x.standin.acks.get(envelope)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('<#C0CHAOS>'),
    });
    expect(audit(x)).toEqual([]);
    expect(x.store.history({ limit: 5 })).toEqual([]);
  });

  it('hears stop in any channel: the kill switch is never refused', async () => {
    const x = await startHarness();
    h = x;
    x.standin.mention({ user: NOBODY, channel: ELSEWHERE, text: `<@${x.standin.botUserId}> stop db looks sad &amp; slow` });
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    expect(x.store.getState().halt).toMatchObject({ by: NOBODY, reason: 'db looks sad & slow' });
    await eventually(() => x.posted(ELSEWHERE).length > 0, 'the reply where it was asked');
  });

  it('announces a resume by an admin, notices and shutdowns in the channel', async () => {
    const x = await startHarness();
    h = x;
    const say = (user: string, text: string) =>
      x.standin.mention({ user, channel: CHANNEL, text: `<@${x.standin.botUserId}> ${text}` });
    say(NOBODY, 'stop');
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    say(NOBODY, 'start');
    await eventually(() => x.standin.okCalls('chat.postEphemeral').length > 0, 'the refusal');
    expect(x.store.getState().halt).not.toBeNull();
    say(ADMIN, 'start');
    await eventually(() => x.store.getState().halt === null, 'the resume');
    await eventually(() => x.posted().some((m) => m.text.startsWith(`Resumed by <@${ADMIN}> at `)), 'the announcement');
    await x.transport.announce({ kind: 'notice', notice: { kind: 'transport', text: 'Maintenance at 5 <!channel> & co' } });
    await x.transport.announce({ kind: 'shutdown', aborted: [] });
    await eventually(() => x.posted().some((m) => m.text.startsWith('ChaosCat is shutting down')), 'the shutdown');
    expect(x.posted().map((m) => m.text)).toContain('Maintenance at 5 &lt;!channel&gt; &amp; co');
  });
});
