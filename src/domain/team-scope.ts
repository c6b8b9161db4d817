import { normalize } from './command-parser.js';
import { readStop } from './kill-switch.js';

/**
 * Which team a command is for. A team named right after the command word wins (`status payments`,
 * `run-once payments cpu-burn web-1`), then `all`, then the team whose channel it was said in, then
 * the only team there is. Otherwise the command has no team (`none`): stop halts every team, status
 * lists them, start and run-once ask which one. `text` is the command without the team word (a
 * stop keeps it: it is part of the reason). Pure.
 */
export type TeamScope =
  | { readonly kind: 'team'; readonly team: string; readonly text: string }
  | { readonly kind: 'all'; readonly text: string }
  | { readonly kind: 'none'; readonly text: string };

export function teamScope(raw: string, teams: readonly string[], channelTeam: string | undefined): TeamScope {
  const text = normalize(raw);
  // A stop however formatted (`*Stop!* payments`): its team is the first word of its reason.
  const stop = readStop(text);
  const [first, second, ...rest] = stop ? ['stop', ...stop.reason.split(' ').filter((w) => w !== '')] : text.split(' ');
  const named = second?.toLowerCase().replace(/^["'`]+|["'`]+$/g, '');
  // A stop keeps its whole reason: "stop payments are failing" halts payments, and says why in full.
  const isStop = stop !== undefined;
  const without = isStop ? text : [first, ...rest].join(' ');
  if (first !== undefined && named !== undefined) {
    if (teams.includes(named)) return { kind: 'team', team: named, text: without };
    if (named === 'all') return { kind: 'all', text: isStop && rest.length === 0 ? 'stop' : without };
  }
  if (channelTeam !== undefined) return { kind: 'team', team: channelTeam, text };
  if (teams.length === 1 && teams[0] !== undefined) return { kind: 'team', team: teams[0], text };
  return { kind: 'none', text };
}
