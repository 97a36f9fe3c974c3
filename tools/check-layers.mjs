#!/usr/bin/env node
// Checks tsio's layering rules (ARCHITECTURE.md "Packages"):
//   (a) each packages/*/package.json depends on @tsio/* / tsio only as the layer table allows,
//       and its tsconfig.build.json `references` list exactly those workspace dependencies;
//   (b) every import / export-from / dynamic import in packages/*/src/**/*.ts of a tsio package
//       is declared in the package's dependencies and is a bare package import (no deep
//       imports); relative imports stay inside the package's own folder;
//   (c) no import cycles among the source files of a package (type-only imports, erased at
//       compile time, are left out),
//       and none among packages.
// Usage: node tools/check-layers.mjs [repoRoot]    (exit 1 on any violation)
// Plain Node ESM on purpose: it must run before `npm ci` has finished, with no dependencies.
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The layer table: package name -> the tsio packages it may depend on. */
export const ALLOWED = new Map([
  ['@tsio/core', []],
  ['@tsio/futures', ['@tsio/core']],
  ['@tsio/transports', ['@tsio/core', '@tsio/futures']],
  ['@tsio/event-loop', ['@tsio/core', '@tsio/futures', '@tsio/transports']],
  ['@tsio/policies', ['@tsio/core', '@tsio/futures', '@tsio/event-loop']],
  ['@tsio/sync', ['@tsio/core', '@tsio/futures']],
  ['@tsio/queues', ['@tsio/core', '@tsio/futures', '@tsio/sync']],
  ['@tsio/streams', ['@tsio/core', '@tsio/futures', '@tsio/transports']],
  ['@tsio/testing', ['@tsio/core', '@tsio/futures', '@tsio/event-loop']],
  [
    'tsio',
    [
      '@tsio/core',
      '@tsio/futures',
      '@tsio/transports',
      '@tsio/event-loop',
      '@tsio/policies',
      '@tsio/sync',
      '@tsio/queues',
      '@tsio/streams',
      '@tsio/testing',
    ],
  ],
]);

const SOURCE_EXT = /\.(?:ts|tsx|mts|cts)$/;
const BUILTINS = new Set(builtinModules);

const isTsioName = (name) => name === 'tsio' || name.startsWith('@tsio/');

/** Splits a bare specifier into its package name and the rest ('' when none). */
function splitBare(spec) {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, n).join('/'), subpath: parts.slice(n).join('/') };
}

// ---------------------------------------------------------------------------------------------
// A small tokenizer: enough of TypeScript's lexical grammar to find module specifiers without
// being fooled by comments, strings, template literals or regular expressions.

const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);
const ID_START = /[\p{ID_Start}$_]/u;
const ID_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

export function tokenize(src) {
  const toks = [];
  const stack = []; // '{' for a plain brace, '${' for a template substitution
  let i = 0;
  let line = 1;
  const n = src.length;

  const regexAllowed = () => {
    const p = toks[toks.length - 1];
    if (!p) return true;
    if (p.t === 'punct') return p.v !== ')' && p.v !== ']' && p.v !== '}';
    if (p.t === 'id') return REGEX_AFTER_WORD.has(p.v);
    return false;
  };

  // Reads template characters from i until the closing backtick or a `${`.
  const readTemplate = (startLine, head) => {
    let text = '';
    while (i < n) {
      const c = src[i];
      if (c === '\\') {
        text += src.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === '`') {
        i++;
        toks.push({ t: 'tpl', v: text, whole: head, line: startLine });
        return;
      }
      if (c === '$' && src[i + 1] === '{') {
        i += 2;
        toks.push({ t: 'tpl', v: text, whole: false, line: startLine });
        stack.push('${');
        return;
      }
      if (c === '\n') line++;
      text += c;
      i++;
    }
  };

  while (i < n) {
    const c = src[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (
      c === ' ' ||
      c === '\t' ||
      c === '\r' ||
      c === '\f' ||
      c === '\v' ||
      c === '\ufeff'
    ) {
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === '\n') line++;
      i = stop;
    } else if (c === '"' || c === "'") {
      const startLine = line;
      let text = '';
      i++;
      while (i < n && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') {
          text += src[i + 1] ?? '';
          i += 2;
        } else {
          text += src[i++];
        }
      }
      i++;
      toks.push({ t: 'str', v: text, line: startLine });
    } else if (c === '`') {
      i++;
      readTemplate(line, true);
    } else if (c === '{') {
      stack.push('{');
      toks.push({ t: 'punct', v: c, line });
      i++;
    } else if (c === '}') {
      const top = stack.pop();
      i++;
      if (top === '${') readTemplate(line, false);
      else toks.push({ t: 'punct', v: c, line });
    } else if (ID_START.test(c) || c === '\\') {
      let j = i + 1;
      while (j < n && (ID_PART.test(src[j]) || src[j] === '\\')) j++;
      toks.push({ t: 'id', v: src.slice(i, j), line });
      i = j;
    } else if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(src[j])) j++;
      toks.push({ t: 'num', v: src.slice(i, j), line });
      i = j;
    } else if (c === '/' && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < n && src[j] !== '\n') {
        const d = src[j];
        if (d === '\\') j++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        j++;
      }
      j++;
      while (j < n && ID_PART.test(src[j])) j++;
      toks.push({ t: 'regex', v: src.slice(i, j), line });
      i = j;
    } else {
      toks.push({ t: 'punct', v: c, line });
      i++;
    }
  }
  return toks;
}

