import { formatDuration } from '../domain/duration.js';
import type { HostDef } from '../domain/model.js';
import { escapeText } from '../domain/visible-text.js';
import type { SourceStatus } from '../ports/host-directory.js';
import { plural } from './common.js';
import { when } from './tokens.js';

/**
 * One line per source: what it gives and how old that is, or why it gives nothing. An inventory's
 * text (a label with a newline and "Halted by admin", U+202E) is written out, never shown as is.
 */
export function sourceLine(raw: SourceStatus, now: number, timezone: string): string {
  const s = { ...raw, id: escapeText(raw.id), error: raw.error === null ? null : escapeText(raw.error) };
  const at = (t: number) => when(t, timezone, 'yyyy-MM-dd HH:mm');
  if (s.okAt === null) {
    return `${s.id}: never answered (${s.error ?? 'asking now'}); no hosts from it`;
  }
  const age = `refreshed ${formatDuration(Math.max(0, now - s.okAt))} ago`;
  if (s.failingSince !== null) {
    return `${s.id}: FAILING since ${at(s.failingSince)} (${s.error}); keeping its last good list of ${plural(s.hosts, 'host')} from ${at(s.okAt)}`;
  }
  return `${s.id}: ${plural(s.hosts, 'host')}, ${age}`;
}

/** The source lines, each with its notes (skipped hosts, conflicts) under it, at most `maxNotes` each. */
export function sourceLines(sources: readonly SourceStatus[], now: number, timezone: string, maxNotes = 5): string[] {
  const lines: string[] = [];
  for (const s of sources) {
    lines.push(sourceLine(s, now, timezone));
    for (const note of s.notes.slice(0, maxNotes)) lines.push(`  - ${escapeText(note)}`);
    if (s.notes.length > maxNotes) lines.push(`  - and ${s.notes.length - maxNotes} more (see check-config)`);
  }
  return lines;
}

/** The cells of a host for `hosts`: name, address, tags, where it came from (an inventory's text written out). */
export function hostCells(h: HostDef): string[] {
  return [h.name, `${h.address}:${h.port}`, h.tags.length ? h.tags.join(',') : '(no tags)', h.source ?? 'config'].map(escapeText);
}
