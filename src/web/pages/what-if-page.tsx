import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { PRESETS, type IndexResponse, type Weights } from '../api/types.js';
import { Gauge } from '../components/gauge.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { categoryName, intervalText, points, presetName, signedPoints } from '../format.js';

const KEYS: (keyof Weights)[] = ['capabilities', 'agents', 'inputs'];

/** Waits until the sliders rest before asking the server. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function WhatIfPage() {
  const [weights, setWeights] = useState<Weights>({ capabilities: 1, agents: 1, inputs: 1 });
  const [presetError, setPresetError] = useState<Error>();
  const settled = useDebounced(weights, 250);
  const allZero = KEYS.every((k) => settled[k] === 0);
  const res = useApi<IndexResponse>(allZero ? null : '/v1/index/custom', { ...settled });
  const sum = KEYS.reduce((a, k) => a + weights[k], 0);

  const fromPreset = async (p: string) => {
    setPresetError(undefined);
    try {
      const idx = await api<IndexResponse>('/v1/index', { query: { preset: p } });
      setWeights({ capabilities: idx.weights.capabilities, agents: idx.weights.agents, inputs: idx.weights.inputs });
    } catch (e) {
      setPresetError(e as Error);
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>What if you weighted it differently?</h1>
        <p className="lede">
          Set how much each category counts in the composite. Weights are normalised to sum to 1; the evidence and formulas stay the same.
        </p>
      </div>
      <div className="grid-2">
        <section className="card" aria-labelledby="weights-heading">
          <h2 id="weights-heading">Weights</h2>
          {KEYS.map((k) => (
            <div key={k} className="slider">
              <label htmlFor={`w-${k}`}>
                {categoryName(k)} <output htmlFor={`w-${k}`}>{sum > 0 ? `${Math.round((weights[k] / sum) * 100)}%` : '0%'}</output>
              </label>
              <input
                id={`w-${k}`}
                type="range"
                min="0"
                max="1"
                step="0.05"
                value={weights[k]}
                aria-valuetext={`${weights[k].toFixed(2)}, ${sum > 0 ? Math.round((weights[k] / sum) * 100) : 0}% after normalising`}
                onChange={(e) => setWeights({ ...weights, [k]: Number(e.target.value) })}
              />
            </div>
          ))}
          {allZero && (
            <p className="notice" role="alert">
              At least one weight must be above 0.
            </p>
          )}
          <p className="small">Start from a preset:</p>
          <div className="button-row">
            {PRESETS.map((p) => (
              <button key={p} type="button" className="secondary" onClick={() => void fromPreset(p)}>
                {presetName(p)}
              </button>
            ))}
          </div>
          {presetError && <ErrorNotice error={presetError} what="the preset" />}
        </section>
        <section className="card composite" aria-labelledby="custom-heading" aria-live="polite" aria-busy={res.loading}>
          <h2 id="custom-heading">Composite with these weights</h2>
          {allZero ? null : res.error ? (
            <ErrorNotice error={res.error} />
          ) : !res.data ? (
            <Loading />
          ) : (
            <>
              <Gauge value={res.data.composite.value} interval={res.data.composite.interval} label="Custom composite" />
              {res.data.composite.value === null ? (
                <p className="notice notice-na">
                  <strong>Insufficient evidence.</strong> {res.data.composite.reason}
                </p>
              ) : (
                <p>
                  <span className="big-number">{points(res.data.composite.value)}</span> <span className="muted">of 100</span>,{' '}
                  {intervalText(res.data.composite.interval)}
                </p>
              )}
              <p className="small">
                Safety margin: {signedPoints(res.data.safety_margin.value)}
                {res.data.safety_margin.value === null && res.data.safety_margin.reason ? ` (${res.data.safety_margin.reason})` : ''}
              </p>
            </>
          )}
        </section>
      </div>
    </>
  );
}
