import { z } from 'zod';
import { guideMismatches, serviceGuidesSchema } from '../guide/service-guide.ts';
import { catalogSchema } from './catalog.ts';

/**
 * A hall's catalog and the guide of every service in it as one JSON document,
 * `{"catalog": {…}, "guides": {…}}`: the form the hall server imports and exports
 * (server/catalog/import/json-document.ts adds a person's error messages on top), and the file a
 * kiosk with no hall server is given. Catalog and guides must agree: a printed ticket and slip
 * name the service, code and windows of both.
 */
export const catalogDocumentSchema = z
  .object({
    catalog: catalogSchema,
    guides: serviceGuidesSchema,
  })
  .superRefine((document, ctx) => {
    for (const mismatch of guideMismatches(document.catalog, document.guides)) {
      ctx.addIssue({ code: 'custom', path: ['guides', mismatch.serviceId], message: mismatch.problem });
    }
  });
export type CatalogDocument = z.infer<typeof catalogDocumentSchema>;

export type CatalogDocumentLoad = { ok: true; document: CatalogDocument } | { ok: false; errors: string[] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates a parsed document; every error names its path. The catalog's version is the hall
 * server's to give: a document without one (a hand-written file) reads as version 0.
 */
export function parseCatalogDocument(raw: unknown): CatalogDocumentLoad {
  const document = isRecord(raw) && isRecord(raw.catalog) && !('version' in raw.catalog) ? { ...raw, catalog: { ...raw.catalog, version: 0 } } : raw;
  const parsed = catalogDocumentSchema.safeParse(document);
  if (parsed.success) return { ok: true, document: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}