const isPunct = (tok, v) => tok !== undefined && tok.t === 'punct' && tok.v === v;
const isWord = (tok, v) => tok !== undefined && tok.t === 'id' && tok.v === v;
const isLiteral = (tok) => tok !== undefined && (tok.t === 'str' || (tok.t === 'tpl' && tok.whole));

/**
 * Finds the module specifiers of a source file.
 * @returns {{spec: string|null, line: number, form: string}[]} spec null = non-literal import()
 */
export function findImports(src) {
  const toks = tokenize(src);
  const found = [];
  for (let k = 0; k < toks.length; k++) {
    const tok = toks[k];
    if (tok.t !== 'id' || isPunct(toks[k - 1], '.')) continue;
    const next = toks[k + 1];
    if (tok.v === 'import') {
      if (isPunct(next, '.')) continue; // import.meta
      if (isPunct(next, '(')) {
        const arg = toks[k + 2];
        found.push({ spec: isLiteral(arg) ? arg.v : null, line: tok.line, form: 'import()' });
        continue;
      }
      if (isLiteral(next)) {
        found.push({ spec: next.v, line: tok.line, form: 'import' });
        continue;
      }
      const typeOnly = isWord(next, 'type') && !isWord(toks[k + 2], 'from');
      for (let j = k + 1; j < toks.length && !isPunct(toks[j], ';'); j++) {
        if (isWord(toks[j], 'from') && isLiteral(toks[j + 1])) {
          found.push({
            spec: toks[j + 1].v,
            line: tok.line,
            form: typeOnly ? 'import type' : 'import',
          });
          break;
        }
        if (isWord(toks[j], 'require') && isPunct(toks[j + 1], '(') && isLiteral(toks[j + 2])) {
          found.push({ spec: toks[j + 2].v, line: tok.line, form: 'import = require' });
          break;
        }
        if (toks[j].t === 'id' && toks[j].v === 'import') break;
      }
    } else if (tok.v === 'export') {
      let j = k + 1;
      let form = 'export from';
      if (isWord(toks[j], 'type')) {
        j++;
        form = 'export type from';
      }
      if (isPunct(toks[j], '*')) {
        j++;
        if (isWord(toks[j], 'as')) j += 2;
      } else if (isPunct(toks[j], '{')) {
        while (j < toks.length && !isPunct(toks[j], '}')) j++;
        j++;
      } else {
        continue;
      }
      if (isWord(toks[j], 'from') && isLiteral(toks[j + 1])) {
        found.push({ spec: toks[j + 1].v, line: tok.line, form });
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Files and JSON

function readJson(file) {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    // tsconfig files may hold comments and trailing commas: drop them outside strings.
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        let j = i + 1;
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        out += text.slice(i, j + 1);
        i = j;
      } else if (c === '/' && text[i + 1] === '/') {
        while (i < text.length && text[i] !== '\n') i++;
        out += '\n';
      } else if (c === '/' && text[i + 1] === '*') {
        i = text.indexOf('*/', i + 2) + 1;
        if (i === 0) break;
      } else {
        out += c;
      }
    }
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
  }
}

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(full, out);
    } else if (SOURCE_EXT.test(entry.name)) {
      out.push(full);
    }
  }
  return out.sort();
}

const isFile = (p) => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/** Resolves a relative specifier the way `moduleResolution: nodenext` maps it to a source file. */
function resolveRelative(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  const m = /\.([mc]?)js$/.exec(base);
  let candidates;
  if (m) {
    const stem = base.slice(0, -m[0].length);
    const k = m[1];
    candidates = [`${stem}.${k}ts`, `${stem}.d.${k}ts`, `${stem}.${k}js`];
    if (k === '') candidates.splice(1, 0, `${stem}.tsx`);
  } else if (/\.(?:[mc]?tsx?|json)$/.test(base)) {
    candidates = [base];
  } else {
    candidates = [`${base}.ts`, `${base}.tsx`, `${base}.d.ts`, path.join(base, 'index.ts')];
  }
  return { target: base, file: candidates.find(isFile) ?? null };
}

