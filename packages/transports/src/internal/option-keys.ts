/**
 * Checks that an options argument is an object (or undefined) whose keys are all known, so
 * that a typo (`serverHostName`) fails loudly instead of being ignored.
 *
 * @throws TypeError naming the unknown keys and listing the valid ones
 */
export function checkOptionKeys<T extends object>(
  options: unknown,
  valid: readonly string[],
  call: string,
): Partial<T> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${call} options must be an object, got ${typeof options}`);
  }
  const unknown = Object.keys(options).filter((key) => !valid.includes(key));
  if (unknown.length > 0) {
    throw new TypeError(
      `${call} got unknown option${unknown.length > 1 ? 's' : ''} ${unknown
        .map((k) => `'${k}'`)
        .join(', ')}; valid options are: ${valid.join(', ')}`,
    );
  }
  return options as Partial<T>;
}
