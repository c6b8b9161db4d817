import type { EvidenceSeries } from '../domain/evidence.js';
import type { HostDef } from '../domain/model.js';

/**
 * Reads an attack's evidence (its metrics around the fault) from Prometheus. Side effects: one range
 * query per series; never throws (a series that cannot be read comes back with why).
 */
export interface EvidenceReader {
  read(
    attack: string,
    host: HostDef,
    from: number,
    to: number,
  ): Promise<
    readonly (
      | { readonly ok: true; readonly series: EvidenceSeries }
      | { readonly ok: false; readonly title: string; readonly why: string }
    )[]
  >;
}

/** Where each attack's evidence is kept, so the archive still shows it after Prometheus forgot it. */
export interface EvidenceLog {
  keep(attackId: string, series: readonly EvidenceSeries[]): void;
  seriesOf(attackId: string): EvidenceSeries[];
  /** The series of these attacks (those that have any), by attack id. */
  seriesFor(attackIds: readonly string[]): Map<string, EvidenceSeries[]>;
}
