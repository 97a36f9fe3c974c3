// Builds the API reference of every published package from its TSDoc, and fails when a
// public name has no documentation.
//
//   node tools/docs/build-api.mjs            validates, then writes docs/api/ (HTML; generated,
//                                            not committed); what `npm run docs` and CI run
//   node tools/docs/build-api.mjs --check    validates only and writes nothing (a few seconds
//                                            faster; the README's links are still checked)
//
// Validation fails on any TypeDoc warning: a public name without TSDoc, a broken {@link} or
// relative link, a public type that is not exported.
//
// Options for the tests: --root DIR (a folder with packages/*), --tsconfig FILE, --out DIR.
//
// One TypeScript program holds every package (entryPointStrategy "resolve"), so a name that
// the `tsio` meta-package re-exports is documented once, in the package that declares it,
// and the `tsio` page links to it. TypeDoc names each module after its path (`core/src`); the
// hook below renames it to the package name (`@tsio/core`). Sources resolve through the
// `@tsio/source` condition, so no build is needed first.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  Application,
  Converter,
  LogLevel,
  MinimalSourceFile,
  ReflectionKind,
  TSConfigReader,
} from 'typedoc';
import { publishedPackages } from './packages.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values: args } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    root: { type: 'string', default: repo },
    tsconfig: { type: 'string' },
    out: { type: 'string' },
  },
});
const root = path.resolve(args.root);
const tsconfig = path.resolve(args.tsconfig ?? path.join(repo, 'tools/docs/tsconfig.json'));
const out = path.resolve(args.out ?? path.join(root, 'docs/api'));

const packages = publishedPackages(root);
if (packages.length === 0) {
  console.error(`build-api: no published package under ${path.join(root, 'packages')}`);
  process.exit(1);
}

const app = await Application.bootstrapWithPlugins(
  {
    name: 'tsio',
    entryPointStrategy: 'resolve',
    entryPoints: packages.map((p) => p.entry),
    displayBasePath: path.join(root, 'packages'),
    tsconfig,
    out,
    // A module per package even when there is one, so that names and URLs never change shape.
    alwaysCreateEntryPointModule: true,
    readme: fs.existsSync(path.join(root, 'README.md')) ? path.join(root, 'README.md') : 'none',
    // `@internal` members are the packages' own plumbing (underscore fields read across files).
    excludeInternal: true,
    excludePrivate: true,
    // Protected members stay: they are the extension API of BaseEventLoop and the transports.
    excludeProtected: false,
    // The repository has no fixed remote, so there is nothing to link sources to.
    disableSources: true,
    highlightLanguages: ['ts', 'typescript', 'js', 'javascript', 'json', 'sh', 'bash', 'python'],
    validation: { notExported: true, notDocumented: true, invalidLink: true },
    // TypeDoc checks documentation only for the packages listed here (by default the root
    // package.json, which declares nothing), so every published package is listed.
    packagesRequiringDocumentation: packages.map((p) => p.name),
    treatWarningsAsErrors: true,
    logLevel: LogLevel.Warn,
  },
  // Only the tsconfig is read: every TypeDoc option is above, none comes from elsewhere.
  [new TSConfigReader()],
);

// Each module is named after its package (TypeDoc says `core/src`, the entry's folder relative
// to packages/) and opens with the package's README, as its page on the registry does.
const byPath = new Map(packages.map((p) => [`${p.folder}/src`, p]));
app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
  if (!reflection.kindOf(ReflectionKind.Module)) return;
  const pkg = byPath.get(reflection.name);
  if (pkg === undefined) return;
  reflection.name = pkg.name;
  if (pkg.readme !== null) {
    const file = new MinimalSourceFile(fs.readFileSync(pkg.readme, 'utf8'), pkg.readme);
    reflection.readme = app.converter.parseRawComment(file, context.project.files).content;
  }
});

const project = await app.convert();
if (!project) {
  console.error('build-api: TypeDoc could not convert the packages (errors above)');
  process.exit(1);
}
app.validate(project);
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error(
    'build-api: fix the warnings above (a public name without TSDoc, a broken {@link} or ' +
      'relative link, a public type that is not exported)',
  );
  process.exit(1);
}
if (args.check) {
  console.log(`build-api: ${packages.length} packages, every public name documented`);
} else {
  await app.generateOutputs(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) process.exit(1);
  console.log(
    `build-api: ${packages.length} packages -> ${path.relative(process.cwd(), out) || '.'}`,
  );
}
