import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';

/** A check that answers `answers` in turn, then the last one again; counts how often it was asked. */
function scripted<T>(...answers: (T | Error)[]) {
  const check = () => {
    const answer = answers[Math.min(check.calls, answers.length - 1)];
    check.calls += 1;
    if (answer instanceof Error) throw answer;
    return answer as T;
  };
  check.calls = 0;
  return check;
}

describe('eventually', () => {
  it('asks again until the check holds, and resolves with what it found', async () => {
    const check = scripted<{ status: number } | undefined>(undefined, undefined, { status: 200 });
    expect(await eventually(check, 'the probe')).toEqual({ status: 200 });
    expect(check.calls).toBe(3);
  });

  it('waits for an async check, and counts only false, null and undefined as not yet', async () => {
    const answers = [false, null, 0];
    expect(await eventually(async () => answers.shift(), 'a zero')).toBe(0);
  });

  it('asks again after the check threw', async () => {
    const check = scripted<string>(new Error('ECONNREFUSED'), 'ready');
    expect(await eventually(check, 'the server')).toBe('ready');
  });

  it('says what it waited for when it times out', async () => {
    await expect(eventually(() => false, 'the attack to end', { timeoutMs: 0 })).rejects.toThrow(
      'timed out after 0 ms waiting for the attack to end',
    );
  });

  it('names the last error when the check threw, and keeps it as the cause', async () => {
    const last = new Error('still running: 4242');
    const check = scripted<boolean>(new Error('first'), last);
    const failure = eventually(check, 'the processes to end', { giveUp: () => (check.calls === 2 ? 'asked twice' : undefined) });
    await expect(failure).rejects.toThrow('waiting for the processes to end; the check last threw: still running: 4242');
    await expect(failure).rejects.toMatchObject({ cause: last });
  });

  it('gives up at once, with the reason, when giveUp names one', async () => {
    const check = scripted(false);
    const failure = eventually(check, 'the banner', { timeoutMs: 60_000, giveUp: () => 'the bot exited' });
    await expect(failure).rejects.toThrow('gave up (the bot exited) waiting for the banner');
    expect(check.calls).toBe(1);
  });
});
