import { closeSync, constants, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Halt } from '../../domain/model.js';
import type { AuditEntry } from '../../ports/store.js';
import { insertAudit } from './journal-tables.js';
import { readState, writeHalt } from './team-state.js';

/** The sidecar's size, allocated when the database opens: a halt written later needs no new block. */
const SIDECAR_BYTES = 64 * 1024;
/** Audit entries kept while the database refuses them; beyond this the oldest go (and are logged). */
const MAX_PENDING_AUDITS = 1_000;

/**
 * A halt is never lost (issue 22, case 2). When the database refuses a halt, the halt is kept in
 * memory and in `<database>.halt`, a file allocated in full when the database opened, so that
 * overwriting it needs no free block (a full disk); a restart reads it and trusts it over the row.
 * Every later write to the database first writes what it refused, the halt first and then the audit
 * rows of the commands (the stop itself): the latch is the first thing the store takes once it can.
 * One keeper per database file, shared by every team's view of it.
 */
export class HaltKeeper {
  /** Per team: the halt, or null for a start, that the database has not taken yet. */
  private readonly halts = new Map<string, Halt | null>();
  private readonly audits: { team: string | null; entry: AuditEntry }[] = [];
  /** Halts in the sidecar file (read at opening, written when the database refuses one). */
  private readonly latched = new Map<string, Halt>();
  private fd: number | null = null;
  /** Teams whose sidecar halt stays whatever this file takes (it is no longer the database: deleted or replaced). */
  private readonly pinned = new Set<string>();

  constructor(
    private readonly db: Database.Database,
    readonly sidecar: string | null,
  ) {
    if (sidecar) this.openSidecar(sidecar);
    // A halt the database never took (a restart after it refused one): written first at the next write.
    for (const [team, halt] of this.latched) {
      try {
        if (!readState(db, team).halt) this.halts.set(team, halt);
      } catch {
        this.halts.set(team, halt);
      }
    }
  }

  private openSidecar(path: string): void {
    try {
      this.fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o600);
      const size = fstatSync(this.fd).size;
      if (size < SIDECAR_BYTES) {
        const fill = Buffer.alloc(SIDECAR_BYTES - size, 0x20);
        writeSync(this.fd, fill, 0, fill.length, size);
        fsyncSync(this.fd);
      }
      const buf = Buffer.alloc(SIDECAR_BYTES);
      const n = readSync(this.fd, buf, 0, SIDECAR_BYTES, 0);
      const text = buf.subarray(0, n).toString('utf8').replace(/\0/g, '').trim();
      if (text) for (const [team, halt] of Object.entries(JSON.parse(text) as Record<string, Halt>)) this.latched.set(team, halt);
    } catch {
      // No sidecar (a read-only directory, a disk already full at start): memory still holds halts.
      if (this.fd !== null) closeSync(this.fd);
      this.fd = null;
    }
  }

  /** The halt the database has not taken, or the one the sidecar holds for the team; undefined if none. */
  haltOf(team: string, stored: Halt | null): Halt | null | undefined {
    if (this.halts.has(team)) return this.halts.get(team) ?? null;
    if (!stored && this.latched.has(team)) return this.latched.get(team) ?? null;
    return undefined;
  }

  /** The database refused this halt (or start): kept, and for a halt written to the sidecar. True if the sidecar has it. */
  refused(team: string, halt: Halt | null, pin = false): boolean {
    if (pin && halt) this.pinned.add(team);
    this.halts.set(team, halt);
    if (halt) this.latched.set(team, halt);
    else this.latched.delete(team);
    return this.saveSidecar();
  }

  refusedAudit(team: string | null, entry: AuditEntry): void {
    this.audits.push({ team, entry });
    if (this.audits.length > MAX_PENDING_AUDITS) this.audits.shift();
  }

  /** The database took the team's halt or start: the sidecar need not hold it any more. */
  taken(team: string): void {
    this.halts.delete(team);
    if (!this.pinned.has(team) && this.latched.delete(team)) this.saveSidecar();
  }

  get pending(): number {
    return this.halts.size + this.audits.length;
  }

  /** Writes what the database refused, halts first; throws (keeping them) if it still refuses. */
  flush(): void {
    if (this.halts.size === 0 && this.audits.length === 0) return;
    this.db.transaction(() => {
      for (const [team, halt] of this.halts) writeHalt(this.db, team, halt);
      for (const a of this.audits) insertAudit(this.db, a.team, a.entry);
    })();
    const teams = [...this.halts.keys()];
    this.halts.clear();
    this.audits.length = 0;
    for (const team of teams) if (!this.pinned.has(team) && this.latched.delete(team)) this.saveSidecar();
  }

  private saveSidecar(): boolean {
    if (this.fd === null) return false;
    try {
      const text = JSON.stringify(Object.fromEntries(this.latched));
      const buf = Buffer.alloc(SIDECAR_BYTES, 0x20);
      if (Buffer.byteLength(text) > SIDECAR_BYTES) return false;
      buf.write(text, 0, 'utf8');
      writeSync(this.fd, buf, 0, SIDECAR_BYTES, 0);
      fsyncSync(this.fd);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
