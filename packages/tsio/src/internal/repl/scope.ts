/**
 * Puts every name of `names` on `scope` (the REPL's global object), plus the whole namespace
 * as `tsio`, as plain writable properties so that a statement can still reassign them. A tsio
 * name replaces a global of the same name (`Event`), as asyncio's `Event` is what a tsio
 * session means by it.
 */
export function addToScope(scope: object, names: Record<string, unknown>): void {
  const define = (name: string, value: unknown): void => {
    Object.defineProperty(scope, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  };
  for (const [name, value] of Object.entries(names)) define(name, value);
  define('tsio', names);
}
