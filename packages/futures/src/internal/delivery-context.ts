import { _SELF_FRAMED_CONTEXT } from '@tsio/core';

/**
 * The Context that resumption handles run in. Copying the caller's Context for every `await`
 * would cost an allocation each time for nothing: the resumed code runs in its own frame,
 * which the handle enters at once (so the loop need not switch to this Context first).
 */
export const DELIVERY_CONTEXT = _SELF_FRAMED_CONTEXT;
