#!/usr/bin/env node
// Generates docs/name-map.md, the Python-to-TypeScript name map, from the code: the names each
// package exports from src/index.ts, and the `Python parity:` line of each one's TSDoc (and of
// the public members of exported classes).
// Usage: node tools/name-map.mjs [--write | --check] [repoRoot]
//   (no flag)  print the map on stdout
//   --write    write docs/name-map.md
//   --check    exit 1 if docs/name-map.md is not what --write would write, or if an exported
//              name has no TSDoc
// It parses with the TypeScript compiler API (typescript 6.0.x is pinned for such tools, see
// TOOLING.md) and formats with prettier's API, so the output always passes `prettier --check`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as prettier from 'prettier';
import { ALLOWED } from './check-layers.mjs';

/** Package names bottom to top (ARCHITECTURE.md): the layer table lists them in that order. */
export const LAYER_ORDER = [...ALLOWED.keys()];

const OUTPUT = 'docs/name-map.md';

// ---------------------------------------------------------------------------------------------
// Reading modules

const parsed = new Map();

function sourceFile(file) {
  let sf = parsed.get(file);
  if (sf === undefined) {
    sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    parsed.set(file, sf);
  }
  return sf;
}

/** Maps a relative specifier ('./x.js') to the TypeScript source file it stands for. */
function resolveSpecifier(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(fromFile), spec);
  const stem = base.replace(/\.[mc]?js$/, '');
  const candidates = [`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.d.ts`, base];
  candidates.push(path.join(base, 'index.ts'));
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
}

const hasModifier = (node, kind) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

/** The names a top-level statement declares, with the node that carries their TSDoc. */
function declaredNames(stmt) {
  if (ts.isVariableStatement(stmt)) {
    return stmt.declarationList.declarations
      .filter((d) => ts.isIdentifier(d.name))
      .map((d) => ({ name: d.name.text, node: stmt, kind: varKind(stmt) }));
  }
  const kinds = [
    [ts.isFunctionDeclaration, 'function'],
    [ts.isClassDeclaration, 'class'],
    [ts.isInterfaceDeclaration, 'interface'],
    [ts.isTypeAliasDeclaration, 'type'],
    [ts.isEnumDeclaration, 'enum'],
    [ts.isModuleDeclaration, 'namespace'],
  ];
  for (const [is, kind] of kinds) {
    if (is(stmt) && stmt.name !== undefined && !ts.isStringLiteral(stmt.name)) {
      return [{ name: stmt.name.text, node: stmt, kind }];
    }
  }
  return [];
}

function varKind(stmt) {
  const flags = stmt.declarationList.flags;
  if (flags & ts.NodeFlags.Const) return 'const';
  if (flags & ts.NodeFlags.Let) return 'let';
  return 'var';
}

/**
 * Finds what `name` means at the top level of `file`: its local declarations (several for
 * overloads and merged declarations), following imports and re-exports.
 * @returns {{file: string, decls: {node: ts.Node, kind: string}[]} | {external: string} | null}
 */
function resolveLocal(file, name, depth = 0) {
  if (depth > 20) return null;
  const sf = sourceFile(file);
  const decls = [];
  for (const stmt of sf.statements) {
    for (const d of declaredNames(stmt)) if (d.name === name) decls.push(d);
  }
  if (decls.length > 0) return { file, decls };
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt) || stmt.importClause === undefined) continue;
    const spec = stmt.moduleSpecifier.text;
    const bindings = stmt.importClause.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const el of bindings.elements) {
      if (el.name.text !== name) continue;
      const imported = (el.propertyName ?? el.name).text;
      const target = resolveSpecifier(file, spec);
      if (target === null) return { external: spec };
      return resolveExport(target, imported, depth + 1);
    }
  }
  return null;
}

/** Finds the declaration behind the export `name` of module `file`. */
function resolveExport(file, name, depth = 0) {
  if (depth > 20) return null;
  const exported = moduleExports(file, depth);
  const entry = exported.get(name);
  return entry === undefined ? null : entry();
}