// ---------------------------------------------------------------------------------------------
// Graphs

/** Tarjan's strongly connected components; returns the components that contain a cycle. */
function cyclicComponents(nodes, edgesOf) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const result = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of edgesOf(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), idx.get(w)));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || edgesOf(v).includes(v)) result.push(comp.sort());
    }
  };
  for (const v of nodes) if (!idx.has(v)) visit(v);
  return result;
}

/** A shortest cycle through the component's first node, staying inside the component. */
function cyclePath(comp, edgesOf) {
  const inComp = new Set(comp);
  const start = comp[0];
  const prev = new Map();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of edgesOf(v)) {
      if (!inComp.has(w)) continue;
      if (w === start) {
        const p = [v];
        while (p[0] !== start) p.unshift(prev.get(p[0]));
        return [...p, start];
      }
      if (!seen.has(w)) {
        seen.add(w);
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

// ---------------------------------------------------------------------------------------------
// The check

export function checkLayers(root) {
  const violations = [];
  const warnings = [];
  const rel = (p) => path.relative(root, p).split(path.sep).join('/');
  const add = (kind, where, message) => violations.push({ kind, where, message });

  const packagesDir = path.join(root, 'packages');
  const pkgs = [];
  const dirs = fs.existsSync(packagesDir) ? fs.readdirSync(packagesDir).sort() : [];
  for (const d of dirs) {
    const dir = path.join(packagesDir, d);
    const manifest = path.join(dir, 'package.json');
    if (!isFile(manifest)) continue;
    let json;
    try {
      json = readJson(manifest);
    } catch (e) {
      add('dependencies', rel(manifest), `cannot parse: ${e.message}`);
      continue;
    }
    const deps = {
      ...json.optionalDependencies,
      ...json.peerDependencies,
      ...json.dependencies,
    };
    pkgs.push({ dir, name: json.name ?? d, manifest, deps: Object.keys(deps).sort() });
  }
  const byName = new Map(pkgs.map((p) => [p.name, p]));
  let fileCount = 0;
  let importCount = 0;

  // (a) dependencies follow the layer table and match the project references
  for (const pkg of pkgs) {
    const allowed = ALLOWED.get(pkg.name);
    if (allowed === undefined) {
      add(
        'dependencies',
        rel(pkg.manifest),
        `package ${pkg.name} is not in the layer table; add it to ALLOWED in tools/check-layers.mjs`,
      );
    }
    const tsioDeps = pkg.deps.filter(isTsioName);
    for (const dep of tsioDeps) {
      if (dep === pkg.name) {
        add('dependencies', rel(pkg.manifest), `${pkg.name} depends on itself`);
      } else if (allowed !== undefined && !allowed.includes(dep)) {
        const may = allowed.length > 0 ? allowed.join(', ') : 'no tsio package';
        add(
          'dependencies',
          rel(pkg.manifest),
          `${pkg.name} may not depend on ${dep} (it may depend on: ${may})`,
        );
      } else if (!byName.has(dep)) {
        add(
          'dependencies',
          rel(pkg.manifest),
          `${pkg.name} depends on ${dep}, which is not in packages/`,
        );
      }
    }
    const tsconfig = path.join(pkg.dir, 'tsconfig.build.json');
    if (!isFile(tsconfig)) {
      if (tsioDeps.length > 0) {
        add(
          'dependencies',
          rel(pkg.dir),
          `no tsconfig.build.json to hold references to ${tsioDeps.join(', ')}`,
        );
      }
      continue;
    }
    let refs;
    try {
      refs = readJson(tsconfig).references ?? [];
    } catch (e) {
      add('dependencies', rel(tsconfig), `cannot parse: ${e.message}`);
      continue;
    }
    const referenced = new Set();
    for (const ref of refs) {
      const target = path.resolve(pkg.dir, ref.path ?? '');
      const owner = pkgs.find((p) => target === p.dir || target.startsWith(p.dir + path.sep));
      if (owner === undefined) {
        add('dependencies', rel(tsconfig), `reference ${ref.path} is not a package in packages/`);
      } else {
        referenced.add(owner.name);
      }
    }
    for (const dep of tsioDeps) {
      if (dep !== pkg.name && byName.has(dep) && !referenced.has(dep)) {
        const p = path.relative(pkg.dir, byName.get(dep).dir).split(path.sep).join('/');
        add(
          'dependencies',
          rel(tsconfig),
          `${dep} is a dependency but not a reference; add { "path": "${p}/tsconfig.build.json" }`,
        );
      }
    }
    for (const name of referenced) {
      if (!tsioDeps.includes(name)) {
        add(
          'dependencies',
          rel(tsconfig),
          `references ${name}, which is not in package.json dependencies`,
        );
      }
    }
  }

  // (b) imports, and the file graph of each package for (c)
  for (const pkg of pkgs) {
    const files = walk(path.join(pkg.dir, 'src'));
    fileCount += files.length;
    const graph = new Map(files.map((f) => [f, []]));
    const edgeLine = new Map();
    for (const file of files) {
      const src = fs.readFileSync(file, 'utf8');
      for (const imp of findImports(src)) {
        importCount++;
        const where = `${rel(file)}:${imp.line}`;
        const spec = imp.spec;
        if (spec === null) {
          warnings.push(`${where}: import() with a non-literal specifier cannot be checked`);
          continue;
        }
        if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
          const { target, file: resolved } = resolveRelative(file, spec);
          if (!target.startsWith(pkg.dir + path.sep)) {
            add(
              'imports',
              where,
              `'${spec}' leaves the package folder ${rel(pkg.dir)}; import other packages by name`,
            );
            continue;
          }
          if (resolved === null) {
            add('imports', where, `'${spec}' does not resolve to a file`);
            continue;
          }
          // Type-only imports are erased by the compiler: they cannot make a load-order cycle,
          // and interfaces that name each other (Transport and Protocol) need them.
          const typeOnly = imp.form === 'import type' || imp.form === 'export type from';
          if (!typeOnly && graph.has(resolved) && !graph.get(file).includes(resolved)) {
            graph.get(file).push(resolved);
            edgeLine.set(`${file}\0${resolved}`, imp.line);
          }
          continue;
        }
        if (spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec) || spec.startsWith('file:')) {
          add('imports', where, `'${spec}' is an absolute path; use a relative or package import`);
          continue;
        }
        if (spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]))
          continue;
        const { name, subpath } = splitBare(spec);
        if (isTsioName(name)) {
          if (name === pkg.name) {
            add('imports', where, `'${spec}' imports the package itself; use a relative import`);
            continue;
          }
          if (subpath !== '') {
            add(
              'imports',
              where,
              `deep import '${spec}'; import from '${name}' (its src/index.ts)`,
            );
          }
          if (!pkg.deps.includes(name)) {
            add('imports', where, `'${name}' is not declared in ${rel(pkg.manifest)} dependencies`);
          }
        } else if (!pkg.deps.includes(name)) {
          add('imports', where, `'${name}' is not declared in ${rel(pkg.manifest)} dependencies`);
        }
      }
    }

    // (c) cycles among the package's source files
    const edgesOf = (v) => graph.get(v) ?? [];
    for (const comp of cyclicComponents(files, edgesOf)) {
      const cycle = cyclePath(comp, edgesOf);
      const steps = cycle.map((f, i) => {
        const line = i + 1 < cycle.length ? edgeLine.get(`${f}\0${cycle[i + 1]}`) : undefined;
        const short = path.relative(pkg.dir, f).split(path.sep).join('/');
        return line === undefined ? short : `${short}:${line}`;
      });
      const extra =
        comp.length > cycle.length - 1 ? ` (${comp.length} files in this cycle group)` : '';
      add('cycles', rel(pkg.dir), `import cycle: ${steps.join(' -> ')}${extra}`);
    }
  }

  // (c) cycles among packages
  const pkgEdges = (name) => (byName.get(name)?.deps ?? []).filter((d) => byName.has(d));
  for (const comp of cyclicComponents(
    pkgs.map((p) => p.name),
    pkgEdges,
  )) {
    add('cycles', 'packages', `package cycle: ${cyclePath(comp, pkgEdges).join(' -> ')}`);
  }

  return {
    violations,
    warnings,
    stats: { packages: pkgs.length, files: fileCount, imports: importCount },
  };
}

function main() {
  const root = path.resolve(
    process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
  );
  const { violations, warnings, stats } = checkLayers(root);
  for (const w of warnings) console.log(`warning: ${w}`);
  const summary = `${stats.packages} packages, ${stats.files} source files, ${stats.imports} imports`;
  if (violations.length === 0) {
    console.log(`check-layers: OK (${summary}; no layer, import or cycle violations)`);
    return 0;
  }
  const titles = {
    dependencies: '(a) package dependencies and tsconfig references',
    imports: '(b) imports',
    cycles: '(c) import cycles',
  };
  console.log(`check-layers: ${violations.length} violation(s) in ${summary}`);
  for (const kind of Object.keys(titles)) {
    const list = violations.filter((v) => v.kind === kind);
    if (list.length === 0) continue;
    console.log(`\n${titles[kind]}:`);
    for (const v of list) console.log(`  ${v.where}: ${v.message}`);
  }
  console.log(
    '\nThe rules: ARCHITECTURE.md "Packages"; the table: ALLOWED in tools/check-layers.mjs.',
  );
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
