/**
 * What `hold()` returns: disposing it releases the primitive once; later disposals do nothing,
 * so `await using` and an explicit early `[Symbol.dispose]()` can be combined safely.
 */
export class Guard implements AsyncDisposable, Disposable {
  #release: (() => void) | null;

  constructor(release: () => void) {
    this.#release = release;
  }

  [Symbol.dispose](): void {
    const release = this.#release;
    if (release === null) return;
    this.#release = null;
    release();
  }

  // Releasing never waits; the async form exists so the guard fits `await using`.
  [Symbol.asyncDispose](): Promise<void> {
    try {
      this[Symbol.dispose]();
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
}
