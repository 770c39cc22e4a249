"""OpenTelemetry for the shipping service (reference solution), imported by app.py before anything else.

The SDK with a batch processor exporting OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the lab sets it),
the resource that names the service, W3C trace context (the API's default propagator) and the
urllib instrumentation, which makes a CLIENT span for every carrier call and injects traceparent.
"""

import atexit
import signal
import sys

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.urllib import URLLibInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

# Resource.create also reads OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, which win over these.
resource = Resource.create(
    {
        "service.name": "shipping",
        "service.version": "1.0.0",
        "deployment.environment.name": "lab",
    }
)
provider = TracerProvider(resource=resource)
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)

URLLibInstrumentor().instrument()

# Spans still in the batch leave before the process does (the lab stops services with SIGTERM).
atexit.register(provider.shutdown)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
