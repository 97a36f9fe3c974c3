// Every TypeScript block of the guides listed here is real code from examples/src, which is
// type-checked (examples:typecheck) and run (examples/test, from tools/test-all.sh). The last
// line before each ```ts fence (blank lines aside) names its source:
//   <!-- examples/src/echo-server.ts -->          the block is that file, word for word;
//   <!-- excerpt: examples/src/echo-server.ts --> the block is a run of lines of that file,
//                                                 verbatim but for their indentation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const GUIDES = [
  'docs/streams.md',
  'docs/getting-started.md',
  'docs/cancellation.md',
  'docs/sync-and-queues.md',
  'docs/transports-and-protocols.md',
];

for (const guide of GUIDES) {
  const text = fs.readFileSync(path.join(root, guide), 'utf8');
  const blocks = [...text.matchAll(/^(.*)\n+```ts\n([\s\S]*?)^```$/gm)];
  test(`${guide} has TypeScript examples`, () => assert.ok(blocks.length > 0));
  for (const [, marker, code] of blocks) {
    const m = /^<!-- (excerpt: )?(examples\/src\/[\w-]+\.ts) -->$/.exec(marker);
    test(`${guide}: ${m ? `${m[1] ?? ''}${m[2]}` : code.split('\n')[0]}`, () => {
      assert.ok(m, `the line before a \`\`\`ts block names its file, got: ${marker}`);
      const source = fs.readFileSync(path.join(root, m[2]), 'utf8');
      const lines = (t) =>
        t
          .split('\n')
          .map((l) => l.trim())
          .join('\n');
      if (m[1]) assert.ok(lines(source).includes(lines(code)), `not lines of ${m[2]}:\n${code}`);
      else assert.equal(code, source);
    });
  }
}
