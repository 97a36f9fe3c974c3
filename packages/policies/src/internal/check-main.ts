/** Throws the TypeError that shows the fix when `main` is not a coroutine function. */
export function checkMain(main: unknown, where: string): void {
  if (typeof main === 'function') return;
  const isThenable =
    main !== null &&
    typeof main === 'object' &&
    typeof (main as { then?: unknown }).then === 'function';
  if (isThenable) {
    throw new TypeError(
      `${where} expects a function returning a promise, got a promise: it has already started ` +
        `outside the loop; write ${where.replace('()', '')}(() => main()) instead of ` +
        `${where.replace('()', '')}(main())`,
    );
  }
  const kind = main === null ? 'null' : typeof main;
  throw new TypeError(
    `${where} expects a coroutine function (a function returning a promise), got ${kind}`,
  );
}
