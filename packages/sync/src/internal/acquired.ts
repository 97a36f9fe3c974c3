/**
 * What `acquire()` returns when it takes the primitive without waiting: one settled promise
 * shared by every such call, so the uncontended path allocates nothing. An `await` of it
 * resumes one microtask later, as for the promise of an `async` function that did not wait.
 */
export const ACQUIRED: Promise<true> = Promise.resolve(true);
