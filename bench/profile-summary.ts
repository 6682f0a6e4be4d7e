// `npx tsx bench/profile-summary.ts FILE.cpuprofile [--top N]`: where a `node --cpu-prof` profile
// (from `npm run bench -- --profile`) spent its time: self time by function, and by package, so a
// cost is found by measuring rather than by guessing. Chrome DevTools opens the same file.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
if (positionals.length !== 1) {
  console.error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--top N]');
  process.exit(1);
}
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
const top = Number(values.top);

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);

/** `next/dist/...` → next; `(program)`, `(garbage collector)` stay as they are. */
function packageOf(url: string): string {
  if (url === '') return '(native)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/.next/')) return 'app (.next)';
  return url;
}

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url === '' ? '' : ` ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/\.next\//, '.next/')}:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${where}`;
}

const functions = new Map<string, number>();
const packages = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  functions.set(keyOf(node), (functions.get(keyOf(node)) ?? 0) + micros);
  const pkg = node.callFrame.url === '' ? node.callFrame.functionName : packageOf(node.callFrame.url);
  packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
}

// Inclusive time: each sample counts once for every distinct function on its stack.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(keyOf(byId.get(at)!));
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
}

const percent = (micros: number) => `${((100 * micros) / total).toFixed(1).padStart(5)}%`;
console.log(`${positionals[0]}: ${(total / 1e6).toFixed(1)} s of samples\n\nself time by package:`);
for (const [name, micros] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${percent(micros)}  ${name}`);
console.log('\nself time by function:');
for (const [name, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${percent(micros)}  ${name}`);
console.log('\ntotal time by function (itself and what it calls):');
for (const [name, micros] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top * 2)) console.log(`  ${percent(micros)}  ${name}`);
