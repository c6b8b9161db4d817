import { createHash } from 'node:crypto';
import type { Timeline } from '../../domain/report.js';
import { renderTimelineSvg } from '../chart/timeline-chart.js';
import { staticSvg } from './static-svg.js';

/** Draws a day's timeline as page-ready SVG. */
export type TimelineSvg = (timeline: Timeline) => string;

export function timelineSvg(timeline: Timeline): string {
  return staticSvg(renderTimelineSvg(timeline));
}

/**
 * The timeline SVG, remembered by what it draws: a day of 500 attacks takes ECharts a few hundred
 * milliseconds, and past days rarely change. The key is a hash of the timeline itself, so a changed
 * day (a late verdict, today's next minute) is drawn afresh; nothing can be stale. At most `size`
 * drawings (about 0.5 MB each for 500 attacks) are kept, the least recently used go first.
 */
export function cachedTimelineSvg(size = 16, draw: TimelineSvg = timelineSvg): TimelineSvg {
  const cache = new Map<string, string>();
  return (timeline) => {
    const key = createHash('sha256').update(JSON.stringify(timeline)).digest('base64');
    const hit = cache.get(key);
    if (hit !== undefined) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const svg = draw(timeline);
    cache.set(key, svg);
    if (cache.size > size) cache.delete(cache.keys().next().value as string);
    return svg;
  };
}
