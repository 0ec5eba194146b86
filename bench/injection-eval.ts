/**
 * Prompt-injection detector evaluation.
 *
 *   npx tsx bench/injection-eval.ts
 *
 * Reads attacks.jsonl and benign.jsonl from ../shared/datasets/prompt-injection/ (relative to the
 * repository root) or from $DATASETS_DIR/prompt-injection/, scores every row, and reports the
 * detection rate on attacks, the false-positive rate on benign prompts, both per source, and the
 * false-positive rate on our own fixture of AI-progress questions. Writes
 * bench/results/injection-eval.json. Without the dataset it says so and exits 0.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INJECTION_THRESHOLD, runDetector, type DetectionRun, type LabelledPrompt } from '../src/llm/injection/index.js';

const TARGET_DETECTION = 0.9;
const TARGET_FALSE_POSITIVES = 0.03;

// The rules were written while reading misses from this corpus, so its numbers are in-sample. A
// held-out check made during development (rules tuned on a CRC32-of-text half, scored on the other
// half before it was looked at) gave 89.5% vs 81.0% detection and 0.0% vs 1.0% false positives:
// expect unseen attacks of the same kinds to be caught noticeably less often than reported here.
const IN_SAMPLE_NOTE =
  'In-sample: rules were developed while reading this corpus. A mid-development held-out check (tuned on one half, scored on the unseen half) gave 81.0% detection and 1.0% false positives on the unseen half against 89.5% and 0.0% on the tuned half.';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function datasetDir(): string {
  const base = process.env.DATASETS_DIR ?? join(repoRoot, '..', 'shared', 'datasets');
  // DATASETS_DIR may name the datasets folder or the prompt-injection folder itself.
  return existsSync(join(base, 'attacks.jsonl')) ? base : join(base, 'prompt-injection');
}

function readJsonl(path: string): LabelledPrompt[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const row = JSON.parse(line) as { text: string; source: string };
      return { text: row.text, source: row.source };
    });
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** Group wrong answers by source and by what the detector saw: nothing at all, or signals too weak to block. */
function groupErrors(run: DetectionRun) {
  const groups = new Map<string, { source: string; shape: string; count: number; examples: string[] }>();
  for (const error of run.errors) {
    const shape =
      error.rules.length === 0 ? 'no rule matched' : `below threshold: ${[...new Set(error.rules.map((r) => r.split('.')[0]))].join('+')}`;
    const key = `${error.source}\u0000${shape}`;
    const group = groups.get(key) ?? { source: error.source, shape, count: 0, examples: [] };
    group.count += 1;
    if (group.examples.length < 8) group.examples.push(error.text.replace(/\s+/g, ' ').slice(0, 160));
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function printRun(label: string, run: DetectionRun) {
  console.log(`${label}: ${run.flagged}/${run.total} flagged (${percent(run.rate)})`);
  for (const s of run.bySource)
    console.log(`  ${percent(s.rate).padStart(6)}  ${String(s.flagged).padStart(4)}/${String(s.total).padEnd(4)} ${s.source}`);
}

function main() {
  const fixture = readFileSync(join(repoRoot, 'test', 'fixtures', 'ai-progress-questions.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((text) => ({ text, source: 'test/fixtures/ai-progress-questions.txt' }));
  const fixtureRun = runDetector(fixture, false);

  const dir = datasetDir();
  const attacksPath = join(dir, 'attacks.jsonl');
  const benignPath = join(dir, 'benign.jsonl');
  if (!existsSync(attacksPath) || !existsSync(benignPath)) {
    console.log(`SKIP: prompt-injection dataset not found at ${dir} (set DATASETS_DIR to the folder holding prompt-injection/).`);
    console.log(`Fixture only: ${fixtureRun.flagged}/${fixtureRun.total} ordinary questions flagged.`);
    return;
  }

  const attacks = runDetector(readJsonl(attacksPath), true);
  const benign = runDetector(readJsonl(benignPath), false);

  console.log(`threshold ${INJECTION_THRESHOLD}`);
  printRun('attacks (detection)', attacks);
  printRun('benign (false positives)', benign);
  console.log(`fixture: ${fixtureRun.flagged}/${fixtureRun.total} flagged (${percent(fixtureRun.rate)})`);
  console.log(`time per check: mean ${attacks.meanMs.toFixed(2)} ms, max ${Math.max(attacks.maxMs, benign.maxMs).toFixed(1)} ms`);
  const met = attacks.rate >= TARGET_DETECTION && benign.rate <= TARGET_FALSE_POSITIVES && fixtureRun.flagged === 0;
  console.log(`note: ${IN_SAMPLE_NOTE}`);
  console.log(
    `targets (detection >= ${percent(TARGET_DETECTION)}, false positives <= ${percent(TARGET_FALSE_POSITIVES)}, fixture 0): ${met ? 'met' : 'NOT met'}`,
  );

  const missGroups = groupErrors(attacks);
  console.log('\nlargest groups of missed attacks:');
  for (const g of missGroups.slice(0, 8)) console.log(`  ${String(g.count).padStart(3)}  ${g.shape}  [${g.source}]`);

  const result = {
    generated_at: new Date().toISOString(),
    command: 'npx tsx bench/injection-eval.ts',
    dataset_dir: dir,
    threshold: INJECTION_THRESHOLD,
    note: IN_SAMPLE_NOTE,
    targets: { detection: TARGET_DETECTION, false_positive_rate: TARGET_FALSE_POSITIVES, fixture_false_positives: 0 },
    targets_met: met,
    attacks: { total: attacks.total, detected: attacks.flagged, detection_rate: attacks.rate, by_source: attacks.bySource },
    benign: { total: benign.total, flagged: benign.flagged, false_positive_rate: benign.rate, by_source: benign.bySource },
    fixture: { total: fixtureRun.total, flagged: fixtureRun.flagged, false_positive_rate: fixtureRun.rate },
    timing_ms: { mean: Number(attacks.meanMs.toFixed(3)), max: Number(Math.max(attacks.maxMs, benign.maxMs).toFixed(3)) },
    missed_attack_groups: missGroups,
    false_positives: benign.errors.map((e) => ({ source: e.source, score: e.score, rules: e.rules, text: e.text.slice(0, 300) })),
  };
  const out = join(repoRoot, 'bench', 'results', 'injection-eval.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

main();
