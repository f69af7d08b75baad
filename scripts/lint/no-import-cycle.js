// An ESLint rule: no import cycles, type-only imports included.
//
// A cycle of type imports costs nothing at run time, but it is the same tangle for a reader: two
// modules that can only be understood together. eslint-plugin-import-x's no-cycle skips type
// imports and parses every file a second time; this rule reads the import graph off the
// TypeScript program the type-aware rules have built already, so it is nearly free. Dynamic
// import() is not an edge: loading a module lazily is the accepted way to reach back.
import ts from 'typescript';

/** program → { cycleOf: file → its strongly connected component (only components of 2+ files, or a file importing itself), targets: file → specifier → file } */
const graphs = new WeakMap();

function graphOf(program) {
  let graph = graphs.get(program);
  if (graph) return graph;
  const options = program.getCompilerOptions();
  const cache = ts.createModuleResolutionCache(program.getCurrentDirectory(), (name) => name, options);
  const targets = new Map();
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf)) continue;
    const out = new Map();
    for (const statement of sf.statements) {
      const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const resolved = ts.resolveModuleName(specifier.text, sf.fileName, options, ts.sys, cache).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport || resolved.extension === ts.Extension.Dts) continue;
      out.set(specifier.text, ts.sys.resolvePath(resolved.resolvedFileName));
    }
    targets.set(ts.sys.resolvePath(sf.fileName), out);
  }
  graph = { targets, cycleOf: stronglyConnected(targets) };
  graphs.set(program, graph);
  return graph;
}

/** Tarjan's algorithm, iterative (a long import chain must not overflow the stack). */
function stronglyConnected(targets) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycleOf = new Map();
  let next = 0;
  for (const root of targets.keys()) {
    if (index.has(root)) continue;
    const work = [{ file: root, edges: [...new Set(targets.get(root).values())], at: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.at < frame.edges.length) {
        const to = frame.edges[frame.at++];
        if (!targets.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ file: to, edges: [...new Set(targets.get(to).values())], at: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.file, Math.min(low.get(frame.file), index.get(to)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.file, Math.min(low.get(parent.file), low.get(frame.file)));
      if (low.get(frame.file) !== index.get(frame.file)) continue;
      const component = new Set();
      let file;
      do {
        file = stack.pop();
        onStack.delete(file);
        component.add(file);
      } while (file !== frame.file);
      const selfImport = [...targets.get(frame.file).values()].includes(frame.file);
      if (component.size > 1 || selfImport) for (const member of component) cycleOf.set(member, component);
    }
  }
  return cycleOf;
}

/** The shortest way back from `from` to `to` inside one cycle, for the message. */
function pathBack(targets, component, from, to) {
  const came = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === to) break;
    for (const next of targets.get(file).values()) {
      if (!component.has(next) || came.has(next)) continue;
      came.set(next, file);
      queue.push(next);
    }
  }
  const path = [];
  for (let file = to; file !== null && file !== undefined; file = came.get(file)) path.unshift(file);
  return path;
}

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles between modules, type-only imports included' },
    schema: [],
    messages: { cycle: 'Import cycle: {{path}}. Move what both sides need into a module that neither imports.' },
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (!services?.program) return {};
    const { targets, cycleOf } = graphOf(services.program);
    const file = ts.sys.resolvePath(context.physicalFilename);
    const component = cycleOf.get(file);
    if (!component) return {};
    const root = ts.sys.resolvePath(services.program.getCurrentDirectory());
    const shown = (f) => (f.startsWith(`${root}/`) ? f.slice(root.length + 1) : f);
    const check = (node) => {
      if (!node.source || typeof node.source.value !== 'string') return;
      const target = targets.get(file)?.get(node.source.value);
      if (!target || !component.has(target)) return;
      const path = [file, ...pathBack(targets, component, target, file)];
      context.report({ node, messageId: 'cycle', data: { path: path.map(shown).join(' → ') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export const importCyclePlugin = { rules: { 'no-import-cycle': noImportCycle } };
