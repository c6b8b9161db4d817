import { describe, expect, it } from 'vitest';
import { cachedTimelineSvg } from '../../../src/adapters/web/timeline-cache.js';
import { localDay, type Timeline } from '../../../src/domain/report.js';

function timeline(date: string, hosts: string[] = []): Timeline {
  const day = localDay(date, 'UTC');
  if (!day) throw new Error(date);
  return { day, hosts, bars: [], unhealthy: [], halts: [], open: [] };
}

describe('the timeline drawing cache', () => {
  it('draws a timeline once, and again as soon as anything in it changed', () => {
    const drawn: string[] = [];
    const svg = cachedTimelineSvg(4, (t) => {
      drawn.push(t.day.date);
      return `<svg>${t.day.date}${t.hosts.join()}</svg>`;
    });
    expect(svg(timeline('2026-11-20'))).toBe('<svg>2026-11-20</svg>');
    expect(svg(timeline('2026-11-20'))).toBe('<svg>2026-11-20</svg>');
    expect(svg(timeline('2026-11-20', ['web-1']))).toBe('<svg>2026-11-20web-1</svg>');
    expect(drawn).toEqual(['2026-11-20', '2026-11-20']);
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const drawn: string[] = [];
    const svg = cachedTimelineSvg(2, (t) => {
      drawn.push(t.day.date);
      return t.day.date;
    });
    for (const date of ['2026-11-01', '2026-11-02', '2026-11-01', '2026-11-03', '2026-11-01', '2026-11-02']) svg(timeline(date));
    expect(drawn).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-02']);
  });
});
