import { z } from 'zod';
import type { ForecastView } from '../../services/tracker-service.js';

export const ForecastSchema = z.object({
  id: z.number().int(),
  signpost: z.string(),
  forecaster: z.string(),
  predicted_date: z.string(),
  interval_low: z.string().nullable(),
  interval_high: z.string().nullable(),
  confidence: z.number().nullable(),
  quote: z.string().nullable(),
  url: z.string(),
  published_at: z.string(),
  status: z.enum(['ahead', 'on_track', 'behind']).describe('Against the evidence as of today'),
  crossed_date: z.string().nullable().describe('When the threshold was first crossed (usable A/B evidence), if it was'),
  surprise_years: z.number().nullable().describe('(predicted - crossed) in years; positive means earlier than predicted'),
});

export function presentForecast(f: ForecastView): z.infer<typeof ForecastSchema> {
  return {
    id: f.id,
    signpost: f.signpost_code,
    forecaster: f.forecaster,
    predicted_date: f.predicted_date,
    interval_low: f.interval_low,
    interval_high: f.interval_high,
    confidence: f.confidence,
    quote: f.quote,
    url: f.url,
    published_at: f.published_at,
    status: f.assessment.status,
    crossed_date: f.assessment.crossed_date,
    surprise_years: f.assessment.surprise_years,
  };
}
