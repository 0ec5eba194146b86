import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface Telemetry {
  tracer: Tracer;
  /** Continues the caller's trace from W3C `traceparent`/`tracestate` headers, or starts a new one. */
  extract(headers: Record<string, string | string[] | undefined>): Context;
  startServerSpan(name: string, parent: Context, attributes: Record<string, string | number>): Span;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();

/**
 * OpenTelemetry tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set: spans are batched and sent
 * as OTLP/HTTP JSON to `<endpoint>/v1/traces`. The provider is not registered globally, so several
 * servers in one process (tests) keep separate pipelines.
 */
export function startTelemetry(endpoint: string, serviceName = 'agi-tracker', version = '0.1.0'): Telemetry {
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces`, timeoutMillis: 5_000 });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, [ATTR_SERVICE_VERSION]: version }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000, maxExportBatchSize: 256 })],
  });
  const tracer = provider.getTracer('agi-tracker');
  return {
    tracer,
    extract(headers) {
      return propagator.extract(ROOT_CONTEXT, headers, {
        get: (carrier, key) => carrier[key],
        keys: (carrier) => Object.keys(carrier),
      });
    },
    startServerSpan(name, parent, attributes) {
      return tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    },
    shutdown: () => provider.shutdown(),
  };
}

export function endSpan(span: Span, statusCode: number, error?: Error): void {
  span.setAttribute('http.response.status_code', statusCode);
  if (error) span.recordException(error);
  if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

export { trace };
