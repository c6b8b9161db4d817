import type { AttackRecord } from '../domain/model.js';

/** A pipeline step's `run-once` (chaoscat run-once over the control socket, docs/operations.md). */
export interface PipelineRequest {
  readonly attack: string;
  readonly host?: string | undefined;
  readonly params: Readonly<Record<string, string>>;
  /** The OS user of the step: the actor is `pipeline:<user>`. */
  readonly user: string;
}

export interface PipelineAnswer {
  readonly code: number;
  readonly message: string;
  readonly record?: AttackRecord | undefined;
}
