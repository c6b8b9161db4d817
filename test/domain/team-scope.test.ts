import { describe, expect, it } from 'vitest';
import { teamScope } from '../../src/domain/team-scope.js';

const TEAMS = ['payments', 'search'];

describe('teamScope: which team a command is for', () => {
  it.each([
    // text, channel's team, expected
    ['status payments', undefined, { kind: 'team', team: 'payments', text: 'status' }],
    ['run-once payments cpu-burn pay-1', undefined, { kind: 'team', team: 'payments', text: 'run-once cpu-burn pay-1' }],
    ['@chaoscat history search 5', undefined, { kind: 'team', team: 'search', text: 'history 5' }],
    // A stop's reason keeps every word.
    ['stop search db is on fire', undefined, { kind: 'team', team: 'search', text: 'stop search db is on fire' }],
    ['halt payments', undefined, { kind: 'team', team: 'payments', text: 'halt payments' }],
    // A stop however formatted: its team is still the word after it, and outside a team channel it has none.
    ['*Stop!* payments', undefined, { kind: 'team', team: 'payments', text: '*Stop!* payments' }],
    [
      ':octagonal_sign: `stop` search now',
      undefined,
      { kind: 'team', team: 'search', text: ':octagonal_sign: `stop` search now' },
    ],
    ['`STOP!!!`', undefined, { kind: 'none', text: '`STOP!!!`' }],
    ['`stop all`', 'payments', { kind: 'all', text: 'stop' }],
    ['stop all the things', undefined, { kind: 'all', text: 'stop all the things' }],
    ['status', 'payments', { kind: 'team', team: 'payments', text: 'status' }],
    // A team named wins over the channel's.
    ['status search', 'payments', { kind: 'team', team: 'search', text: 'status' }],
    ['stop all', 'payments', { kind: 'all', text: 'stop' }],
    ['start ALL', undefined, { kind: 'all', text: 'start' }],
    ['stop', undefined, { kind: 'none', text: 'stop' }],
    ['stop the checkout is down', undefined, { kind: 'none', text: 'stop the checkout is down' }],
    ['run-once cpu-burn', undefined, { kind: 'none', text: 'run-once cpu-burn' }],
    ['history #12', undefined, { kind: 'none', text: 'history #12' }],
    ['', undefined, { kind: 'none', text: '' }],
  ])('%j in %s → %j', (text, channelTeam, expected) => {
    expect(teamScope(text, TEAMS, channelTeam)).toEqual(expected);
  });

  it('takes the only team when there is one', () => {
    expect(teamScope('run-once cpu-burn', ['default'], undefined)).toEqual({
      kind: 'team',
      team: 'default',
      text: 'run-once cpu-burn',
    });
  });
});
