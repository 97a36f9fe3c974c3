// Finds the ```ts blocks of the `@example` tags in TypeScript sources. Kept apart from the
// checker so that the rules of what counts as an example are in one short place.
import fs from 'node:fs';
import path from 'node:path';

/**
 * @typedef {object} Example
 * @property {string} file   absolute path of the source file
 * @property {number} line   1-based line of the example's first code line in that file
 * @property {string} code   the block's code, with the comment's ` * ` prefixes removed
 */

/** Every .ts file under `dir` (declaration files excluded), sorted for stable reports. */
export function sourceFiles(dir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      files.push(full);
    }
  }
  return files.sort();
}

/**
 * The examples of one file: fenced ```ts (or ```typescript) blocks that follow an `@example`
 * tag inside a `/** ... *\/` comment, up to the comment's next block tag.
 * @param {string} file
 * @param {string} text the file's contents
 * @returns {Example[]}
 */
export function extractExamples(file, text) {
  const examples = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = text.slice(0, comment.index).split('\n').length;
    const lines = comment[0].split('\n');
    let inExample = false;
    let fence = null; // { line, code: string[] } while inside a ```ts block of an example
    let otherFence = false; // inside a fence that is not checked (another language)
    lines.forEach((raw, i) => {
      // ` * text` -> `text`; the comment's own first and last lines hold no code.
      const line = raw.replace(/^\s*\/\*\*\s?/, '').replace(/^\s*\*(?!\/) ?/, '');
      if (fence !== null) {
        if (/^\s*```\s*$/.test(line)) {
          examples.push({ file, line: fence.line, code: fence.code.join('\n') });
          fence = null;
        } else {
          fence.code.push(line.replace(/\s*\*\/$/, ''));
        }
        return;
      }
      if (otherFence) {
        if (/^\s*```\s*$/.test(line)) otherFence = false;
        return;
      }
      const open = /^\s*```\s*(\w*)/.exec(line);
      if (open) {
        if (inExample && /^(ts|typescript|mts|tsx?)$/.test(open[1])) {
          fence = { line: firstLine + i + 1, code: [] };
        } else {
          otherFence = true;
        }
        return;
      }
      if (/^\s*@example\b/.test(line)) inExample = true;
      else if (/^\s*@\w+/.test(line)) inExample = false;
    });
  }
  return examples;
}
