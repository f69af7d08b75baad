import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** A module that writes hall server paths by hand, the way the kiosk did before the contract. */
const handWritten = `
export const push = { method: 'POST', path: '/api/v1/sync/push' };
export const template = (staffId: string, finger: number) => \`/api/v1/staff/\${staffId}/templates/\${finger}\`;
export const joined = (base: string) => \`\${base}/api/v1/time\`;
export const prose = 'log in at POST /api/v1/admin/login first';
`;
/** The same requests built from the contract, and strings that only look alike. */
const fromContract = `
import { hallApi } from '../../core/http/contract.ts';
import { pathOf } from '../../core/http/route-contract.ts';
export const push = { method: hallApi.syncPush.method, path: pathOf(hallApi.syncPush) };
export const other = ['/api/v10', '/apiv1', 'api/v2/x'];
`;

const rule = 'no-restricted-syntax';

describe('lint: hall server paths are written only in the contract', () => {
  // The fixtures are no files of the TypeScript project: lint them with the repository's rules but
  // without the type-aware ones, which need a program to read them from.
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfig: [
      {
        files: ['**/*.{ts,tsx}'],
        languageOptions: { parserOptions: { projectService: false } },
        rules: {
          'local/no-import-cycle': 'off',
          '@typescript-eslint/no-floating-promises': 'off',
          '@typescript-eslint/no-misused-promises': 'off',
          '@typescript-eslint/switch-exhaustiveness-check': 'off',
        },
      },
    ],
  });
  const problems = async (code: string, filePath: string) => (await eslint.lintText(code, { filePath }))[0]!.messages.filter((m) => m.ruleId === rule);

  it('refuses a literal /api/v1 path, plain or in a template, in every layer of the app', async () => {
    for (const file of ['core/sync/fixture.ts', 'main/services/fixture.ts', 'renderer/sync/fixture.ts', 'server/sync/fixture.ts', 'preload/fixture.ts', 'hardware/fixture.ts', 'renderer/ui/fixture.tsx']) {
      const found = await problems(handWritten, file);
      expect(found.map((m) => m.line), file).toEqual([2, 3, 4, 5]);
      expect(found[0]!.message, file).toContain('core/http/contract.ts');
    }
  });

  it('lets the contract module write them, and everyone build from it', async () => {
    expect(await problems(handWritten, 'core/http/contract.ts')).toEqual([]);
    expect(await problems(fromContract, 'renderer/sync/fixture.ts')).toEqual([]);
  });
});
