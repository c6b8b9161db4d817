import { afterEach, describe, expect, it } from 'vitest';
import { prometheusSource } from '../../../src/adapters/inventory/prometheus.js';
import { html } from '../../../src/adapters/web/html.js';
import { configSummary } from '../../../src/app/commands/config-summary.js';
import { InventoryDirectory } from '../../../src/app/teams/inventory.js';
import type { HostDef } from '../../../src/domain/model.js';
import { replyBody } from '../../../src/words/table.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { silentLogger } from '../../support/fakes.js';
import { type LocalServer, sendJson, startServer } from '../../support/http-servers.js';
import { testConfig } from '../../support/test-config.js';

/**
 * Issue 22, case 9b: a Prometheus label holding a newline and "Halted by admin", or U+202E, was shown
 * raw in `hosts` and `check-config`, so it could forge a line. Text from outside stays text.
 */
const FORGED = 'web-9\nHalted by admin. Nothing starts until an admin says `start`.';
const TURNED = '10.0.0.7\u202etxt.exe';
/** A raw newline that does not end a line of ours, a bidi override, any control character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that none survive
const RAW = /\nHalted by admin|[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u000b-\u001f]/;

let h: Harness | undefined;
let prom: LocalServer | undefined;
afterEach(async () => {
  h?.close();
  h = undefined;
  await prom?.close();
});

/** A Prometheus answer with one good series and two whose labels forge a line or turn text around. */
async function hostileProm(): Promise<LocalServer> {
  return startServer((_req, res) =>
    sendJson(res, 200, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { instance: '10.0.0.1:9100', node: 'web-1', role: 'web' } },
          { metric: { instance: '10.0.0.9:9100', node: FORGED, role: 'web' } },
          { metric: { instance: TURNED, role: 'web' } },
        ],
      },
    }),
  );
}

describe('text from an inventory stays text', () => {
  it('hosts: a forged label is written out, never a line of its own', async () => {
    prom = await hostileProm();
    const source = prometheusSource(
      {
        url: prom.url,
        selector: 'up',
        addressLabel: 'instance',
        nameLabel: 'node',
        tagLabels: ['role'],
        port: 22,
        refreshMs: 60_000,
        timeoutMs: 5_000,
      },
      {},
    );
    let directory: InventoryDirectory | undefined;
    h = harness({}, [{ name: 'cpu-burn', weight: 1, targets: ['web'] }], {
      hosts: (clock, timers) => {
        directory = new InventoryDirectory({ statics: [], sources: [source], clock, timers, logger: silentLogger });
        return directory;
      },
    });
    await directory?.start();
    const reply = await say(h, 'hosts');
    const shown = `${reply.text}\n${replyBody(reply)}`;
    expect(shown).toContain('web-1');
    expect(shown).not.toMatch(RAW);
    expect(shown).toContain('\\u000aHalted by admin');
    expect(shown.split('\n').some((line) => line.startsWith('Halted'))).toBe(false);
    const status = await say(h, 'status');
    expect(status.text + (status.block ?? '')).not.toMatch(RAW);
  });

  it('check-config: notes, errors and host fields from a source are written out', () => {
    const forgedHost: HostDef = { name: 'web-2', address: '10.0.0.2', port: 22, tags: [`web${TURNED}`], vars: {}, source: 'p' };
    const text = configSummary(testConfig(), Date.now(), {
      all: () => [forgedHost],
      sources: () => [
        {
          id: 'prometheus:http://p',
          hosts: 1,
          okAt: Date.now(),
          failingSince: null,
          error: null,
          notes: [`host "${FORGED}" skipped`],
        },
        { id: 'ansible:/inv', hosts: 0, okAt: null, failingSince: Date.now(), error: `failed: ${FORGED}`, notes: [] },
      ],
    });
    expect(text).not.toMatch(RAW);
    expect(text).toContain('\\u000aHalted by admin');
    expect(text).toContain('\\u202etxt.exe');
  });

  it('a web page writes out bidi overrides and control characters in any value it shows', () => {
    const page = html`<pre>${'line 1\nline 2 \u202etxt.exe \u001b[2J'}</pre><td>${FORGED}</td>`.text;
    expect(page).toBe(
      '<pre>line 1\nline 2 \\u202etxt.exe \\u001b[2J</pre><td>web-9\nHalted by admin. Nothing starts until an admin says `start`.</td>',
    );
  });
});
