/**
 * Where the names of the attacks go on the timeline, so that no two names and no name and bar
 * overlap: beside its bar, else in a lane above it (moved a little right if that makes room), else
 * shortened to its number, else left out (the caller lists it under the chart). Pure geometry in
 * pixels; text is measured by a conservative estimate, so boxes that do not meet here do not meet
 * on the image either.
 */

/** A rectangle in pixels; y grows downwards. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Boxes that only touch do not intersect. */
export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Advance widths of the printable ASCII characters (space to ~) in hundredths of an em, rounded up,
 * from DejaVu Sans: the first and widest family the chart asks for (Liberation Sans, Noto Sans and
 * Arial are narrower). Kerning only narrows text, and anything else counts a full em: an estimate
 * may run long, never short.
 */
const ADVANCE =
  '32 41 46 84 64 96 78 28 40 40 50 84 32 37 32 34 64 64 64 64 64 64 64 64 64 64 34 34 84 84 84 54 100 69 69 70 78 64 58 78 76 30 30 66 56 87 75 79 61 79 70 64 62 74 69 99 69 62 69 40 34 40 84 50 50 62 64 55 64 62 36 64 64 28 28 58 28 98 64 62 64 64 42 53 40 64 60 82 60 60 53 64 34 64 84'
    .split(' ')
    .map(Number);

/** The width of `text` at `fontSize` px, never less than it is drawn. */
export function textWidth(text: string, fontSize: number): number {
  let hundredths = 0;
  for (const c of text) hundredths += ADVANCE[(c.codePointAt(0) ?? 0) - 32] ?? 100;
  return Math.ceil((hundredths * fontSize) / 100);
}

/** An attack's bar as the placement sees it. */
export interface LabelBar {
  readonly id: string;
  /** "#4 cpu-burn FAILED", and "#4" for when that does not fit. */
  readonly long: string;
  readonly short: string;
  /** The bar with its ending mark, verdict mark and detect → recover span: what no name may cover. */
  readonly body: Box;
  /** The top and bottom of the bar itself (the body may reach lower, for the span). */
  readonly barTop: number;
  readonly middle: number;
  /** The bar's row; names stay inside it, above the bar or beside it. */
  readonly rowTop: number;
  readonly row: number;
}

export interface LabelStyle {
  readonly fontSize: number;
  /** Distance between lanes; a name's box is this tall. */
  readonly lane: number;
  /** Room kept after a name's text, so neighbours do not read as one. */
  readonly pad: number;
  /** How far right of its bar's start a name above the bar may move to find room. */
  readonly shift: number;
}

/** From a bar (with its marks) to a name beside it, and at least to any other name. */
const BAR_GAP = 4;

export const LABEL_STYLE: LabelStyle = { fontSize: 11, lane: 14, pad: 5, shift: 40 };

export interface PlacedLabel extends Box {
  readonly id: string;
  readonly text: string;
  /** Where the text starts and its vertical middle. */
  readonly textX: number;
  readonly textY: number;
}

export interface Placement {
  /** In the order of the bars given. */
  readonly placed: readonly PlacedLabel[];
  /** Bars left without a name, in the order given. */
  readonly dropped: readonly LabelBar[];
}

/** What a name may not cover, by row: the bars' bodies and the names placed so far. */
class Occupied {
  private readonly rows = new Map<number, Box[]>();

  add(row: number, box: Box): void {
    const list = this.rows.get(row) ?? [];
    list.push(box);
    this.rows.set(row, list);
  }

  remove(row: number, box: Box): void {
    const list = this.rows.get(row) ?? [];
    list.splice(list.indexOf(box), 1);
  }

  /** Boxes on `row` and those either side (a name beside a bar on a thin row may reach into the next) that reach into `from`..`to`. */
  near(row: number, from: number, to: number): Box[] {
    const out: Box[] = [];
    for (const r of [row - 1, row, row + 1])
      for (const o of this.rows.get(r) ?? []) if (o.x < to && o.x + o.width > from) out.push(o);
    return out;
  }
}

