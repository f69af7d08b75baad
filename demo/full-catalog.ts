import type { Catalog } from '../core/catalog/catalog.ts';
import { demoCatalog } from './catalog.ts';
import { demoSynonyms } from './synonyms.ts';
import type { ServiceGuide } from '../core/guide/service-guide.ts';
import type { DemoEntry } from './guide-content/common.ts';
import { civilAffairsDepartment, civilAffairsEntries } from './guide-content/civil-affairs.ts';
import { healthDepartment, healthEntries } from './guide-content/health.ts';
import { housingConstructionDepartment, housingConstructionEntries } from './guide-content/housing-construction.ts';
import { housingFundEntries } from './guide-content/housing-fund.ts';
import { marketEntries } from './guide-content/market.ts';
import { medicalInsuranceDepartment, medicalInsuranceEntries } from './guide-content/medical-insurance.ts';
import { naturalResourcesDepartment, naturalResourcesEntries } from './guide-content/natural-resources.ts';
import { publicSecurityEntries } from './guide-content/public-security.ts';
import { realEstateEntries } from './guide-content/real-estate.ts';
import { socialEntries } from './guide-content/social.ts';
import { taxDepartment, taxEntries } from './guide-content/tax.ts';
import { trafficPoliceDepartment, trafficPoliceEntries } from './guide-content/traffic-police.ts';
import { transportDepartment, transportEntries } from './guide-content/transport.ts';

/**
 * The demo hall written for hall-kiosk: 13 departments and their service guides. It extends the
 * foundation's `demoCatalog` without changing any of its departments, services or ticket prefixes,
 * so tickets and tests written against the small catalog stay valid against this one.
 */
const entries: DemoEntry[] = [
  ...marketEntries,
  ...socialEntries,
  ...housingFundEntries,
  ...publicSecurityEntries,
  ...realEstateEntries,
  ...medicalInsuranceEntries,
  ...trafficPoliceEntries,
  ...taxEntries,
  ...civilAffairsEntries,
  ...housingConstructionEntries,
  ...naturalResourcesEntries,
  ...healthEntries,
  ...transportEntries,
];

export const fullDemoCatalog: Catalog = {
  version: demoCatalog.version,
  departments: [
    ...demoCatalog.departments,
    medicalInsuranceDepartment,
    trafficPoliceDepartment,
    taxDepartment,
    civilAffairsDepartment,
    housingConstructionDepartment,
    naturalResourcesDepartment,
    healthDepartment,
    transportDepartment,
  ],
  services: entries.map((e) => e.service),
  synonyms: demoSynonyms,
};

export const demoGuides: Readonly<Record<string, ServiceGuide>> = Object.fromEntries(entries.map((e) => [e.service.id, e.guide]));
