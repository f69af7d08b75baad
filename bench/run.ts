// `npm run bench [name]`: runs one benchmark (or all), prints its table, writes bench/results/<name>.json.
import { mkdirSync, writeFileSync } from 'node:fs';

type Figures = Record<string, number | string>;
const benches: Record<string, () => Promise<Figures>> = {
  ticket: async () => (await import('./ticket.ts')).runTicketBench(),
};

const wanted = process.argv[2];
if (wanted && !benches[wanted]) {
  console.error(`unknown benchmark "${wanted}"; choose from: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}

mkdirSync('bench/results', { recursive: true });
for (const name of wanted ? [wanted] : Object.keys(benches)) {
  const figures = await benches[name]!();
  console.log(`\n${name}`);
  console.table(Object.entries(figures).map(([figure, value]) => ({ figure, value })));
  writeFileSync(`bench/results/${name}.json`, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`wrote bench/results/${name}.json`);
}
