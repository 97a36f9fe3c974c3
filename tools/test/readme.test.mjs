// The first TypeScript example of the README (and of some package READMEs) is a file of
// examples/src, word for word, so that the example people read is type-checked (examples:typecheck) and runs (npm test).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** README files whose first ```ts block is an example file, word for word. */
const EXAMPLES = [
  ['packages/tsio/README.md', 'examples/src/readme-example.ts'],
  ['README.md', 'examples/src/readme-example.ts'],
  ['packages/transports/README.md', 'examples/src/transports-readme.ts'],
  ['packages/streams/README.md', 'examples/src/streams-readme.ts'],
];

for (const [readmePath, examplePath] of EXAMPLES) {
  test(`${readmePath} example is ${examplePath}`, () => {
    const readme = fs.readFileSync(path.join(root, readmePath), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme);
    assert.ok(block, `${readmePath} has a \`\`\`ts block`);
    const example = fs.readFileSync(path.join(root, examplePath), 'utf8');
    assert.equal(block[1], example);
  });
}
