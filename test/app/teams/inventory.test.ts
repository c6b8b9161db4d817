import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { InventoryDirectory } from '../../../src/app/teams/inventory.js';
import type { HostDef } from '../../../src/domain/model.js';
import type { InventorySource, SourceAnswer } from '../../../src/ports/inventory-source.js';
import { plainText } from '../../../src/words/tokens.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { audited, reverting } from '../../support/endings.js';
import { eventually } from '../../support/eventually.js';
import { FixedClock, ManualTimers, silentLogger } from '../../support/fakes.js';

const MINUTE = 60_000;

/** A source whose every `list` waits until the test answers it. */
class ScriptedSource implements InventorySource {
  readonly refreshMs = 5 * MINUTE;
  readonly timeoutMs = 10_000;
  calls = 0;
  private readonly waiting: Array<(a: SourceAnswer) => void> = [];
  aborted = 0;
  constructor(readonly id: string) {}
  list(signal: AbortSignal): Promise<SourceAnswer> {
    this.calls++;
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      signal.addEventListener('abort', () => {
        this.aborted++;
        this.waiting.splice(this.waiting.indexOf(resolve), 1);
        resolve({ ok: false, reason: 'aborted' });
      });
    });
  }
  get pending(): number {
    return this.waiting.length;
  }
  answer(hosts: HostDef[] | string, notes: string[] = []): void {
    const resolve = this.waiting.shift();
    if (!resolve) throw new Error(`no refresh of ${this.id} is waiting`);
    resolve(typeof hosts === 'string' ? { ok: false, reason: hosts } : { ok: true, hosts, notes });
  }
}

const inv = (name: string, address: string, tags: string[], source: string): HostDef => ({
  name,
  address,
  port: 22,
  tags,
  vars: {},
  source,
});

let h: Harness;
afterEach(() => h?.close());

/** The bot with one static host tagged `db` and the sources; the only attack targets `web`. */
function withSources(...sources: ScriptedSource[]): { h: Harness; directory: InventoryDirectory } {
  let directory: InventoryDirectory | undefined;
  h = harness(
    { hosts: [{ name: 'static-1', address: '127.0.0.1', tags: ['db'] }] },
    [{ name: 'cpu-burn', weight: 1, targets: ['web'] }],
    {
      hosts: (clock, timers) => {
        directory = new InventoryDirectory({ statics: h0(), sources, clock, timers, logger: silentLogger });
        return directory;
      },
    },
  );
  return { h, directory: directory as InventoryDirectory };
}
const h0 = (): HostDef[] => [{ name: 'static-1', address: '127.0.0.1', port: 22, tags: ['db'], vars: {} }];

