import type { CompositeCategory, Metric, Signpost, Tier } from './catalog.js';

/** What the methodology reads: observations and the parts of the catalog it uses. */

export type ObservationId = string | number;

/** One extracted value linking an event to a signpost, as stored in the evidence ledger. */
export interface Observation {
  id: ObservationId;
  event_id: ObservationId;
  signpost: string;
  /** In the metric's unit (fractions for percentages, FLOP for compute, 0/1 for binary). */
  value: number;
  /** The tier of the event that carries the observation. */
  tier: Tier;
  status: 'pending' | 'approved' | 'rejected';
  /** True when the event was retracted; retracted evidence never counts. */
  retracted: boolean;
  /** ISO date or date-time; a date-time without a zone is read as UTC. */
  published_at: string;
}

export type MetricSpec = Pick<Metric, 'code' | 'unit' | 'scale' | 'direction'>;

export type SignpostSpec = Pick<Signpost, 'code' | 'category' | 'metric' | 'baseline' | 'target' | 'first_class' | 'monitor_only'>;

export type CompositeWeights = Record<CompositeCategory, number>;

/** A 90% interval; both ends in the same unit as the score it brackets. */
export interface Interval {
  low: number;
  high: number;
}
