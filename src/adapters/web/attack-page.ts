import { formatDuration } from '../../domain/duration.js';
import { baseline, type EvidenceSeries } from '../../domain/evidence.js';
import type { AttackRecord, ProbeRecord } from '../../domain/model.js';
import { escapeText } from '../../domain/visible-text.js';
import type { AttackView } from '../../ports/archive.js';
import { errorMessage } from '../../ports/errors.js';
import { answerWords } from '../../words/answers.js';
import { detectionText, monitoringGap } from '../../words/detection.js';
import { endingText } from '../../words/endings.js';
import { baselineText } from '../../words/evidence.js';
import { attackDuration, hostsText, localTime, outcomeText, triggerText, who } from '../../words/format.js';
import { renderEvidenceSvg } from '../chart/evidence-chart.js';
import { renderProbeSvg } from '../chart/probe-chart.js';
import { verdictCell } from './day-page.js';
import { type Html, html, layout, trusted, type Value } from './html.js';
import { staticSvg } from './static-svg.js';

const FULL = 'yyyy-MM-dd HH:mm:ss';

function fact(name: string, value: Value): Html {
  return html`<dt>${name}</dt><dd>${value}</dd>`;
}

function lifecycle(r: AttackRecord, tz: string): Html {
  const at = (ms: number | null) => (ms === null ? '—' : localTime(ms, tz, FULL));
  const rows: [string, number | null, string][] = [
    ['pending', r.createdAt, 'recorded before anything was dispatched'],
    ['running', r.startedAt, r.startedAt === null ? 'never reached the host' : 'started on the host'],
    [
      outcomeText(r),
      r.endedAt,
      r.endedAt === null
        ? 'not ended yet'
        : `took ${attackDuration(r)}${r.unconfirmed ? '; end not confirmed: host unreachable' : ''}`,
    ],
    ['deadline', r.deadlineAt, 'when the host-side timer ends it whatever happens to the bot'],
  ];
  return html`<table class="lifecycle"><thead><tr><th>state</th><th>at</th><th></th></tr></thead><tbody>${rows.map(
    ([state, ms, note]) => html`<tr><td>${state}</td><td>${at(ms)}</td><td>${note}</td></tr>`,
  )}</tbody></table>`;
}

function probes(v: AttackView, scrub: (t: string) => string): Html {
  if (v.samples.length === 0) return html`<p>No probe samples: this attack had no steady-state probes, or it never ran.</p>`;
  let chart: Html;
  try {
    chart = trusted(staticSvg(renderProbeSvg(v.record, v.samples, v.timezone)));
  } catch (error) {
    chart = html`<p class="bad">The probe chart could not be drawn: ${errorMessage(error)}.</p>`;
  }
  const failing = (s: ProbeRecord) =>
    s.results
      .filter((p) => !p.healthy)
      .map((p) => `${p.name}: ${p.reason}`)
      .join('; ');
  return html`<figure class="chart" id="probes">${chart}<figcaption>Steady state per probe round; dashed lines: fault start and end, detected (time to detect), recovered (time to recover).</figcaption></figure>
<table class="samples"><thead><tr><th>at</th><th>phase</th><th>steady state</th><th>failing</th></tr></thead><tbody>${v.samples.map(
    (s) =>
      html`<tr><td>${localTime(s.at, v.timezone, FULL)}</td><td>${s.phase}</td><td${s.healthy ? '' : html` class="bad"`}>${s.healthy ? 'healthy' : 'failing'}</td><td>${scrub(failing(s))}</td></tr>`,
  )}</tbody></table>`;
}

function legOutcome(h: AttackRecord): string {
  return `${h.state}${h.reason ? `: ${h.reason}` : ''}`;
}

function rollbackCell(h: AttackRecord): Html | string {
  if (h.unconfirmed) return 'not confirmed';
  return h.rollbackOk === null ? '—' : h.rollbackOk ? 'ok' : html`<span class="bad">FAILED</span>`;
}

/** What the people on call answered after it: who, when, paged, the runbook, their note. */
function learnedSection(v: AttackView, scrub: (t: string) => string): Html {
  if (v.answers.length === 0) {
    return html`<h2>What we learned</h2><p class="muted">Nobody has answered yet (in its Slack thread, or <code>answer #${v.record.id} …</code>).</p>`;
  }
  // A list, not a table: a note is a sentence, and a phone has 390 px for it.
  return html`<h2>What we learned</h2><ul class="answers">${v.answers.map(
    (a) =>
      html`<li><strong>${scrub(who(a.by))}</strong> (${localTime(a.at, v.timezone, 'yyyy-MM-dd HH:mm')}): ${answerWords({ paged: a.paged, runbook: a.runbook, note: a.note ? scrub(a.note) : null })}</li>`,
  )}</ul>`;
}

