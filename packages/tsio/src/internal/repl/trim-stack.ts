/**
 * The first frame below a statement's own frames: from there down the stack shows how the
 * REPL and the loop ran the statement (vm, the REPL's eval, the task's first step), which
 * says nothing about the user's error. Node's REPL hides these frames too.
 */
const MACHINERY_FRAME =
  /^\s+at (?:sigintHandlersWrap|ContextifyScript\.runInThisContext|Script\.runInThisContext)\b/m;

/** Drops the REPL's and the loop's frames from the stack of an error a statement threw. */
export function trimStatementStack(error: unknown): void {
  if (!(error instanceof Error)) return;
  const stack = error.stack;
  if (typeof stack !== 'string') return;
  const match = MACHINERY_FRAME.exec(stack);
  if (match === null) return;
  try {
    error.stack = stack.slice(0, match.index).trimEnd();
  } catch {
    // A frozen error keeps its full stack.
  }
}
