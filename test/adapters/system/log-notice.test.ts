import { describe, expect, it } from 'vitest';
import { NoticeBoard, noticeLine } from '../../../src/adapters/system/log-notice.js';

describe('console notices of log records', () => {
  it.each([
    [
      { level: 40, msg: 'report archive not started', err: { message: 'listen EADDRINUSE' } },
      '! warning: report archive not started: listen EADDRINUSE (details in x.log)',
    ],
    [{ level: 50, msg: 'command reply failed\nsecond line' }, '! error: command reply failed second line (details in x.log)'],
    [{ level: 40, msg: 'no hello', reason: 'timeout' }, '! warning: no hello: timeout (details in x.log)'],
  ])('one line for %j', (record, line) => {
    expect(noticeLine(JSON.stringify(record), 'x.log')).toBe(line);
  });

  it('keeps notices until the console can show them, then shows them in order', () => {
    const board = new NoticeBoard('x.log');
    board.push(JSON.stringify({ level: 40, msg: 'one' }));
    board.push('not json');
    const shown: string[] = [];
    board.attach((l) => shown.push(l));
    board.push(JSON.stringify({ level: 50, msg: 'two' }));
    expect(shown).toEqual(['! warning: one (details in x.log)', '! error: two (details in x.log)']);
  });
});

describe('a long record', () => {
  it('keeps its beginning and its end on one line', () => {
    const line = noticeLine(JSON.stringify({ level: 40, msg: `inventory a: ${'x'.repeat(1000)}; no hosts from it` }), 'x.log');
    expect(line).toMatch(/^! warning: inventory a: x+…x+; no hosts from it \(details in x\.log\)$/);
    expect(line?.length).toBeLessThan(340);
  });
});
