/** Display names by chat user id, as far as they are known (never throws; undefined = unknown). */
export type NameOf = (id: string) => string | undefined;

/**
 * The display names of chat users, as the chat last told them. `nameOf` reads (no side effects,
 * never throws: undefined when unknown or unreadable); `remember` writes the store (may throw).
 */
export interface People {
  nameOf: NameOf;
  remember(id: string, name: string, at: number): void;
}
