/**
 * One problem found in an import, said where a person editing the file will look for it: a cell
 * such as `事项!C12` with the column's English key, or a JSON path such as
 * `catalog.services[11].prefix`.
 */
export interface ImportIssue {
  where: string;
  /** the column's English key, for spreadsheet cells and header rows */
  field?: string;
  message: string;
}

export function formatIssue(issue: ImportIssue): string {
  return `${issue.where}${issue.field ? ` (${issue.field})` : ''}: ${issue.message}`;
}

/** An import refused as a whole: nothing of it was stored. */
export class CatalogImportError extends Error {
  override readonly name = 'CatalogImportError';

  /** `message` lists every issue, for a terminal; the summary is the first line alone. */
  constructor(
    readonly summary: string,
    readonly issues: readonly ImportIssue[] = [],
    options?: ErrorOptions,
  ) {
    super(issues.length ? `${summary}\n  ${issues.map(formatIssue).join('\n  ')}` : summary, options);
  }
}
