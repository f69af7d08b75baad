import type { ESLint, Rule } from 'eslint';

export declare const noImportCycle: Rule.RuleModule;
export declare const importCyclePlugin: ESLint.Plugin;
