/** First family found wins; resvg skips text quietly when none is installed. Text widths are estimated for the first (label-placement.ts). */
export const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Noto Sans, Arial, Helvetica, sans-serif';
