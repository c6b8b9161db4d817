import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleText } from '../../../src/adapters/console/console-transport.js';
import { sqliteJournal } from '../../../src/adapters/sqlite/journal-query.js';
import { SqlitePeople } from '../../../src/adapters/sqlite/people.js';
import { createScrubber } from '../../../src/adapters/web/scrub.js';
import { exportJournal } from '../../../src/app/reports/export.js';
import { eventually } from '../../support/eventually.js';
import { ADMIN, CHANNEL, NOBODY, type SlackHarness, startHarness } from './slack-harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

describe('people by their names, not their ids', () => {
  it('learns the name of whoever talks to the bot (users.info, once a day), and the console, the archive and exports show it', async () => {
    const x = await startHarness();
    h = x;
    x.standin.users.set(ADMIN, { name: 'alice' });
    const people = new SqlitePeople(x.store.handle);
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> run-once cpu-burn` });
    await eventually(() => people.nameOf(ADMIN) === 'alice', 'the name kept');
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> status` });
    await eventually(
      () => x.standin.calls.filter((c) => c.method === 'chat.postEphemeral' || c.method === 'chat.postMessage').length >= 2,
      'both answers',
    );
    expect(x.standin.callsTo('users.info').filter((c) => c.args.user === ADMIN)).toHaveLength(1);

    expect(consoleText(`Halted by <@${ADMIN}> and <@${NOBODY}>`, people.nameOf)).toBe(`Halted by @alice and @${NOBODY}`);
    expect(createScrubber([], {}, people.nameOf)(`stopped by <@${ADMIN}>: deploy`)).toBe('stopped by @alice: deploy');

    let out = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        out += String(chunk);
        done();
      },
    });
    await eventually(() => x.store.history({ limit: 1 }).length > 0, 'the attack recorded');
    await exportJournal(sqliteJournal(x.store), { since: 0, out: sink, nameOf: people.nameOf });
    expect(JSON.parse(out.split('\n')[0] ?? '{}')).toMatchObject({
      trigger: { kind: 'user', user: ADMIN },
      names: { [ADMIN]: 'alice' },
    });
  });

  it('keeps the id for someone Slack does not know, and never delays the command for the lookup', async () => {
    const x = await startHarness();
    h = x;
    x.standin.stall('users.info');
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> status` });
    await eventually(() => x.standin.callsTo('chat.postEphemeral').length > 0, 'the answer while users.info hangs');
    x.standin.unstall();
    expect(new SqlitePeople(x.store.handle).nameOf(NOBODY)).toBeUndefined();
    expect(consoleText(`<@${NOBODY}>`, new SqlitePeople(x.store.handle).nameOf)).toBe(`@${NOBODY}`);
  });
});
