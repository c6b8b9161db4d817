/**
 * ECharts' server-side SVG, made fit for a page under a strict Content-Security-Policy: its <style>
 * element (hover effects only, nothing to hover on a static page) goes, and each `style="…"` becomes
 * presentation attributes, which a CSP does not govern. The text it draws is already escaped by
 * ECharts; what is removed or renamed here is markup ECharts made itself.
 */
export function staticSvg(svg: string): string {
  return svg.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '').replace(/ style="([^"]*)"/g, (_, css: string) =>
    css
      .split(';')
      .map((d) => d.split(':'))
      .filter((d): d is [string, string] => d.length === 2 && /^[a-z-]+$/.test(d[0]?.trim() ?? ''))
      .map(([k, v]) => ` ${k.trim()}="${v.trim()}"`)
      .join(''),
  );
}
