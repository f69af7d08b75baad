export { SimulatedFingerprintModule, realModuleTimings } from './module.ts';
export type { ImageQuality, ModuleTimings, SimulatedFingerprintModuleOptions } from './module.ts';
export { matchScore, matchThreshold, pressOf, syntheticTemplate } from './fingers.ts';
export { inMemoryCable } from './cable.ts';
export type { CableDirection, CableTamper } from './cable.ts';
