import type { ESLint, Rule } from 'eslint';

export declare const webFolder: RegExp;
export declare const webPackages: string[];
export declare const webLayer: Rule.RuleModule;
export declare const webLayerPlugin: ESLint.Plugin;
