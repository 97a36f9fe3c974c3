// The static half of tools/pack-check: the publishable packages' manifests have the shape the
// packed install relies on, and the dependency closure that picks each scratch project's
// tarballs is right. (The packing, linting and installing run in tools/pack-check/run.mjs.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { dependencyClosure, publishablePackages, repoRoot } from '../pack-check/lib/packages.mjs';

const packages = publishablePackages();
const manifest = (p) =>
  JSON.parse(fs.readFileSync(path.join(repoRoot, p.dir, 'package.json'), 'utf8'));

test('the publishable packages include the three install entry points', () => {
  const names = packages.map((p) => p.name);
  for (const name of ['@tsio/event-loop', '@tsio/policies', 'tsio'])
    assert.ok(names.includes(name), name);
});

test('@tsio/event-loop alone brings core, futures and transports', () => {
  const names = dependencyClosure(packages, ['@tsio/event-loop']).map((p) => p.name);
  assert.deepEqual(names.sort(), [
    '@tsio/core',
    '@tsio/event-loop',
    '@tsio/futures',
    '@tsio/transports',
  ]);
});

test('dependencyClosure follows dependencies once and rejects unknown names', () => {
  const fake = [
    { name: 'a', dir: 'a', dependencies: { b: '^1.0.0', 'left-pad': '^1.0.0' } },
    { name: 'b', dir: 'b', dependencies: { a: '^1.0.0' } },
    { name: 'c', dir: 'c', dependencies: {} },
  ];
  assert.deepEqual(
    dependencyClosure(fake, ['a']).map((p) => p.name),
    ['a', 'b'],
  );
  assert.throws(() => dependencyClosure(fake, ['d']), /d is not a publishable package/);
});

for (const p of packages) {
  test(`${p.name}: manifest fit for npm pack and an offline install`, () => {
    const m = manifest(p);
    assert.equal(m.type, 'module');
    assert.ok(Array.isArray(m.files) && m.files.includes('dist'), 'files ships dist');
    const root = m.exports?.['.'];
    assert.ok(root && typeof root === 'object', 'exports has a "." entry');
    const conditions = Object.keys(root);
    // TypeScript takes the first matching condition: types must come before default.
    assert.ok(conditions.indexOf('types') < conditions.indexOf('default'), 'types before default');
    assert.equal(m.exports['./internal/*'], null, 'deep imports of internals are blocked');
    if (m.main !== undefined) assert.equal(m.main, root.default, 'main is the default export');
    if (m.types !== undefined) assert.equal(m.types, root.types, 'types is the types export');
    if (m.name.startsWith('@'))
      assert.equal(m.publishConfig?.access, 'public', 'scoped and public');
    for (const [dep, range] of Object.entries(m.dependencies ?? {})) {
      // A workspace:, file: or link: range would be published as is and fail to install.
      assert.match(range, /^[\^~]?\d+\.\d+\.\d+$/, `${dep} has a registry range`);
    }
  });
}
