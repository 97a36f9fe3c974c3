// Type-checks every ```ts block of the `@example` tags in packages/*/src, as a reader would
// use it: against the packages' built declaration files (run `npx nx run-many -t build`
// first), in strict mode, with the public names it uses imported.
//
//   node tools/docs/check-tsdoc-examples.mjs
//
// Options for the tests: --root DIR (a folder with packages/*), --prelude FILE ('' for none).
//
// Each example becomes its own ES module (so top-level `await` works), in which:
// - every public name the example mentions and does not declare itself is imported from its
//   own package first, then from `tsio`, then from any other published package;
// - the prelude (tools/docs/example-prelude.d.ts) declares the few placeholders examples
//   lean on without defining (`loop`, a `work()` to run, ...), each with a real tsio type.
// An example may declare what else it assumes in its first lines (`declare const url: string;`).
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { publishedPackages } from './packages.mjs';
import { extractExamples, sourceFiles } from './tsdoc-examples.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

const { values: args } = parseArgs({
  options: {
    root: { type: 'string', default: repo },
    prelude: { type: 'string', default: path.join(here, 'example-prelude.d.ts') },
  },
});
const root = path.resolve(args.root);
const prelude = args.prelude === '' ? null : path.resolve(args.prelude);
const rel = (file) => path.relative(process.cwd(), file) || '.';

function fail(message) {
  console.error(`check-tsdoc-examples: ${message}`);
  process.exit(1);
}

// Each package is resolved to the declaration file it publishes, as a user's compiler sees it
// (not to its sources through the `@tsio/source` condition).
const packages = publishedPackages(root).map((pkg) => {
  const main = pkg.manifest.exports?.['.'];
  const types = (typeof main === 'object' ? main?.types : undefined) ?? pkg.manifest.types;
  if (typeof types !== 'string') fail(`${pkg.name} declares no "types" for "."`);
  const typesFile = path.join(pkg.dir, types);
  if (!fs.existsSync(typesFile)) {
    fail(`${rel(typesFile)} is missing: build the packages first (npx nx run-many -t build)`);
  }
  return { ...pkg, typesFile };
});
if (packages.length === 0) fail(`no published package under ${rel(path.join(root, 'packages'))}`);

// The repository's compiler options, minus what only concerns emitting the packages.
const base = ts.getParsedCommandLineOfConfigFile(
  path.join(repo, 'tsconfig.base.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) =>
      fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  },
);
const options = {
  ...base.options,
  noEmit: true,
  declaration: false,
  declarationMap: false,
  sourceMap: false,
  // Examples import whole names without `import type`; nothing is emitted from them.
  verbatimModuleSyntax: false,
  isolatedModules: false,
  customConditions: [],
  // Examples of @tsio/testing are jest tests: `test` and `expect` are in scope there.
  types: [...(base.options.types ?? []), 'jest'],
  paths: Object.fromEntries(packages.map((p) => [p.name, [p.typesFile]])),
};
delete options.composite;
delete options.tsBuildInfoFile;

// 1. The public names of every package.
const host = ts.createCompilerHost(options);
const namesProgram = ts.createProgram(
  packages.map((p) => p.typesFile),
  options,
  host,
);
const checker = namesProgram.getTypeChecker();
for (const pkg of packages) {
  const sf = namesProgram.getSourceFile(pkg.typesFile);
  const symbol = sf && checker.getSymbolAtLocation(sf);
  pkg.exports = new Set(symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : []);
}
const meta = packages.find((p) => p.name === 'tsio');
const lookupOrder = (own) => [
  own,
  ...(meta && meta !== own ? [meta] : []),
  ...packages.filter((p) => p !== own && p !== meta),
];

