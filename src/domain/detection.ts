/**
 * Did monitoring notice the attack? A second axis beside the steady-state verdict (issue 25): from
 * the fault's start to the verdict, the bot looks for a matching alert. A source it could not read
 * makes the answer unknown, never "detected" (fail closed).
 */

export type Detection =
  /** An alert matched: how long after the fault's start it began, its name, and where it was seen. */
  | { readonly kind: 'detected'; readonly afterMs: number; readonly alert: string; readonly source: string }
  | { readonly kind: 'not-detected' }
  /** A source could not be read and nothing was seen elsewhere: why. */
  | { readonly kind: 'unknown'; readonly why: string };

/** One look at one source. */
export type DetectionPoll =
  | { readonly kind: 'seen'; readonly at: number; readonly alert: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'unread'; readonly why: string };

/** What the looks say together: the earliest alert seen, else unknown if a source could not be read, else not detected. */
export function detectionOf(
  faultStart: number,
  looks: readonly { readonly source: string; readonly poll: DetectionPoll }[],
): Detection {
  const seen = looks
    .flatMap((l) => (l.poll.kind === 'seen' ? [{ source: l.source, at: l.poll.at, alert: l.poll.alert }] : []))
    .sort((a, b) => a.at - b.at)[0];
  if (seen) return { kind: 'detected', afterMs: Math.max(0, seen.at - faultStart), alert: seen.alert, source: seen.source };
  const unread = looks.find((l) => l.poll.kind === 'unread');
  if (unread && unread.poll.kind === 'unread') return { kind: 'unknown', why: `${unread.source}: ${unread.poll.why}` };
  return { kind: 'not-detected' };
}

/** A value inside a double-quoted string of PromQL or an Alertmanager matcher: `\`, `"` and line breaks escaped. */
export function quotedValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** A matcher or selector for one host: `{{host}}` and `{{address}}` replaced by its values, escaped. */
export function forHost(
  template: string,
  host: { readonly name: string; readonly address: string },
  escaped: (value: string) => string = quotedValue,
): string {
  return template.replace(/\{\{\s*(host|address)\s*\}\}/g, (_, which: string) =>
    escaped(which === 'host' ? host.name : host.address),
  );
}

/** Whether a text names the attacked host. */
export function namesHost(text: string): boolean {
  return /\{\{\s*(host|address)\s*\}\}/.test(text);
}

/** The stored pair back as one value; a code this version does not know reads as unknown. */
export function detectionFrom(code: string, data: string | null): Detection {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = data ? (JSON.parse(data) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  if (code === 'detected' || code === 'not-detected' || code === 'unknown') return { ...parsed, kind: code } as Detection;
  return { kind: 'unknown', why: `recorded as "${code}"` };
}

/**
 * A monitoring gap: the steady state deviated (the system was hurt) and no alert caught it. An
 * unknown detection is not a gap (nobody could look), nor a detection.
 */
export function monitoringGap(r: {
  readonly verdict: string | null;
  readonly detection?: Detection | null | undefined;
}): boolean {
  return (r.verdict === 'recovered' || r.verdict === 'not-recovered') && r.detection?.kind === 'not-detected';
}
