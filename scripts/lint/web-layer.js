// An ESLint rule: the hall server's web apps (server/<feature>/web/, server/web/) run in a
// browser, so they may import core/, other web folders, and the browser packages listed — never
// Node builtins or the server's own Node modules, which a bundle would either fail on or drag in.
// A path rule cannot say "only these" of relative imports, so this resolves each import against
// the repository root and checks where it lands.
import { dirname, relative, resolve, sep } from 'node:path';

/** The web folders, relative to the repository root (posix separators). */
export const webFolder = /^server\/(?:[^/]+\/)?web(?:\/|$)/;

/** Packages a web app may import (zod: the contract's schemas are zod). */
export const webPackages = ['react', 'react-dom', 'i18next', 'react-i18next', 'zod'];

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export const webLayer = {
  meta: {
    type: 'problem',
    docs: { description: 'web apps of the hall server import core/, web folders and browser packages only' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, required: ['root'], additionalProperties: false }],
    messages: {
      folder: "'{{specifier}}' is {{where}}: a web app (server/<feature>/web, server/web) may import core/ and web folders only.",
      package: "'{{specifier}}': a web app may import only {{allowed}} (and core/).",
    },
  },
  create(context) {
    const root = context.options[0].root;
    const check = (node) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const specifier = node.value;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = relative(root, resolve(dirname(context.filename), specifier)).split(sep).join('/');
        if (target.startsWith('core/') || webFolder.test(target)) return;
        context.report({ node, messageId: 'folder', data: { specifier, where: target.startsWith('..') ? 'outside the repository' : target } });
        return;
      }
      if (!webPackages.includes(packageName(specifier))) context.report({ node, messageId: 'package', data: { specifier, allowed: webPackages.join(', ') } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export const webLayerPlugin = { rules: { 'web-layer': webLayer } };
