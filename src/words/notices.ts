/** The channel's notices (ports/chat.ts Notice) in words. */
import { formatDuration } from '../domain/duration.js';
import type { Notice } from '../ports/chat.js';
import { plural } from './common.js';
import { gameDaySkipText, whenText } from './game-day.js';
import { checkedText } from './host-ends.js';
import { when } from './tokens.js';

export function noticeWords(n: Notice, timezone: string): string {
  switch (n.kind) {
    case 'deaf-reverted':
      return (
        `ChaosCat could not hear \`stop\` from ${when(n.from, timezone, 'HH:mm:ss')} to ${when(n.to, timezone, 'HH:mm:ss')} ` +
        `(${n.why}), longer than schedule.deafTimeout (${formatDuration(n.timeoutMs)}), ` +
        `so it told the host to revert ${n.attacks.map((a) => `#${a.id} ${a.attack} on ${a.host}`).join(', ')}; each result is in its thread.`
      );
    case 'end-checked': {
      const r = n.record;
      return `#${r.id} ${r.attack} on ${r.host} (its end was not confirmed): ${checkedText(n.result, n.at, timezone).replace(/\.?$/, '.')}`;
    }
    case 'game-day-unrecorded':
      return `Game day ${n.name} (${whenText(n.at, timezone)}): its notice cannot be recorded (${n.error}); trying again within the hour. Unapproved, it does not start.`;
    case 'game-day-skipped':
      return `Game day ${n.name} (${whenText(n.at, timezone)}) skipped: ${gameDaySkipText(n.skip, timezone)}.`;
    case 'live-check': {
      const list = n.problems.map((p) => `${p.what}: ${p.detail}`).join('; ');
      return `Live check at start: ${plural(n.problems.length, 'problem')} — ${list}. The bot runs on; an attack that needs what is broken is refused before it starts. \`chaoscat check-config --live\` shows how to fix each.`;
    }
    case 'database-lost':
      return `Halted: ${n.reason}.`;
    case 'transport':
      return n.text;
  }
}
