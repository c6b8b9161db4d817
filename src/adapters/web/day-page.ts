import type { AttackRecord } from '../../domain/model.js';
import type { ReportContent } from '../../ports/archive.js';
import type { Table } from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import { attackDuration, hostsText, localTime, outcomeText, triggerText } from '../../words/format.js';
import { LIST_ITEM } from '../../words/report-text.js';
import { chatLine, type Html, html, layout, trusted } from './html.js';
import type { TimelineSvg } from './timeline-cache.js';

type Report = Extract<ReportContent, { kind: 'report' }>;

/** The channel's lines: the first is the title, LIST_ITEM lines are the list under the line before. */
function reportBody(lines: readonly string[], scrub: (t: string) => string): Html {
  const out: Html[] = [];
  let items: Html[] = [];
  const flush = () => {
    if (items.length) out.push(html`<ul>${items}</ul>`);
    items = [];
  };
  for (const line of lines.slice(1).map(scrub)) {
    if (line.startsWith(LIST_ITEM)) {
      items.push(html`<li>${chatLine(line.slice(LIST_ITEM.length))}</li>`);
      continue;
    }
    flush();
    out.push(html`<p>${chatLine(line)}</p>`);
  }
  flush();
  return html`${out}`;
}

/** One of the report's tables (by attack, by host, …) as HTML. */
function summaryTable(t: Table, scrub: (t: string) => string): Html {
  const right = new Set(t.numeric ?? []);
  const cell = (c: string, i: number) => (right.has(i) ? html`<td class="num">${scrub(c)}</td>` : html`<td>${scrub(c)}</td>`);
  return html`<table class="summary"><caption>${t.title}</caption><thead><tr>${t.columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
<tbody>${t.rows.map((r) => html`<tr>${r.map(cell)}</tr>`)}</tbody></table>${t.note ? html`<p class="muted">${t.note}</p>` : ''}`;
}

export function verdictCell(r: AttackRecord): Html {
  if (!r.verdict) return html`<span class="muted">—</span>`;
  return html`<span class="verdict-${r.verdict}">${r.verdict.replace('-', ' ')}</span>`;
}

function attackRow(r: AttackRecord, tz: string, scrub: (t: string) => string): Html {
  const bad = r.state === 'failed' || r.state === 'orphaned' || r.rollbackOk === false;
  return html`<tr data-attack="${r.id}">
<td><a href="/attack/${r.id}">#${r.id}</a></td><td>${localTime(r.startedAt ?? r.createdAt, tz, 'HH:mm:ss')}</td>
<td>${r.attack}</td><td>${hostsText(r)}</td><td>${scrub(triggerText(r.trigger))}</td>
<td${bad ? html` class="bad"` : ''}>${outcomeText(r)}${r.dryRun ? ' (dry run)' : ''}${r.rollbackOk === false ? ', rollback FAILED' : ''}</td>
<td>${attackDuration(r)}</td><td>${verdictCell(r)}</td><td>${scrub(r.verdictDetail ?? r.reason ?? '')}</td>
</tr>`;
}

/** `/day/YYYY-MM-DD`: the channel report's content, its timeline as inline SVG, every attack linked. */
export function dayPage(
  report: Report,
  tz: string,
  scrub: (t: string) => string,
  timeline: TimelineSvg,
  evidence: Html | null = null,
): string {
  const { summary } = report;
  let chart: Html;
  try {
    chart = trusted(timeline(summary.timeline));
  } catch (error) {
    chart = html`<p class="bad">The chart could not be drawn: ${errorMessage(error)}.</p>`;
  }
  const attacks = summary.attacks;
  const body = html`<h1>${chatLine(report.lines[0] ?? summary.day.date)}</h1>
<section class="report">${reportBody(report.lines, scrub)}</section>
<figure class="chart" id="timeline">${chart}<figcaption>Timeline, time of day in ${tz}; the same chart as the channel's PNG.</figcaption></figure>
${evidence ?? ''}
${report.tables.map((t) => summaryTable(t, scrub))}
<h2>Attacks (${attacks.length})</h2>
${
  attacks.length
    ? html`<table class="attacks"><thead><tr><th>#</th><th>started</th><th>attack</th><th>host</th><th>by</th><th>outcome</th><th>took</th><th>verdict</th><th>detail</th></tr></thead>
<tbody>${attacks.map((r) => attackRow(r, tz, scrub))}</tbody></table>`
    : html`<p>No attacks on this day.</p>`
}
<p class="muted noprint">To keep this report as a PDF, print the page (Save as PDF): the print stylesheet drops the navigation.</p>`;
  return layout(`ChaosCat report ${summary.day.date}`, body);
}
