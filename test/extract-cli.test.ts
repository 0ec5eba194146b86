import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';

const MAIN = path.resolve(import.meta.dirname, '../src/cli/main.ts');

function runExtract(input: string): Promise<{ code: number | null; lines: unknown[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'extract'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      resolve({
        code,
        lines: out
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as unknown),
      }),
    );
    child.stdin.end(input);
  });
}

describe('agi-tracker extract', () => {
  it('prints one result per JSON line: metric values and the signposts they bear on, storing nothing', async () => {
    const { code, lines } = await runExtract(
      [
        JSON.stringify({ title: 'Model Nova scores 74.9% on SWE-bench Verified', summary: 'A new model.', tier: 'B' }),
        JSON.stringify({ title: 'A 2e26 FLOP training run' }),
        JSON.stringify({ title: 'Weather forecast for next week', summary: 'Sunny.' }),
      ].join('\n'),
    );
    expect(code).toBe(0);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({
      metrics: [{ metric: 'swe_bench_verified', value: 0.749, unit: 'fraction' }],
      signposts: expect.arrayContaining([
        { code: 'swe_bench_85', value: 0.749, confidence: expect.any(Number) },
        { code: 'swe_bench_90', value: 0.749, confidence: expect.any(Number) },
      ]),
    });
    expect((lines[1] as { metrics: unknown[] }).metrics).toEqual([{ metric: 'training_compute_flop', value: 2e26, unit: 'flop' }]);
    expect(lines[2]).toEqual({ metrics: [], signposts: [] });
  });

  it('a line that is not {title, summary, tier?} answers an error for that line and exits 2', async () => {
    const { code, lines } = await runExtract(
      ['not json', JSON.stringify({ title: 'ok' }), JSON.stringify({ title: 'x', tier: 'Z' })].join('\n'),
    );
    expect(code).toBe(2);
    expect(lines[0]).toEqual({ error: expect.stringMatching(/^line 1: /) });
    expect(lines[1]).toEqual({ metrics: [], signposts: [] });
    expect(lines[2]).toEqual({ error: expect.stringMatching(/^line 3: tier: /) });
  });
});