/** The evidence beside a day's timeline: each attack's series, headed by the attack, linking to its page. */
export function dayEvidenceSection(
  items: readonly { readonly record: AttackRecord; readonly series: readonly EvidenceSeries[] }[],
  timezone: string,
): Html {
  return html`<h2>Evidence</h2>${items.map(
    ({ record, series }) =>
      html`<h3><a href="/attack/${record.id}">#${record.id} ${record.attack} on ${hostsText(record)}</a></h3>${evidenceFigures({ record, evidence: series, timezone })}`,
  )}`;
}

/** Its metrics around the fault: each drawn with the fault shaded, and its baseline beside it. */
function evidenceSection(v: AttackView): Html {
  return html`<h2>Evidence</h2>${evidenceFigures(v)}`;
}

function evidenceFigures(v: {
  readonly record: AttackRecord;
  readonly evidence: readonly EvidenceSeries[];
  readonly timezone: string;
}): Html {
  const r = v.record;
  const end = r.endedAt ?? r.startedAt ?? 0;
  return html`${v.evidence.map(
    (s) =>
      html`<figure class="chart evidence">${trusted(staticSvg(renderEvidenceSvg(r, s, v.timezone)))}<figcaption>${baselineText(s, baseline(s, r.startedAt ?? 0, end))}</figcaption></figure>`,
  )}`;
}

/** `/attack/ID`: one attack whole. */
export function attackPage(v: AttackView, scrub: (t: string) => string): string {
  const r = v.record;
  const tz = v.timezone;
  const day = localTime(r.createdAt, tz, 'yyyy-MM-dd');
  const params = v.params ? Object.entries(v.params.values) : null;
  const paramsFrom =
    v.params?.from === 'record'
      ? 'The values it ran with.'
      : 'Not kept on this record (it predates that): as the catalogue defines them today.';
  const body = html`<p class="noprint"><a href="/day/${day}">← ${day}</a></p>
<h1>#${r.id} ${r.attack} on ${hostsText(r)}</h1>
<dl class="facts">
${fact('started by', r.trigger.kind === 'schedule' ? 'the schedule' : scrub(triggerText(r.trigger)))}
${fact('mode', r.dryRun ? 'dry run: the host was not touched' : 'live')}
${fact('outcome', outcomeText(r))}
${fact('verdict', verdictCell(r))}
${r.verdictDetail ? fact('verdict detail', scrub(r.verdictDetail)) : ''}
${fact('time to detect', r.ttdMs === null ? '—' : formatDuration(r.ttdMs))}
${fact('time to recover', r.ttrMs === null ? '—' : formatDuration(r.ttrMs))}
${r.detection ? fact('monitoring', `${monitoringGap(r) ? 'MONITORING GAP: ' : ''}${detectionText(r.detection)}`) : ''}
${r.ending ? fact('ended', scrub(endingText(r.ending, tz))) : ''}
${r.reason ? fact('reason', scrub(r.reason)) : ''}
${fact('rollback', r.rollbackOk === null ? 'did not run' : r.rollbackOk ? 'ok' : html`<span class="bad">FAILED</span>`)}
${fact('exit', r.exitCode === null ? (r.signal ?? '—') : `code ${r.exitCode}${r.signal ? `, ${r.signal}` : ''}`)}
${fact('planned duration', formatDuration(r.durationMs))}
</dl>
<h2>Parameters</h2>
${
  params === null
    ? html`<p>The attack ${r.attack} is no longer in the catalogue.</p>`
    : params.length
      ? html`<table class="params"><tbody>${params.map(([k, val]) => html`<tr><th>${k}</th><td>${val}</td></tr>`)}</tbody></table><p class="muted">${paramsFrom}</p>`
      : html`<p>None.</p>`
}
<h2>Hosts</h2>
${
  v.hosts.length > 1
    ? html`<table class="hosts"><thead><tr><th>host</th><th>row</th><th>outcome</th><th>rollback</th></tr></thead><tbody>${v.hosts.map(
        (h) =>
          html`<tr><td>${h.host}</td><td>#${h.id}</td><td>${h === r ? outcomeText(r) : legOutcome(h)}</td><td>${rollbackCell(h)}</td></tr>`,
      )}</tbody></table><p class="muted">${v.hosts.length} hosts in one run; its outcome above is the run's.</p>`
    : html`<p>${r.host}</p>`
}
${r.dryRun ? '' : learnedSection(v, scrub)}
${v.evidence.length ? evidenceSection(v) : ''}
<h2>Lifecycle (${tz})</h2>
${lifecycle(r, tz)}
<h2>Probe samples</h2>
${probes(v, scrub)}
<h2>Output (tail)</h2>
${r.outputTail ? html`<pre class="output">${scrub(r.outputTail)}</pre>` : html`<p>No output recorded.</p>`}
<h2>Audit</h2>
${
  v.audit.length
    ? html`<table class="audit"><thead><tr><th>at</th><th>who</th><th>via</th><th>command</th><th>outcome</th><th>detail</th></tr></thead><tbody>${v.audit.map(
        (a) =>
          html`<tr><td>${localTime(a.at, tz, FULL)}</td><td>${scrub(who(a.actor))}</td><td>${a.transport}</td><td>${scrub(escapeText(a.text))}</td><td>${a.outcome}</td><td>${scrub(a.detail)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>No commands from a minute before to a minute after this attack.</p>`
}
${v.audit.length ? html`<p class="muted">Every command from a minute before to a minute after this attack, whichever attack it concerned.</p>` : ''}`;
  return layout(`ChaosCat #${r.id} ${r.attack} on ${hostsText(r)}`, body);
}
