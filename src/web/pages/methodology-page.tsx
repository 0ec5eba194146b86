import { Link } from '../router.js';

/** The methodology in plain words; docs/methodology.md has every formula and the worked example. */
export function MethodologyPage() {
  return (
    <article className="prose">
      <h1>Methodology</h1>
      <p className="lede">
        How the tracker turns dated, sourced evidence into the numbers on the dashboard (methodology version 1). Every snapshot records the
        version it was computed with.
      </p>

      <h2>Evidence and tiers</h2>
      <p>Each piece of evidence is an event (a paper, a leaderboard entry, a lab post, a press article) with an evidence tier:</p>
      <ul>
        <li>
          <strong>A</strong>: peer-reviewed or archived paper, official leaderboard, reproducible model card.
        </li>
        <li>
          <strong>B</strong>: official lab announcement.
        </li>
        <li>
          <strong>C</strong>: reputable press. <strong>D</strong>: social media.
        </li>
      </ul>
      <p>
        Only A and B move the gauges. A value supported only by B is <em>provisional</em> until an A-tier observation on the same metric,
        published within 14 days either way and at least 95% as good, corroborates it. C and D are shown as unverified and never counted. A
        retracted event leaves every computation, and history is recomputed.
      </p>

      <h2>Signpost progress</h2>
      <p>
        A signpost is a threshold on a metric, from a baseline to a target. Its value is the best usable observation published on or before
        the date; progress is how far that value is from the baseline to the target, between 0 and 1. Metrics that grow by orders of
        magnitude (training compute, cluster size, power) use a log scale, so 1e25 FLOP is half way from 1e24 to 1e26. A signpost without
        evidence counts as 0 and is marked “no evidence”.
      </p>

      <h2>Categories and the composite</h2>
      <p>
        A category’s score is the weighted mean of its signposts (first-class signposts count twice; monitor-only signposts are shown but
        not scored). The composite, “AGI proximity”, is the weighted <em>harmonic</em> mean of capabilities, agents and inputs, so the
        weakest category dominates: strong compute cannot make up for weak agents.
      </p>
      <p>
        While any weighted category has no A/B evidence at all, the composite is <strong>not available</strong> and the dashboard says which
        categories are missing. A zero there would be a guess, not a measurement.
      </p>
      <p>
        The <strong>safety margin</strong> is the security score minus the weighted mean of capabilities and agents. Negative means
        capabilities are outpacing security.
      </p>

      <h2>Presets</h2>
      <p>
        The weights come from a preset (equal; Aschenbrenner; AI 2027; Cotra; conservative), each documented with its source, or from your
        own choice on the <Link to="/what-if">what-if page</Link>.
      </p>

      <h2>Uncertainty</h2>
      <p>
        Every score has a 90% interval from a seeded, reproducible simulation: verified values vary by ±5 points, provisional ones by ±15,
        and signposts without evidence anywhere from 0 to 25. Intervals widen as evidence thins, and the same inputs always give the same
        numbers.
      </p>

      <h2>Forecasts</h2>
      <p>
        Expert forecasts (AI 2027, Aschenbrenner, Cotra, Epoch, Metaculus and others) are compared with when a threshold was actually
        crossed: within 90 days of the prediction is on track, earlier is ahead, later (or not yet crossed after the predicted date) is
        behind. The surprise score is how many years early (positive) or late (negative) the crossing came.
      </p>

      <h2>Data and API</h2>
      <p>
        Everything here comes from the public API: see the <a href="/docs">API documentation</a> and the{' '}
        <a href="/openapi.json">OpenAPI document</a>. Evidence can be downloaded from the <Link to="/events">evidence page</Link> as CSV or
        JSON, or followed through the <a href="/v1/feed.xml">Atom</a> and <a href="/v1/feed.json">JSON</a> feeds.
      </p>
    </article>
  );
}
