import { Context } from '@tsio/core';

/**
 * The Context that resumption handles run in. Copying the caller's Context for every `await`
 * would cost an allocation each time for nothing: the resumed code runs in its own frame.
 */
export const DELIVERY_CONTEXT = new Context();
