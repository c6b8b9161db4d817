/** Keeps the last `limit` bytes of a stream of chunks: an attack's output is bounded, the end matters most. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (buf.length === 0) return;
    this.chunks.push(buf);
    this.size += buf.length;
    if (this.size > this.limit * 2 || this.chunks.length > 256) this.compact();
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks);
    const excess = Math.max(0, all.length - this.limit);
    this.dropped += excess;
    const kept = all.subarray(excess);
    this.chunks = [kept];
    this.size = kept.length;
  }

  /** The kept tail as text; says how much was cut so nobody mistakes it for the whole output. */
  text(): string {
    this.compact();
    const body = (this.chunks[0] ?? Buffer.alloc(0)).toString('utf8');
    return this.dropped > 0 ? `[... ${this.dropped} bytes cut ...]\n${body}` : body;
  }
}
