/**
 * A fresh process's very first day page, as the bot's first visitor gets it: ECharts (and resvg)
 * load at that page, and nothing in the process is warm. Run by bench/web.ts as its own process:
 * `node --import tsx bench/web-first-page.ts FILE DATE NOW`; prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { answer } from '../src/adapters/web/server.js';
import { site } from './web-site.js';

const [file = '', date = '', now = '0'] = process.argv.slice(2);
const { site: s, reader } = site(file, Number(now));
try {
  const timed = async () => {
    const t = performance.now();
    const reply = await answer(s, 'GET', `/day/${date}`);
    if (reply.status !== 200) throw new Error(`/day/${date}: HTTP ${reply.status}`);
    return performance.now() - t;
  };
  const first = await timed();
  const second = await timed();
  process.stdout.write(`${JSON.stringify({ first, second })}\n`);
} finally {
  reader.close();
}