/**
 * The names of `bars` within the plot's horizontal extent `area`: every bar gets its number where
 * it fits (first come, first served, in the order given), then each in turn its long name where that
 * fits; a bar whose number fits nowhere is dropped.
 */
export function placeLabels(
  bars: readonly LabelBar[],
  area: { readonly x: number; readonly width: number },
  style: LabelStyle = LABEL_STYLE,
): Placement {
  const occupied = new Occupied();
  // A little room either side of every bar, so a name never seems to belong to the bar it almost touches.
  for (const bar of bars) occupied.add(bar.row, { ...bar.body, x: bar.body.x - 2, width: bar.body.width + 2 + BAR_GAP });
  const hidden = overdrawn(bars);
  const placed = new Map<LabelBar, PlacedLabel>();
  for (const bar of bars) {
    const label = firstFit(bar, bar.short, area, style, occupied, hidden.has(bar));
    if (!label) continue;
    placed.set(bar, label);
    occupied.add(bar.row, label);
  }
  for (const [bar, short] of placed) {
    if (bar.long === bar.short) continue;
    occupied.remove(bar.row, short);
    const long = firstFit(bar, bar.long, area, style, occupied, hidden.has(bar)) ?? short;
    placed.set(bar, long);
    occupied.add(bar.row, long);
  }
  return {
    placed: bars.flatMap((b) => placed.get(b) ?? []),
    dropped: bars.filter((b) => !placed.has(b)),
  };
}

/**
 * Bars with another bar starting on top of them, on the same row, before their marks end: a name
 * beside such a bar would read as the other bar's name.
 */
function overdrawn(bars: readonly LabelBar[]): Set<LabelBar> {
  const byRow = new Map<number, LabelBar[]>();
  for (const bar of bars) {
    const row = byRow.get(bar.row);
    if (row) row.push(bar);
    else byRow.set(bar.row, [bar]);
  }
  const hidden = new Set<LabelBar>();
  for (const row of byRow.values())
    for (const bar of row)
      if (row.some((o) => o !== bar && o.body.x >= bar.body.x && o.body.x < bar.body.x + bar.body.width + BAR_GAP))
        hidden.add(bar);
  return hidden;
}

/** Beside the bar, unless another is drawn over it; else the lowest lane above it with room, as far left as it will go. */
function firstFit(
  bar: LabelBar,
  text: string,
  area: { readonly x: number; readonly width: number },
  style: LabelStyle,
  occupied: Occupied,
  overdrawn: boolean,
): PlacedLabel | null {
  const width = textWidth(text, style.fontSize) + style.pad;
  const right = area.x + area.width;
  const besideX = bar.body.x + bar.body.width + BAR_GAP;
  const start = Math.min(bar.body.x, right - width);
  // Only what the places tried below can reach: a day of 500 attacks on one row has a thousand boxes.
  const near = occupied.near(bar.row, Math.min(besideX, start), Math.max(besideX, start + style.shift) + width);
  const free = (box: Box, among: readonly Box[]) =>
    box.x >= area.x && box.x + box.width <= right && !among.some((o) => intersects(o, box));
  const at = (x: number, middle: number): PlacedLabel => ({
    id: bar.id,
    text,
    textX: x,
    textY: middle,
    x,
    y: middle - style.lane / 2,
    width,
    height: style.lane,
  });
  const beside = at(besideX, bar.middle);
  if (!overdrawn && free(beside, near)) return beside;
  for (let lane = 1; ; lane++) {
    const middle = bar.barTop - 2 - (lane - 0.5) * style.lane;
    if (middle - style.lane / 2 < bar.rowTop) return null;
    const band = { x: area.x, y: middle - style.lane / 2, width: area.width, height: style.lane };
    const inLane = near.filter((o) => intersects(o, band));
    // Just past each name already in this lane, as long as that stays near the bar.
    const xs = [start, ...inLane.map((o) => o.x + o.width)]
      .filter((x) => x >= start && x <= start + style.shift)
      .sort((a, b) => a - b);
    for (const x of xs) {
      const box = at(x, middle);
      if (free(box, inLane)) return box;
    }
  }
}