/** The export names of a module, each with a thunk that resolves its declaration. */
function moduleExports(file, depth = 0) {
  const sf = sourceFile(file);
  const out = new Map();
  const starExternal = [];
  out.starExternal = starExternal;
  for (const stmt of sf.statements) {
    if (ts.isExportDeclaration(stmt)) {
      const spec =
        stmt.moduleSpecifier && ts.isStringLiteral(stmt.moduleSpecifier)
          ? stmt.moduleSpecifier.text
          : null;
      const target = spec === null ? null : resolveSpecifier(file, spec);
      const clause = stmt.exportClause;
      if (clause === undefined) {
        // export * from '...'
        if (target !== null) {
          for (const [n, thunk] of moduleExports(target, depth + 1)) {
            if (n !== 'default' && !out.has(n)) out.set(n, thunk);
          }
        } else if (spec !== null) {
          starExternal.push(spec); // export * from another package: listed under that package
        }
      } else if (ts.isNamespaceExport(clause)) {
        out.set(clause.name.text, () => ({ file, decls: [{ node: stmt, kind: 'namespace' }] }));
      } else {
        for (const el of clause.elements) {
          const local = (el.propertyName ?? el.name).text;
          out.set(el.name.text, () => {
            if (spec === null) return resolveLocal(file, local, depth + 1);
            if (target === null) return { external: spec };
            return resolveExport(target, local, depth + 1);
          });
        }
      }
    } else if (hasModifier(stmt, ts.SyntaxKind.ExportKeyword)) {
      const isDefault = hasModifier(stmt, ts.SyntaxKind.DefaultKeyword);
      for (const d of declaredNames(stmt)) {
        const n = isDefault ? 'default' : d.name;
        if (!out.has(n)) out.set(n, () => resolveLocal(file, d.name, depth + 1));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// TSDoc

/** The TSDoc block directly above `node` (its last leading comment, if that is a `/**`). */
function tsdocOf(node) {
  const sf = node.getSourceFile();
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  const last = ranges[ranges.length - 1];
  if (last === undefined || last.kind !== ts.SyntaxKind.MultiLineCommentTrivia) return null;
  const raw = sf.text.slice(last.pos, last.end);
  if (!raw.startsWith('/**') || raw === '/**/') return null;
  return raw
    .slice(3, -2)
    .split('\n')
    .map((l) => l.replace(/^\s*\*? ?/, ''))
    .join('\n')
    .trim();
}

/** The text after `Python parity:` up to the end of its paragraph, on one line. */
export function parityOf(doc) {
  if (doc === null) return null;
  const m = /Python parity:[ \t]*/.exec(doc);
  if (m === null) return null;
  let rest = doc.slice(m.index + m[0].length);
  const stop = rest.search(/\n[ \t]*\n|\n[ \t]*@[A-Za-z]/);
  if (stop >= 0) rest = rest.slice(0, stop);
  return rest.replace(/\s+/g, ' ').trim();
}

const isInternal = (doc) => doc !== null && /(^|\s)@internal\b/.test(doc);
const hasPythonName = (parity) => parity !== null && /`[^`]+`/.test(parity);

/** The first backticked name, which the table is sorted by. */
function sortKey(parity) {
  const m = /`([^`]+)`/.exec(parity);
  return (m ? m[1] : parity).toLowerCase();
}

function memberName(member, sf) {
  const name = member.name;
  if (name === undefined) return null;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) {
    return { text: name.text, dotted: true };
  }
  if (ts.isComputedPropertyName(name)) return { text: name.getText(sf), dotted: false };
  return null; // #private
}

/**
 * Public members of a class whose TSDoc names a Python counterpart, including those inherited
 * from base classes that the package does not export (internal bases, like the loop's
 * `LoopServices`): exported bases have rows of their own. A member a subclass overrides is
 * listed once, from the subclass.
 */
function classMembers(cls, className, exportedNames, seen = new Set(), depth = 0) {
  const sf = cls.getSourceFile();
  const rows = [];
  const consider = (node, label) => {
    if (seen.has(label)) return;
    const doc = tsdocOf(node);
    if (isInternal(doc)) return;
    const parity = parityOf(doc);
    if (!hasPythonName(parity)) return;
    seen.add(label);
    rows.push({ ts: label, parity });
  };
  for (const member of cls.members) {
    if (
      hasModifier(member, ts.SyntaxKind.PrivateKeyword) ||
      hasModifier(member, ts.SyntaxKind.ProtectedKeyword)
    ) {
      continue;
    }
    if (ts.isConstructorDeclaration(member)) {
      consider(member, `new ${className}()`);
      for (const p of member.parameters) {
        const isProperty =
          hasModifier(p, ts.SyntaxKind.PublicKeyword) ||
          hasModifier(p, ts.SyntaxKind.ReadonlyKeyword);
        if (isProperty && ts.isIdentifier(p.name)) consider(p, `${className}.${p.name.text}`);
      }
      continue;
    }
    const isMember =
      ts.isMethodDeclaration(member) ||
      ts.isGetAccessorDeclaration(member) ||
      ts.isSetAccessorDeclaration(member) ||
      ts.isPropertyDeclaration(member);
    if (!isMember) continue;
    const name = memberName(member, sf);
    if (name === null) continue;
    consider(member, name.dotted ? `${className}.${name.text}` : `${className}${name.text}`);
  }
  if (depth > 10) return rows;
  for (const clause of cls.heritageClauses ?? []) {
    if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
    for (const type of clause.types) {
      if (!ts.isIdentifier(type.expression) || exportedNames.has(type.expression.text)) continue;
      const found = resolveLocal(sf.fileName, type.expression.text);
      if (found === null || 'external' in found) continue;
      for (const d of found.decls) {
        if (!ts.isClassDeclaration(d.node)) continue;
        rows.push(...classMembers(d.node, className, exportedNames, seen, depth + 1));
      }
    }
  }
  return rows;
}

/** The names a package index exports (its own declarations and re-exports alike). */
function exportedNamesOf(exportsOfIndex) {
  return new Set(exportsOfIndex.keys());
}

// ---------------------------------------------------------------------------------------------
// Collecting the map

export function collect(root) {
  parsed.clear();
  const packagesDir = path.join(root, 'packages');
  const pkgs = [];
  for (const d of fs.existsSync(packagesDir) ? fs.readdirSync(packagesDir) : []) {
    const manifest = path.join(packagesDir, d, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const name = JSON.parse(fs.readFileSync(manifest, 'utf8')).name ?? d;
    pkgs.push({ name, dir: path.join(packagesDir, d) });
  }
  const rank = (n) => (LAYER_ORDER.includes(n) ? LAYER_ORDER.indexOf(n) : LAYER_ORDER.length);
  pkgs.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));

  const map = {
    python: [],
    noPython: [],
    hooks: [],
    noDoc: [],
    unresolved: [],
    reexports: [],
    scanned: [],
    skipped: [],
  };
  for (const pkg of pkgs) {
    const index = path.join(pkg.dir, 'src', 'index.ts');
    if (!fs.existsSync(index)) {
      map.skipped.push(pkg.name);
      continue;
    }
    let count = 0;
    const external = new Map();
    const exportsOfIndex = moduleExports(index);
    for (const spec of exportsOfIndex.starExternal) external.set(spec, 'all');
    for (const [exported, thunk] of exportsOfIndex) {
      const found = thunk();
      if (found === null) {
        map.unresolved.push({ ts: exported, pkg: pkg.name });
        continue;
      }
      if ('external' in found) {
        const seen = external.get(found.external) ?? 0;
        if (seen !== 'all') external.set(found.external, seen + 1);
        continue;
      }
      count++;
      const docs = found.decls.map((d) => tsdocOf(d.node));
      const kind = found.decls[0].kind;
      const doc = docs.find((d) => parityOf(d) !== null) ?? docs.find((d) => d !== null) ?? null;
      const where = path.relative(root, found.file).split(path.sep).join('/');
      const row = { ts: exported, pkg: pkg.name, kind, parity: parityOf(doc), where };
      if (doc === null) map.noDoc.push(row);
      if (exported.startsWith('_')) map.hooks.push(row);
      else if (hasPythonName(row.parity)) map.python.push(row);
      else if (doc !== null) map.noPython.push(row);
      for (const d of found.decls) {
        if (!ts.isClassDeclaration(d.node)) continue;
        for (const m of classMembers(d.node, exported, exportedNamesOf(exportsOfIndex))) {
          const memberRow = { ts: m.ts, pkg: pkg.name, kind: 'member', parity: m.parity, where };
          const short = m.ts.slice(exported.length + 1);
          (short.startsWith('_') ? map.hooks : map.python).push(memberRow);
        }
      }
    }
    map.scanned.push({ name: pkg.name, count });
    for (const [spec, n] of [...external].sort()) map.reexports.push({ pkg: pkg.name, spec, n });
  }
  const byPython = (a, b) =>
    sortKey(a.parity).localeCompare(sortKey(b.parity), 'en') || a.ts.localeCompare(b.ts, 'en');
  const byName = (a, b) => a.ts.localeCompare(b.ts, 'en') || a.pkg.localeCompare(b.pkg, 'en');
  map.python.sort(byPython);
  map.noPython.sort(byName);
  map.hooks.sort(byName);
  map.noDoc.sort(byName);
  return map;
}

// ---------------------------------------------------------------------------------------------
// Markdown

const cell = (s) => s.replace(/\|/g, '\\|');
const code = (s) => `\`${s}\``;

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

export function render(map) {
  const out = [];
  out.push(
    '<!-- Generated by tools/name-map.mjs from the TSDoc of every exported name. Do not edit: run `npm run name-map`. -->',
    '',
    '# Python-to-TypeScript name map',
    '',
    'Every public tsio name with its asyncio (Python 3.13) counterpart, as stated by the',
    '`Python parity:` line of its TSDoc. Class members are listed as `Class.member`. The naming',
    'rule is in the architecture notes ("Naming"); deliberate differences are in',
    '[python-differences.md](python-differences.md).',
    '',
  );
  const scanned = map.scanned.map((p) => `${code(p.name)} (${p.count})`).join(', ');
  out.push(`Packages, bottom to top, with their number of exported names: ${scanned || 'none'}.`);
  if (map.skipped.length > 0) {
    out.push(`Not scanned yet (no \`src/index.ts\`): ${map.skipped.map(code).join(', ')}.`);
  }
  for (const r of map.reexports) {
    const what = r.n === 'all' ? 'every name' : `${r.n} name(s)`;
    out.push(`${code(r.pkg)} also re-exports ${what} from ${code(r.spec)}, listed there.`);
  }
  out.push('', '## Python names', '');
  out.push(
    map.python.length === 0
      ? 'None yet.'
      : table(
          ['Python (asyncio 3.13)', 'TypeScript', 'package'],
          map.python.map((r) => [r.parity, code(r.ts), code(r.pkg)]),
        ),
  );
  out.push('', '## Public names without a Python counterpart', '');
  out.push(
    map.noPython.length === 0
      ? 'None.'
      : table(
          ['TypeScript', 'kind', 'package', 'note'],
          map.noPython.map((r) => [code(r.ts), r.kind, code(r.pkg), r.parity ?? '']),
        ),
  );
  out.push('', '## Low-level hooks', '');
  out.push(
    'Names beginning with `_` are for implementers of loops, tasks and policies, not for',
    'application code.',
    '',
  );
  out.push(
    map.hooks.length === 0
      ? 'None.'
      : table(
          ['TypeScript', 'Python', 'package'],
          map.hooks.map((r) => [code(r.ts), r.parity ?? '', code(r.pkg)]),
        ),
  );
  out.push('', '## Exported names without TSDoc', '');
  out.push(
    map.noDoc.length === 0
      ? 'None.'
      : table(
          ['TypeScript', 'kind', 'package', 'declared in'],
          map.noDoc.map((r) => [code(r.ts), r.kind, code(r.pkg), code(r.where)]),
        ),
  );
  if (map.unresolved.length > 0) {
    out.push('', '## Exports whose declaration was not found', '');
    out.push(
      table(
        ['TypeScript', 'package'],
        map.unresolved.map((r) => [code(r.ts), code(r.pkg)]),
      ),
    );
  }
  return out.join('\n') + '\n';
}

export async function generate(root) {
  const map = collect(root);
  const target = path.join(root, OUTPUT);
  const options = (await prettier.resolveConfig(target)) ?? {};
  const text = await prettier.format(render(map), {
    ...options,
    filepath: target,
    parser: 'markdown',
  });
  return { map, text, target };
}

function firstDifference(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i])
      return { line: i + 1, old: x[i] ?? '(end of file)', new: y[i] ?? '(end of file)' };
  }
  return null;
}

