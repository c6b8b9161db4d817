import type { Cancel, Timers } from '../../ports/timers.js';

/** Real timers, unref'd: a pending timer never keeps the process alive. */
export const systemTimers: Timers = {
  after(ms: number, fn: () => void): Cancel {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
  every(ms: number, fn: () => void): Cancel {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};
