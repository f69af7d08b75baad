// `npm run bench [name]`: runs one benchmark (or all), prints its table, writes bench/results/<name>.json.
import { mkdirSync, writeFileSync } from 'node:fs';

/** A bench's figures; a nested group (e.g. one per database engine) prints as `group.figure`. */
type Figures = { [figure: string]: number | string | Figures };
const benches: Record<string, () => Promise<Figures>> = {
  ticket: async () => (await import('./ticket.ts')).runTicketBench(),
  sync: async () => (await import('./sync-in-browser.ts')).runSyncBenchInBrowser(),
  alloc: async () => (await import('./alloc.ts')).runAllocBench(),
  search: async () => (await import('./search-in-browser.ts')).runSearchBenchInBrowser(),
  fingerprint: async () => (await import('./fingerprint.ts')).runFingerprintBench(),
  soak: async () => (await import('./soak.ts')).runSoakBench(),
  calling: async () => (await import('./calling.ts')).runCallingBenchToFiles(),
  display: async () => ({ ...(await (await import('./display.ts')).runDisplayBench()) }),
};

function rows(figures: Figures, prefix = ''): { figure: string; value: number | string }[] {
  return Object.entries(figures).flatMap(([figure, value]) => (typeof value === 'object' ? rows(value, `${prefix}${figure}.`) : [{ figure: `${prefix}${figure}`, value }]));
}

const wanted = process.argv[2];
if (wanted && !benches[wanted]) {
  console.error(`unknown benchmark "${wanted}"; choose from: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}

mkdirSync('bench/results', { recursive: true });
for (const name of wanted ? [wanted] : Object.keys(benches)) {
  const figures = await benches[name]!();
  console.log(`\n${name}`);
  console.table(rows(figures));
  writeFileSync(`bench/results/${name}.json`, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`wrote bench/results/${name}.json`);
}
