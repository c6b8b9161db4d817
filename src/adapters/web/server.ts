import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { type Archive, MAX_PAGE } from '../../ports/archive.js';
import { CodedError } from '../../ports/errors.js';
import { answerProbe, PROBE_PATHS, type ReadinessProbe } from '../system/http-probes.js';
import { dayPage } from './day-page.js';
import { hostAllowed, hostRule } from './host-check.js';
import { html, layout } from './html.js';
import { indexPage } from './index-page.js';
import { STYLESHEET } from './style.js';
import type { TimelineSvg } from './timeline-cache.js';

/** No script at all, styles and images from this server only, no framing, forms only back here. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

export interface ArchiveSite {
  /** The archive's reads (app/reports/archive.ts createArchive). */
  readonly archive: Archive;
  /** Removes secrets from free text (reasons, output, audit) before it reaches a page. */
  readonly scrub: (text: string) => string;
  readonly logger?: Logger;
  /** Draws the day's timeline; default: drawn each time (serveArchive gives it a cache). */
  readonly timeline?: TimelineSvg;
  /** /readyz on this port (so probes work with metrics off); without it /readyz says not ready. */
  readonly readiness?: ReadinessProbe;
}

export interface WebAnswer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

const HTML_TYPE = 'text/html; charset=utf-8';

function problem(status: number, title: string, text: string): WebAnswer {
  return { status, type: HTML_TYPE, body: layout(title, html`<h1>${title}</h1><p>${text}</p><p><a href="/">All days</a></p>`) };
}

/** A filter value from the query string; over-long values are refused rather than cut. */
function param(query: URLSearchParams, name: string): string | undefined | null {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  return value.length > 100 ? null : value;
}

// ECharts (and resvg beside it) load at the first page that draws, not when the bot starts:
// start-up time and memory stay what they were for a bot nobody browses.
type AttackPage = typeof import('./attack-page.js').attackPage;
type DayEvidence = typeof import('./attack-page.js').dayEvidenceSection;
let charts:
  | Promise<{ attackPage: AttackPage; dayEvidence: DayEvidence; timelineSvg: TimelineSvg; cached: () => TimelineSvg }>
  | undefined;
function loadCharts(): NonNullable<typeof charts> {
  charts ??= Promise.all([import('./attack-page.js'), import('./timeline-cache.js')]).then(([a, t]) => ({
    attackPage: a.attackPage,
    dayEvidence: a.dayEvidenceSection,
    timelineSvg: t.timelineSvg,
    cached: () => t.cachedTimelineSvg(),
  }));
  return charts;
}

/** One request to its page. Reads only: there is nothing here that could change the bot. */
export async function answer(site: ArchiveSite, method: string, rawUrl: string): Promise<WebAnswer> {
  if (method !== 'GET' && method !== 'HEAD') return problem(405, 'Method not allowed', 'The archive is read-only: GET only.');
  const url = new URL(rawUrl, 'http://archive.invalid');
  const path = url.pathname;
  if (path === '/style.css') return { status: 200, type: 'text/css; charset=utf-8', body: STYLESHEET };
  // Browsers ask for it on every page; there is none, and a 404 would log a console error each time.
  if (path === '/favicon.ico') return { status: 204, type: 'image/x-icon', body: '' };
  if (path === '/') {
    const pageText = url.searchParams.get('page') ?? '0';
    const page = /^\d{1,3}$/.test(pageText) ? Number(pageText) : Number.NaN;
    const [team, host, attack] = (['team', 'host', 'attack'] as const).map((n) => param(url.searchParams, n));
    if (!(page <= MAX_PAGE)) return problem(400, 'Bad page', `page must be a whole number from 0 to ${MAX_PAGE}.`);
    if (team === null || host === null || attack === null)
      return problem(400, 'Bad filter', 'team, host and attack must be at most 100 characters.');
    return { status: 200, type: HTML_TYPE, body: indexPage(site.archive.index({ page, team, host, attack })) };
  }
  const day = /^\/day\/(\d{4}-\d{2}-\d{2})$/.exec(path);
  if (day?.[1]) {
    const report = site.archive.day(day[1]);
    if (report.kind === 'none') return problem(404, 'No report', report.text);
    // The day's evidence charts beside its timeline (ECharts loads only when there is one to draw).
    const kept = site.archive.dayEvidence(day[1]);
    const evidence = kept.length ? (await loadCharts()).dayEvidence(kept, site.archive.timezone) : null;
    return {
      status: 200,
      type: HTML_TYPE,
      body: dayPage(report, site.archive.timezone, site.scrub, site.timeline ?? (await loadCharts()).timelineSvg, evidence),
    };
  }
  const attack = /^\/attack\/(\d{1,15})$/.exec(path);
  if (attack?.[1]) {
    const view = site.archive.attack(attack[1]);
    if (!view) return problem(404, 'No such attack', `There is no attack #${attack[1]} in this database.`);
    return { status: 200, type: HTML_TYPE, body: (await loadCharts()).attackPage(view, site.scrub) };
  }
  return problem(404, 'Not found', 'The archive has / (the days), /day/YYYY-MM-DD and /attack/ID.');
}

