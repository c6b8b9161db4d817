/** One figure of `npm run bench`, with the same-run baseline beside it where one applies. */
export interface BenchRow {
  readonly name: string;
  readonly unit: string;
  readonly samples: number;
  readonly median: number | null;
  readonly p99: number | null;
  readonly baseline?: { readonly name: string; readonly median: number | null; readonly p99: number | null };
  readonly note?: string;
}

export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? null;
}

export function row(
  name: string,
  unit: string,
  values: readonly number[],
  extra: Partial<Pick<BenchRow, 'baseline' | 'note'>> = {},
): BenchRow {
  return { name, unit, samples: values.length, median: quantile(values, 0.5), p99: quantile(values, 0.99), ...extra };
}

function fmt(value: number | null, unit: string): string {
  if (value === null) return '-';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** Renders rows as a Markdown table, so the output can be pasted into the README as is. */
export function renderTable(rows: readonly BenchRow[]): string {
  const header = ['figure', 'n', 'median', 'p99', 'baseline (same run)', 'baseline median', 'baseline p99'];
  const lines = rows.map((r) => [
    r.note ? `${r.name} (${r.note})` : r.name,
    String(r.samples),
    fmt(r.median, r.unit),
    fmt(r.p99, r.unit),
    r.baseline?.name ?? '-',
    r.baseline ? fmt(r.baseline.median, r.unit) : '-',
    r.baseline ? fmt(r.baseline.p99, r.unit) : '-',
  ]);
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((l) => (l[i] ?? '').length)));
  const render = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [render(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(render)].join('\n');
}
