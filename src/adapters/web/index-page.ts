import { DateTime } from 'luxon';
import type { DayCard } from '../../domain/day-card.js';
import type { IndexView } from '../../ports/archive.js';
import { plural } from '../../words/common.js';
import { type Html, hrefWith, html, layout } from './html.js';

const TONE_LABEL = { red: 'needs a look', amber: 'have a look', plain: 'quiet', grey: 'bot not running' } as const;

function countsLine(c: DayCard): string {
  const n = c.counts;
  if (n.total === 0) return c.tone === 'grey' ? 'no ticks, no attacks' : 'no attacks';
  const dry = n.dryRuns ? ` (${n.dryRuns === n.total ? 'all' : n.dryRuns} dry run)` : '';
  return `${plural(n.total, 'attack')}${dry}`;
}

function verdictLine(c: DayCard): string {
  const n = c.counts;
  if (n.held + n.recovered + n.notRecovered + n.unknown === 0) return '';
  const parts = [`${n.held} held`, `${n.recovered} recovered`, `${n.notRecovered} not recovered`];
  if (n.unknown) parts.push(`${n.unknown} unknown`);
  return `verdicts: ${parts.join(', ')}`;
}

function haltLine(c: DayCard): string {
  if (c.stops) return `halts: ${c.stops}`;
  return c.haltedTicks ? `halted ${c.haltedTicks} min` : '';
}

function card(c: DayCard, tz: string): Html {
  const weekday = DateTime.fromISO(c.date, { zone: tz }).toFormat('ccc');
  const lines = [countsLine(c), verdictLine(c), haltLine(c), c.reasons.length ? c.reasons.join(', ') : ''].filter(Boolean);
  return html`<a class="card ${c.tone}" data-date="${c.date}" data-tone="${c.tone}" href="/day/${c.date}">
<span class="tone">${TONE_LABEL[c.tone]}</span><span class="date">${weekday} ${c.date}</span>
${lines.map((l) => html`<div class="line">${l}</div>`)}
</a>`;
}

function select(name: string, label: string, options: readonly string[], chosen: string | undefined): Html {
  // A value from the URL that the config no longer names still shows, so the filter in force is visible.
  const all = chosen !== undefined && !options.includes(chosen) ? [chosen, ...options] : options;
  return html`<label>${label}<select name="${name}"><option value="">all</option>${all.map(
    (o) => html`<option value="${o}"${o === chosen ? html` selected` : ''}>${o}</option>`,
  )}</select></label>`;
}

/** `/`: one card per day, newest first, filters as a plain GET form (no script). */
export function indexPage(v: IndexView): string {
  const q = v.query;
  const filters = { team: q.team, host: q.host, attack: q.attack };
  const newer =
    q.page > 0
      ? html`<a href="${hrefWith('/', { ...filters, page: q.page - 1 || undefined })}">← newer</a>`
      : html`<span></span>`;
  const older = v.older ? html`<a href="${hrefWith('/', { ...filters, page: q.page + 1 })}">older →</a>` : html`<span></span>`;
  const first = v.cards.at(-1)?.date ?? '';
  const last = v.cards[0]?.date ?? '';
  const faults = v.faults.length
    ? html`<section class="fault" role="alert">${v.faults.map((f) => html`<p><strong>${f}</strong></p>`)}</section>`
    : '';
  const body = html`${faults}<h1>Days ${first} to ${last} <span class="muted">(${v.timezone})</span></h1>
<form class="filters" method="get" action="/">
${v.teams.length ? select('team', 'Team', v.teams, q.team) : ''}
${select('host', 'Host', v.hosts, q.host)}
${select('attack', 'Attack', v.attacks, q.attack)}
<button type="submit">Filter</button>${q.team || q.host || q.attack ? html` <a href="/">clear</a>` : ''}
</form>
<p class="muted">Red: not recovered, failed rollback, failed or orphaned attack. Amber: recovered, unconfirmed, halted. Grey: the bot was not running.</p>
<nav class="cards">
${v.cards.map((c) => card(c, v.timezone))}
</nav>
<div class="pager">${newer}${older}</div>`;
  return layout('ChaosCat report archive', body);
}
