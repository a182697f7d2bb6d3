import type { SessionUpdate, UpdateOptions, UpdateResult } from '@hallpass/core';
import { ReferenceStore, type Row } from '../support/reference-store.js';
import { type Mutant, mutant } from './mutant.js';

/**
 * The shapes an `update` bug takes, so that a catalog entry states only the bug: the reference's
 * update given other arguments, an answer given in its place, or its work spoiled afterwards.
 */

/** One update call, its arguments as the store received them. */
export interface UpdateCall {
  id: string;
  changes: SessionUpdate;
  options?: UpdateOptions;
}

/** The reference's own update, for a call. */
type Reference = (call: UpdateCall) => Promise<UpdateResult>;

/** A mutant whose update is `body`, given the reference's update to call or not. */
const updating = (
  name: string,
  body: (reference: Reference, call: UpdateCall, store: ReferenceStore) => Promise<UpdateResult>,
  caughtBy: string[],
): Mutant =>
  mutant(
    name,
    () =>
      new (class extends ReferenceStore {
        override update(id: string, changes: SessionUpdate, options?: UpdateOptions) {
          const reference: Reference = (call) => super.update(call.id, call.changes, call.options);
          return body(reference, { id, changes, options }, this);
        }
      })(),
    caughtBy,
  );

/** A mutant whose update hands the reference other arguments: what it ignores or coerces. */
export const rewritingUpdate = (
  name: string,
  rewrite: (call: UpdateCall) => UpdateCall,
  caughtBy: string[],
): Mutant => updating(name, (reference, call) => reference(rewrite(call)), caughtBy);

/**
 * A mutant whose update answers in the reference's place whenever `answer` returns a result (a
 * shortcut it takes, a check it makes out of order, a write of its own); otherwise the reference
 * answers.
 */
export const answeringUpdate = (
  name: string,
  answer: (
    call: UpdateCall,
    store: ReferenceStore,
  ) => UpdateResult | undefined | Promise<UpdateResult | undefined>,
  caughtBy: string[],
): Mutant =>
  updating(
    name,
    async (reference, call, store) => (await answer(call, store)) ?? reference(call),
    caughtBy,
  );

/**
 * A mutant whose update runs the reference's, then spoils what it wrote or answered: `spoil`
 * gets the reference's answer and the session's row as it was before the call (a copy, if the
 * session was live), and returns the answer to give instead, if any.
 */
export const spoilingUpdate = (
  name: string,
  spoil: (
    answer: UpdateResult,
    call: UpdateCall & { before: Row | undefined },
    store: ReferenceStore,
  ) => UpdateResult | undefined,
  caughtBy: string[],
): Mutant =>
  updating(
    name,
    async (reference, call, store) => {
      const live = store.live(call.id);
      const before = live && { ...live };
      const answer = await reference(call);
      return spoil(answer, { ...call, before }, store) ?? answer;
    },
    caughtBy,
  );
