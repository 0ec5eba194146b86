import type { Metric, Signpost } from '../catalog.js';

/** The parts of the catalog the extractor reads; a full `Catalog` satisfies it. */
export interface ExtractionCatalog {
  metrics: readonly Pick<Metric, 'code' | 'unit' | 'aliases'>[];
  signposts: readonly Pick<Signpost, 'code' | 'metric'>[];
}

/** Where in the input text a value was read (UTF-16 offsets into the text given to the extractor). */
export interface TextSpan {
  start: number;
  end: number;
  text: string;
}

/** One metric value read from text, in the metric's unit (fractions for percentages, FLOP, GW, H100e, hours). */
export interface ExtractedMetric {
  metric: string;
  value: number;
  unit: Metric['unit'];
  rule: string;
  /** Confidence of the rule alone (before the source tier is taken into account), in [0,1]. */
  confidence: number;
  span: TextSpan;
}

/** One extracted value attached to one signpost, with the confidence after the tier factor. */
export interface SignpostMapping {
  code: string;
  value: number;
  confidence: number;
  rule: string;
}
