import { CompiledQuery } from 'kysely';
import type { Compilable, Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * A multi-row statement (INSERT … VALUES (…), (…) …) that Kysely compiles once, for one row, and
 * that then runs over any number of rows with fresh parameters: building a few hundred rows
 * through the query builder and compiling them costs more than executing the statement. Rows go
 * out in blocks whose sizes are powers of two (at most `maxRows`), so each statement has only a
 * handful of texts, which SQLite's statement cache keeps prepared.
 */
export class BulkStatement<Row extends object, Out = unknown> {
  private readonly templates = new WeakMap<object, Template>();

  constructor(
    /** every column of a row, in the order the statement lists them */
    private readonly columns: readonly (keyof Row & string)[],
    /** the statement for `rows`; it may take no parameters besides the rows' values */
    private readonly build: (db: Kysely<Database>, rows: Row[]) => Compilable<Out>,
    private readonly maxRows = 512,
  ) {}

  /** Runs the statement over all `rows`; returns the rows every block returned, in order. */
  async run(db: Kysely<Database>, rows: readonly Row[]): Promise<Out[]> {
    const out: Out[] = [];
    await this.execute(db, rows, out);
    return out;
  }

  /** Runs the statement over all `rows`; returns how many rows it inserted or changed. */
  async count(db: Kysely<Database>, rows: readonly Row[]): Promise<number> {
    return this.execute(db, rows, null);
  }

  private async execute(db: Kysely<Database>, rows: readonly Row[], out: Out[] | null): Promise<number> {
    let affected = 0;
    if (!rows.length) return affected;
    const template = this.template(db, rows[0]!);
    for (let at = 0; at < rows.length; ) {
      let size = this.maxRows;
      while (size > rows.length - at) size >>= 1;
      const parameters: unknown[] = [];
      for (let i = at; i < at + size; i++) {
        const row = rows[i]!;
        for (const column of this.columns) parameters.push(row[column]);
      }
      const result = await db.executeQuery<Out>(CompiledQuery.raw(template.text(size), parameters));
      affected += Number(result.numAffectedRows ?? 0);
      out?.push(...result.rows);
      at += size;
    }
    return affected;
  }

  private template(db: Kysely<Database>, sample: Row): Template {
    // One per dialect: every Kysely instance (and transaction) of a database shares its adapter.
    const dialectKey = db.getExecutor().adapter;
    let template = this.templates.get(dialectKey);
    if (!template) {
      const row = Object.fromEntries(this.columns.map((c) => [c, sample[c]])) as Row;
      template = new Template(this.build(db, [row]).compile(), this.columns.length);
      this.templates.set(dialectKey, template);
    }
    return template;
  }
}

/**
 * The one-row statement cut around its VALUES tuple, which is repeated for more rows with the
 * dialect's placeholders: `?` (SQLite), or `$1`, `$2`… numbered on (PostgreSQL).
 */
class Template {
  private readonly head: string;
  private readonly tail: string;
  private readonly numbered: boolean;
  private readonly texts = new Map<number, string>();

  constructor(
    compiled: CompiledQuery,
    private readonly width: number,
  ) {
    const { sql } = compiled;
    const open = sql.indexOf('values (');
    const close = open < 0 ? -1 : sql.indexOf(')', open);
    const tuple = open < 0 || close < 0 ? '' : sql.slice(open + 'values '.length, close + 1);
    const placeholders = tuple.slice(1, -1).split(', ');
    this.numbered = placeholders[0] === '$1';
    const expected = Array.from({ length: width }, (_, i) => (this.numbered ? `$${i + 1}` : '?'));
    if (compiled.parameters.length !== width || placeholders.join(', ') !== expected.join(', ') || sql.indexOf('$', close) >= 0) {
      throw new Error(`a bulk statement must take exactly one row's values as parameters: ${sql}`);
    }
    this.head = sql.slice(0, open + 'values '.length);
    this.tail = sql.slice(close + 1);
  }

  text(rows: number): string {
    let text = this.texts.get(rows);
    if (text === undefined) {
      const tuples: string[] = [];
      for (let r = 0; r < rows; r++) {
        const row: string[] = [];
        for (let c = 1; c <= this.width; c++) row.push(this.numbered ? `$${r * this.width + c}` : '?');
        tuples.push(`(${row.join(', ')})`);
      }
      text = `${this.head}${tuples.join(', ')}${this.tail}`;
      this.texts.set(rows, text);
    }
    return text;
  }
}