/** Errors of the archive's server carry a stable code; the cause is the socket error. */
export class WebError extends CodedError<'WEB_LISTEN' | 'WEB_PORT_IN_USE'> {}

export interface ArchiveServer {
  /** The port actually bound (port 0 picks a free one: tests). */
  readonly port: number;
  /** Where a browser on this machine finds it. */
  readonly url: string;
  close(): Promise<void>;
}

export function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

/**
 * Serves the archive on host:port. Side effects: listens on the socket; reads the database through
 * `site.archive` only. Answers 421 to a Host header that is not its own (host-check.ts). Rejects with a
 * WebError (code WEB_PORT_IN_USE when the port is taken).
 */
export function serveArchive(given: ArchiveSite, port: number, host: string, publicUrl?: string): Promise<ArchiveServer> {
  let site: ArchiveSite | undefined;
  let rule = hostRule(host, port, publicUrl);
  const server = createServer(async (req, res) => {
    // Probes first, whatever the Host header: a container's or an orchestrator's probe names the
    // pod's address, and the answer holds nothing of the archive (only ready or not, and why).
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (PROBE_PATHS.has(path) && (req.method === 'GET' || req.method === 'HEAD')) {
      answerProbe(path, given.readiness, req.method === 'HEAD', res);
      return;
    }
    let reply: WebAnswer;
    try {
      if (!hostAllowed(req.headers.host, rule)) {
        reply = problem(
          421,
          'Misdirected request',
          'This archive answers only its own host name (web.host, web.publicUrl) or localhost.',
        );
      } else {
        site ??= { ...given, timeline: given.timeline ?? (await loadCharts()).cached() };
        reply = await answer(site, req.method ?? 'GET', req.url ?? '/');
      }
    } catch (error) {
      given.logger?.error({ err: error, url: req.url }, 'archive: cannot render the page');
      reply = problem(500, 'Cannot show this page', "The page could not be made; the bot's log says why.");
    }
    res.writeHead(reply.status, {
      ...HEADERS,
      'content-type': reply.type,
      ...(reply.status === 405 ? { allow: 'GET, HEAD' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const inUse = error.code === 'EADDRINUSE';
      reject(
        new WebError(
          inUse ? 'WEB_PORT_IN_USE' : 'WEB_LISTEN',
          `cannot serve the report archive on ${host}:${port}: ${inUse ? 'the port is in use' : error.message}`,
          { cause: error },
        ),
      );
    });
    server.listen(port, host, () => {
      const bound = (server.address() as AddressInfo).port;
      rule = hostRule(host, bound, publicUrl);
      resolve({
        port: bound,
        url: urlOf(host, bound),
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
