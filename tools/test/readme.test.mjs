// The README's first TypeScript example is examples/src/readme-example.ts, word for word, so
// that the example people read is type-checked (examples:typecheck) and runs (npm test).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('README example is examples/src/readme-example.ts', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README.md has a ```ts block');
  const example = fs.readFileSync(path.join(root, 'examples/src/readme-example.ts'), 'utf8');
  assert.equal(block[1], example);
});
