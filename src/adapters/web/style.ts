/** The archive's one stylesheet, served as /style.css (the CSP allows styles from 'self' only). */
export const STYLESHEET = `
:root { --red: #c81e1e; --amber: #b7791f; --grey: #8c8c8c; --ink: #1f2328; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f8fa; }
header.site { display: flex; gap: 1rem; align-items: baseline; padding: .6rem 1.2rem; background: #24292f; }
header.site a { color: #fff; font-weight: 600; text-decoration: none; }
header.site .ro { color: #b8c0c8; font-size: .85rem; }
main { max-width: 1240px; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
h1 { font-size: 1.5rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
a { color: #0969da; }
pre { background: #fff; border: 1px solid var(--line); padding: .7rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
code { background: #eef1f4; padding: 0 .2em; border-radius: 3px; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
table.hosts td:first-child, table.hosts td:nth-child(2) { white-space: nowrap; }
th { background: #f0f3f6; }
table.summary { width: auto; min-width: 50%; margin: 0 0 1.2rem; }
table.summary caption { text-align: left; font-weight: 600; padding: 0 0 .3rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; background: #fff; border: 1px solid var(--line); padding: .8rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; word-break: break-word; }
form.filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; margin-bottom: 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: .85rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: .7rem; }
.fault { border: 2px solid var(--red); border-radius: 6px; padding: .2rem .8rem; margin: 0 0 1rem; color: var(--red); overflow-wrap: anywhere; }
.card { display: block; padding: .6rem .7rem; border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; background: #fff; color: var(--ink); text-decoration: none; }
.card:hover { box-shadow: 0 1px 4px rgba(0, 0, 0, .15); }
.card .date { font-weight: 600; }
.card .tone { float: right; font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; }
.card .line { font-size: .85rem; }
.card.red { border-color: var(--red); background: #fff1f1; }
.card.red .tone { color: var(--red); }
.card.amber { border-color: var(--amber); background: #fff8e6; }
.card.amber .tone { color: var(--amber); }
.card.grey { border-color: #d8dadd; background: #eceef0; color: #6e7781; }
.card.plain { border-left-color: #3ba272; }
.pager { display: flex; justify-content: space-between; margin-top: 1rem; }
.report p { margin: .3rem 0; }
.report ul { margin: .2rem 0 .6rem; }
figure.chart { margin: 1rem 0; background: #fff; border: 1px solid var(--line); overflow-x: auto; }
figure.chart svg { display: block; width: 100%; max-width: 100%; height: auto; }
figure.chart figcaption { font-size: .85rem; color: #57606a; padding: .3rem .6rem; }
.verdict-not-recovered, .bad { color: var(--red); font-weight: 600; }
.verdict-recovered { color: var(--amber); font-weight: 600; }
.verdict-held { color: #2e9e5b; font-weight: 600; }
.muted { color: #57606a; }
@media (max-width: 640px) {
  main { padding: .6rem .6rem 2rem; }
  header.site { padding: .5rem .6rem; }
  h1 { font-size: 1.25rem; overflow-wrap: anywhere; }
  /* Tables become cards: a row is a card, each cell a "column: value" line. */
  table:has(thead), table:has(thead) tbody, table:has(thead) tr, table:has(thead) td { display: block; width: 100%; }
  table:has(thead) { background: none; }
  table:has(thead) thead { display: none; }
  table:has(thead) caption { display: block; text-align: left; font-weight: 600; padding: .2rem 0; }
  table:has(thead) tr { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .5rem; padding: .3rem .5rem; }
  table:has(thead) td { border: none; padding: .1rem 0; overflow-wrap: anywhere; white-space: normal !important; }
  table:has(thead) td::before { content: attr(data-label); display: inline-block; min-width: 9.5em; padding-right: .5em; color: #57606a; font-size: .85rem; }
  table:has(thead) td:empty { display: none; }
  table:has(thead) td:first-child { font-weight: 600; }
  table:has(thead) td[data-label=""]::before { content: none; }
  table.params th, table.params td { overflow-wrap: anywhere; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dt { margin-top: .3rem; }
  figure.chart { overflow-x: hidden; }
  .cards { grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }
  .card .tone { float: none; display: block; }
  pre { font-size: .8rem; }
}
@media print {
  @page { margin: 14mm; }
  body { background: #fff; font-size: 11pt; }
  header.site, form.filters, .pager, .noprint { display: none; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .card, figure.chart, table, pre, dl.facts { break-inside: avoid; box-shadow: none; }
  tr { break-inside: avoid; }
  pre { white-space: pre-wrap; }
  .card.red, .card.amber, .card.grey { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