/** Names an example declares at its top level (which must not be imported over). */
function declaredNames(sf) {
  const names = new Set();
  const addBinding = (name) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st))
      st.declarationList.declarations.forEach((d) => addBinding(d.name));
    else if (
      (ts.isFunctionDeclaration(st) ||
        ts.isClassDeclaration(st) ||
        ts.isInterfaceDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) ||
        ts.isEnumDeclaration(st) ||
        ts.isModuleDeclaration(st)) &&
      st.name
    ) {
      names.add(st.name.text);
    } else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) names.add(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings))
        names.add(c.namedBindings.name.text);
      else c.namedBindings?.elements.forEach((e) => names.add(e.name.text));
    }
  }
  return names;
}

/** Identifiers an example mentions as names (not as `x.name` or `{ name: ... }` keys). */
function mentionedNames(sf) {
  const names = new Set();
  const visit = (node) => {
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const isKey =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        (ts.isPropertyAssignment(p) && p.name === node) ||
        (ts.isMethodDeclaration(p) && p.name === node) ||
        (ts.isPropertyDeclaration(p) && p.name === node) ||
        (ts.isPropertySignature(p) && p.name === node);
      if (!isKey) names.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}

// 2. Every example as a module of its own, in a folder that does not exist on disk.
const virtualDir = path.join(root, '.tsdoc-examples');
const virtual = new Map(); // file name -> { text, example, header }
for (const pkg of packages) {
  for (const file of sourceFiles(path.join(pkg.dir, 'src'))) {
    for (const example of extractExamples(file, fs.readFileSync(file, 'utf8'))) {
      const parsed = ts.createSourceFile('x.mts', example.code, ts.ScriptTarget.Latest, true);
      const own = declaredNames(parsed);
      const wanted = [...mentionedNames(parsed)].filter((n) => !own.has(n)).sort();
      const imports = new Map(); // package name -> names
      for (const name of wanted) {
        const from = lookupOrder(pkg).find((p) => p.exports.has(name));
        if (!from) continue;
        if (!imports.has(from.name)) imports.set(from.name, []);
        imports.get(from.name).push(name);
      }
      const header = [...imports].map(
        ([from, names]) => `import { ${names.join(', ')} } from '${from}';`,
      );
      const base = path.relative(root, file).replace(/[\\/]/g, '__').replace(/\.ts$/, '');
      const name = path.join(virtualDir, `${base}.L${example.line}.mts`);
      virtual.set(name, {
        text: [...header, example.code, 'export {};', ''].join('\n'),
        example,
        header,
      });
    }
  }
}

const readVirtual = (f) => virtual.get(path.resolve(f))?.text;
const checkHost = {
  ...host,
  fileExists: (f) => virtual.has(path.resolve(f)) || host.fileExists(f),
  readFile: (f) => readVirtual(f) ?? host.readFile(f),
  getSourceFile: (f, lang, onError, fresh) => {
    const text = readVirtual(f);
    if (text === undefined) return host.getSourceFile(f, lang, onError, fresh);
    return ts.createSourceFile(f, text, lang, true);
  },
};
const roots = [...virtual.keys(), ...(prelude ? [prelude] : [])];
const program = ts.createProgram({
  rootNames: roots,
  options,
  host: checkHost,
  oldProgram: namesProgram,
});

// 3. Diagnostics, reported at the example's line in its source file.
const failures = [];
const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
for (const d of global)
  failures.push(`error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
if (prelude) {
  for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(prelude))) {
    const where =
      d.file && d.start !== undefined
        ? `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
        : '';
    failures.push(
      `${rel(prelude)}${where}: error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
  }
}
const failedExamples = new Set();
for (const [name, { example, header }] of virtual) {
  const sf = program.getSourceFile(name);
  for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
    const pos =
      d.start === undefined
        ? { line: header.length, character: 0 }
        : sf.getLineAndCharacterOfPosition(d.start);
    const line = example.line + Math.max(0, pos.line - header.length);
    failures.push(
      `${rel(example.file)}:${line}: error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
    failedExamples.add(name);
  }
}

for (const f of failures) console.error(f);
const summary = `${virtual.size} examples in ${packages.length} packages, ${failedExamples.size} do not compile`;
if (failures.length > 0) fail(summary);
console.log(`check-tsdoc-examples: ${summary}`);