describe('hosts from inventory sources', () => {
  it('a source that never answered gives no hosts: nothing is attacked from it, and status says why', async () => {
    const a = new ScriptedSource('ansible:/etc/ansible/hosts');
    const { h, directory } = withSources(a);
    const first = directory.start();
    a.answer('ansible-inventory failed (exit 1): Completely failed to parse inventory source /etc/ansible/hosts');
    await first;
    expect(directory.all().map((x) => x.name)).toEqual(['static-1']);
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'no-host' });
    const status = await say(h, 'status');
    expect(status.text).toContain(
      'ansible:/etc/ansible/hosts: never answered (ansible-inventory failed (exit 1): Completely failed to parse inventory source /etc/ansible/hosts); no hosts from it',
    );
  });

  it('inventory hosts are attacked like configured ones, and refresh runs in the background on its interval', async () => {
    const a = new ScriptedSource('ansible:inv');
    const { h, directory } = withSources(a);
    const first = directory.start();
    a.answer([inv('web-1', '10.0.0.1', ['web'], 'ansible:inv')]);
    await first;
    expect(await h.bot.tick()).toMatchObject({ kind: 'attacked', host: 'web-1' });
    expect(h.executor.runs[0]?.job.host.address).toBe('10.0.0.1');
    expect(a.calls).toBe(1);
    await h.timers.advance(5 * MINUTE);
    expect(a.calls).toBe(2);
  });

  it('a tick and a stop never wait for a refresh that hangs', async () => {
    const a = new ScriptedSource('prometheus:http://prom:9090');
    const { h, directory } = withSources(a);
    const first = directory.start();
    a.answer([inv('web-1', '10.0.0.1', ['web'], a.id)]);
    await first;
    await h.timers.advance(5 * MINUTE);
    expect(a.pending).toBe(1); // the second refresh hangs
    expect(await h.bot.tick()).toMatchObject({ kind: 'attacked', host: 'web-1' });
    await say(h, 'stop');
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'admin' });
    expect(reverting(h)).toEqual([['1']]);
    expect(a.pending).toBe(1);
  });

  it('a refresh that times out keeps the last good list, and says since when', async () => {
    const a = new ScriptedSource('prometheus:http://prom:9090');
    const { h, directory } = withSources(a);
    const first = directory.start();
    a.answer([inv('web-1', '10.0.0.1', ['web'], a.id)]);
    await first;
    await h.timers.advance(5 * MINUTE); // a refresh starts and hangs
    await h.timers.advance(10_000); // its timeout
    expect(a.aborted).toBe(1);
    expect(directory.all().map((x) => x.name)).toEqual(['static-1', 'web-1']);
    expect(directory.sources()[0]).toMatchObject({ okAt: Date.parse('2026-11-24T20:00:00Z'), failingSince: h.clock.now() });
    const status = await say(h, 'status');
    // Kept: status's own line about a failing source (since when, which list it keeps) is the behaviour under test.
    expect(plainText(status.text)).toContain(
      'prometheus:http://prom:9090: FAILING since 2026-11-24 12:05 PST (no answer within 10s); keeping its last good list of 1 host from 2026-11-24 12:00 PST',
    );
    // It answers again: the failure is over.
    await h.timers.advance(5 * MINUTE - 10_000);
    a.answer([inv('web-1', '10.0.0.1', ['web'], a.id)]);
    await eventually(() => directory.sources()[0]?.failingSince === null, 'the source to recover');
    expect(directory.sources()[0]).toMatchObject({ hosts: 1, okAt: h.clock.now(), failingSince: null });
  });

  it('a host gone from the inventory is not picked any more; an attack in flight on it runs to its end', async () => {
    const a = new ScriptedSource('ansible:inv');
    const { h, directory } = withSources(a);
    const first = directory.start();
    a.answer([inv('web-1', '10.0.0.1', ['web'], 'ansible:inv')]);
    await first;
    expect(await h.bot.tick()).toMatchObject({ kind: 'attacked', host: 'web-1' });
    await h.timers.advance(5 * MINUTE);
    a.answer([]);
    await eventually(() => directory.all().length === 1, 'web-1 to leave');
    expect(h.executor.runs[0]?.aborted).toBeNull();
    h.executor.runs[0]?.finish();
    await eventually(() => h.bot.context.runner.inFlightCount === 0, 'the attack to finish');
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({ host: 'web-1', state: 'completed' });
    h.clock.advance(10 * MINUTE);
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'no-host' });
    await say(h, 'run-once cpu-burn web-1');
    expect(audited(h, 'run-once')).toEqual(['invalid']);
    expect(h.executor.runs).toHaveLength(1);
    // Its history is still there to ask for.
    const history = await say(h, 'history host web-1');
    expect(history.tables?.[0]?.rows.map((r) => [r[0], r[3]])).toEqual([['1', 'web-1']]);
  });

  it('hosts shows each host with its source, and each source with its age; a conflict is shown and the host skipped', async () => {
    const a = new ScriptedSource('ansible:inv');
    const p = new ScriptedSource('prometheus:http://prom:9090');
    const { h, directory } = withSources(a, p);
    const first = directory.start();
    a.answer([inv('web-1', '10.0.0.1', ['web'], a.id), inv('web-2', '10.0.0.2', ['web'], a.id)]);
    p.answer([inv('web-2', '10.0.0.9', ['node'], p.id)]);
    await first;
    h.clock.advance(3 * MINUTE);
    const reply = await say(h, 'hosts');
    expect(reply.text.split('\n')).toEqual([
      '2 hosts:',
      '*Sources:*',
      'ansible:inv: 2 hosts, refreshed 3m ago',
      '  - host web-2: conflict, skipped until resolved: 10.0.0.2:22 from ansible:inv vs 10.0.0.9:22 from prometheus:http://prom:9090',
      'prometheus:http://prom:9090: 1 host, refreshed 3m ago',
      '  - host web-2: conflict, skipped until resolved: 10.0.0.2:22 from ansible:inv vs 10.0.0.9:22 from prometheus:http://prom:9090',
      // How many of these hosts each attack may hit (web-2 is skipped: its sources disagree).
      '*Attacks:*',
      'cpu-burn: may hit 1 host, 1 per run',
    ]);
    expect(reply.tables?.[0]?.rows).toEqual([
      ['static-1', '127.0.0.1:22', 'db', 'config'],
      ['web-1', '10.0.0.1:22', 'web', 'ansible:inv'],
    ]);
  });

  it('stop() ends the refreshes: the one under way is aborted and no timer remains', async () => {
    const a = new ScriptedSource('ansible:inv');
    const { h, directory } = withSources(a);
    void directory.start();
    directory.stop();
    expect(a.aborted).toBe(1);
    await h.timers.advance(60 * MINUTE);
    expect(a.calls).toBe(1);
  });

  it('the log says when a source fails, since when, and how many hosts of its last good list are kept', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const clock = new FixedClock(Date.parse('2026-11-24T20:00:00Z'));
    const timers = new ManualTimers(clock);
    const a = new ScriptedSource('ansible:inv');
    const directory = new InventoryDirectory({ statics: [], sources: [a], clock, timers, logger });
    const first = directory.start();
    a.answer('connection refused');
    await first;
    expect(lines.at(-1)).toMatchObject({
      level: 40,
      source: 'ansible:inv',
      reason: 'connection refused',
      failingSince: '2026-11-24T20:00:00.000Z',
      lastGood: null,
      kept: 0,
      msg: 'inventory source has never answered: no hosts from it',
    });
    await timers.advance(5 * MINUTE);
    a.answer([inv('web-1', '10.0.0.1', ['web'], a.id)]);
    await eventually(() => directory.all().length === 1, 'the first good list');
    expect(lines.at(-1)).toMatchObject({ level: 30, source: 'ansible:inv', hosts: 1, msg: 'inventory source answers again' });
    await timers.advance(5 * MINUTE);
    a.answer('timed out');
    await eventually(() => directory.sources()[0]?.error === 'timed out', 'the failure');
    expect(lines.at(-1)).toMatchObject({
      level: 40,
      failingSince: '2026-11-24T20:10:00.000Z',
      lastGood: '2026-11-24T20:05:00.000Z',
      kept: 1,
      msg: 'inventory source fails: its last good list is kept',
    });
    directory.stop();
  });
});
