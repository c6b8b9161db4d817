/** At most this many hosts are dialled at once (`hosts check|install`, `check-config --live`). */
export const HOST_PARALLEL = 16;

/** `fn` over every item, at most HOST_PARALLEL at once; the results in the items' order. */
export async function eachBounded<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HOST_PARALLEL, items.length) }, worker));
  return out;
}
