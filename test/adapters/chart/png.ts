import { inflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** 8-bit RGBA, row by row. */
  readonly pixels: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * A minimal PNG reader for tests: checks the signature, reads IHDR, inflates the IDAT chunks and
 * undoes the scanline filters. Only 8-bit RGBA or RGB without interlace (what resvg writes).
 */
export function decodePng(bytes: Uint8Array): DecodedPng {
  const buf = Buffer.from(bytes);
  if (!buf.subarray(0, 8).equals(Buffer.from(PNG_SIGNATURE))) throw new Error('not a PNG: bad signature');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('ascii', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const colorType = data[9];
      if (depth !== 8 || (colorType !== 6 && colorType !== 2) || data[12] !== 0) {
        throw new Error(`unsupported PNG: depth ${depth}, color type ${colorType}, interlace ${data[12]}`);
      }
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (cur[i - channels] ?? 0) : 0;
      const b = prev[i] ?? 0;
      const c = i >= channels ? (prev[i - channels] ?? 0) : 0;
      const x = line[i] ?? 0;
      const predictor = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c);
      cur[i] = (x + predictor) & 0xff;
    }
    for (let px = 0; px < width; px++) {
      for (let ch = 0; ch < 3; ch++) out[(y * width + px) * 4 + ch] = cur[px * channels + ch] ?? 0;
      out[(y * width + px) * 4 + 3] = channels === 4 ? (cur[px * channels + 3] ?? 0) : 255;
    }
    prev = cur;
  }
  return { width, height, pixels: out };
}

/** Distinct RGBA colours, and how many pixels are not the background (the top-left pixel's colour). */
export function colourStats(png: DecodedPng): { distinct: number; nonBackground: number } {
  const seen = new Set<number>();
  const view = new DataView(png.pixels.buffer, png.pixels.byteOffset, png.pixels.byteLength);
  const background = view.getUint32(0);
  let nonBackground = 0;
  for (let i = 0; i < png.pixels.length; i += 4) {
    const v = view.getUint32(i);
    seen.add(v);
    if (v !== background) nonBackground++;
  }
  return { distinct: seen.size, nonBackground };
}

/** The colour at (x, y) as #rrggbb. */
export function colourAt(png: DecodedPng, x: number, y: number): string {
  const i = (y * png.width + x) * 4;
  return `#${[0, 1, 2].map((c) => (png.pixels[i + c] ?? 0).toString(16).padStart(2, '0')).join('')}`;
}
