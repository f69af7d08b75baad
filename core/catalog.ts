import { z } from 'zod';
import { localizedTextSchema } from './localized.ts';

export const departmentSchema = z.object({
  id: z.string().min(1),
  name: localizedTextSchema,
  /** where in the hall its counters (窗口) are */
  location: localizedTextSchema,
});
export type Department = z.infer<typeof departmentSchema>;

export const serviceItemSchema = z.object({
  id: z.string().min(1),
  departmentId: z.string().min(1),
  /** 事项编码 */
  code: z.string().min(1),
  name: localizedTextSchema,
  /** Ticket number prefix (A001…): one or two capital letters, unique in the hall. */
  prefix: z.string().regex(/^[A-Z]{1,2}$/, 'prefix must be one or two capital letters'),
  /** 限号: how many tickets the service issues per business day */
  dailyQuota: z.number().int().positive(),
  windows: localizedTextSchema,
});
export type ServiceItem = z.infer<typeof serviceItemSchema>;

export const catalogSchema = z
  .object({
    version: z.number().int().nonnegative(),
    departments: z.array(departmentSchema).min(1),
    services: z.array(serviceItemSchema).min(1),
  })
  .superRefine((c, ctx) => {
    const departmentIds = new Set(c.departments.map((d) => d.id));
    const prefixes = new Map<string, string>();
    c.services.forEach((s, i) => {
      if (!departmentIds.has(s.departmentId)) {
        ctx.addIssue({ code: 'custom', path: ['services', i, 'departmentId'], message: `unknown department ${s.departmentId}` });
      }
      const other = prefixes.get(s.prefix);
      if (other) {
        ctx.addIssue({ code: 'custom', path: ['services', i, 'prefix'], message: `prefix ${s.prefix} is already used by ${other}` });
      }
      prefixes.set(s.prefix, s.id);
    });
  });
export type Catalog = z.infer<typeof catalogSchema>;

export function servicesOf(catalog: Catalog, departmentId: string): ServiceItem[] {
  return catalog.services.filter((s) => s.departmentId === departmentId);
}