async function main(argv) {
  const flags = argv.filter((a) => a.startsWith('--'));
  const unknown = flags.filter((f) => f !== '--write' && f !== '--check');
  if (unknown.length > 0) {
    console.error(`name-map: unknown option ${unknown[0]}; use --write or --check`);
    return 2;
  }
  const positional = argv.filter((a) => !a.startsWith('--'));
  const root = path.resolve(
    positional[0] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
  );
  const { map, text, target } = await generate(root);
  const noDoc = map.noDoc.map((r) => `  ${r.pkg}: ${r.ts} (${r.kind} in ${r.where})`);
  if (flags.includes('--write')) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    console.log(
      `name-map: wrote ${OUTPUT} (${map.python.length} Python names, ${map.noPython.length} without, ${map.hooks.length} hooks)`,
    );
    if (noDoc.length > 0)
      console.log(`name-map: warning: exported names without TSDoc:\n${noDoc.join('\n')}`);
    return 0;
  }
  if (flags.includes('--check')) {
    let rc = 0;
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (current === null) {
      console.log(`name-map: ${OUTPUT} is missing; run \`npm run name-map\` to create it`);
      rc = 1;
    } else if (current !== text) {
      const d = firstDifference(current, text);
      console.log(
        `name-map: ${OUTPUT} is out of date; run \`npm run name-map\` and commit the result`,
      );
      console.log(`  first difference at line ${d.line}:\n  - ${d.old}\n  + ${d.new}`);
      rc = 1;
    }
    if (noDoc.length > 0) {
      console.log(
        `name-map: exported names without TSDoc (every public name needs one):\n${noDoc.join('\n')}`,
      );
      rc = 1;
    }
    if (rc === 0) {
      console.log(
        `name-map: OK (${OUTPUT} is up to date; ${map.python.length} Python names, every export documented)`,
      );
    }
    return rc;
  }
  process.stdout.write(text);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
