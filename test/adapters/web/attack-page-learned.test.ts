import { describe, expect, it } from 'vitest';
import { attackPage } from '../../../src/adapters/web/attack-page.js';
import { pendingRecord } from '../../../src/domain/model.js';
import type { AttackView } from '../../../src/ports/archive.js';
import { detectionText } from '../../../src/words/detection.js';
import { plainText } from '../../../src/words/tokens.js';

const AT = Date.parse('2026-12-04T13:00:00Z');
const record = {
  ...pendingRecord('42', {
    attack: 'process-kill',
    host: 'web-1',
    trigger: { kind: 'schedule' },
    dryRun: false,
    createdAt: AT,
    deadlineAt: AT + 90_000,
    durationMs: 60_000,
  }),
  state: 'completed' as const,
  startedAt: AT,
  endedAt: AT + 60_000,
  verdict: 'recovered' as const,
  detection: { kind: 'not-detected' as const },
};

function page(over: Partial<AttackView>): string {
  return attackPage(
    { record, samples: [], audit: [], params: null, hosts: [record], answers: [], evidence: [], timezone: 'UTC', ...over },
    (t) => plainText(t),
  );
}

describe("the archive's attack page: what we learned", () => {
  it('lists each answer as a sentence, escaping what people typed, and names a monitoring gap', () => {
    const html = page({
      answers: [
        { attackId: '42', by: 'U0ONCALL', at: AT + 120_000, paged: 'no', runbook: 'partly', note: '<script>alert(1)</script>' },
      ],
    });
    expect(html).toContain(
      '<li><strong>@U0ONCALL</strong> (2026-12-04 13:02): NOT paged; the runbook covered it partly; note: &lt;script&gt;alert(1)&lt;/script&gt;</li>',
    );
    expect(html).not.toContain('<script>');
    // The gap named, with the detection as the words tell it.
    expect(html).toContain(`MONITORING GAP: ${detectionText({ kind: 'not-detected' })}`);
  });

  it('says when nobody has answered yet, and how to', () => {
    expect(page({})).toContain('Nobody has answered yet');
  });
});
