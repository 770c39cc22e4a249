"""shipping, instrumented: the reference solution of the practical, in Python.

Differences from the shipped service (sample-app/python/shipping/app.py): a SERVER span per request,
continuing the caller's trace (extract); the custom span shipping.quote with its attributes; a
failure recorded on the span that saw it (exception event, status error). Nothing personal or
secret goes into an attribute: not the recipient, not the carrier's key.
  POST /quotes     {"items": [{"productId", "quantity"}]}                 -> {"weightGrams", "costCents", "service"}
  POST /shipments  {"orderId", "items", "recipient": {"name", "email"}}   -> {"trackingNumber"}
Configuration: PORT, CARRIER_URL, CARRIER_API_KEY (the lab sets them).
"""

import json
import os
import signal
import sys
import urllib.error
import urllib.request
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import tracing  # noqa: F401  (starts OpenTelemetry before the server exists)
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

tracer = trace.get_tracer("shipping")

PORT = int(os.environ.get("PORT", "8084"))
CARRIER_URL = os.environ.get("CARRIER_URL", "http://127.0.0.1:8085")
CARRIER_KEY = os.environ.get("CARRIER_API_KEY", "")


class ShippingError(Exception):
    """A refusal the caller should hear about (4xx), as opposed to a bug (500)."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def log(msg, **fields):
    record = {"time": datetime.now(timezone.utc).isoformat(), "service": "shipping", "msg": msg, **fields}
    print(json.dumps(record), flush=True)


def unit_grams(product_id):
    """Each product's packed weight, in grams (the catalogue's shipping data, kept here)."""
    return 250 + (product_id * 37) % 1750


def parcel_grams(items):
    if not isinstance(items, list) or not items:
        raise ShippingError("items must be a non-empty list", 400)
    grams = 0
    for item in items:
        product_id, quantity = item.get("productId"), item.get("quantity")
        if not isinstance(product_id, int) or not isinstance(quantity, int) or quantity < 1:
            raise ShippingError("each item needs a whole productId and a quantity of at least 1", 400)
        grams += unit_grams(product_id) * quantity
    return grams


def call_carrier(path, body):
    """POSTs JSON to the carrier with the API key; returns its JSON, or raises what it refused."""
    request = urllib.request.Request(
        CARRIER_URL + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"content-type": "application/json", "authorization": "Bearer " + CARRIER_KEY},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        detail = json.loads(e.read() or b"{}").get("error", "")
        if e.code == 422:
            raise ShippingError("the carrier refused the parcel: " + detail, 422) from e
        raise RuntimeError(f"the carrier answered {e.code}: {detail}") from e


def quote(body):
    # The custom span: the business step, with what it decided. start_as_current_span records an
    # exception raised inside it (event + status error) by default.
    with tracer.start_as_current_span("shipping.quote") as span:
        weight = parcel_grams(body.get("items"))
        span.set_attribute("app.shipping.weight_grams", weight)
        rate = call_carrier("/v1/rates", {"weightGrams": weight})
        span.set_attribute("app.shipping.cost_cents", rate["costCents"])
        span.set_attribute("app.shipping.service", rate["service"])
        log("quoted", weight_grams=weight, cost_cents=rate["costCents"])
        return {"weightGrams": weight, "costCents": rate["costCents"], "service": rate["service"]}


def dispatch(body):
    order_id = body.get("orderId")
    recipient = body.get("recipient") or {}
    if not isinstance(order_id, (str, int)):
        raise ShippingError("orderId is required", 400)
    if not isinstance(recipient.get("name"), str) or not isinstance(recipient.get("email"), str):
        raise ShippingError("recipient needs a name and an email", 400)
    weight = parcel_grams(body.get("items"))
    shipment = call_carrier(
        "/v1/shipments",
        {
            "reference": str(order_id),
            "weightGrams": weight,
            "recipient": {"name": recipient["name"], "email": recipient["email"]},
        },
    )
    log("dispatched", order_id=str(order_id), tracking_number=shipment["trackingNumber"])
    return {"trackingNumber": shipment["trackingNumber"]}


ROUTES = {"/quotes": quote, "/shipments": dispatch}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/healthz":
            return self.send(200, {"ok": True})
        self.send(404, {"error": "no route GET " + self.path})

    def do_POST(self):
        route = self.path.split("?")[0]
        handler = ROUTES.get(route)
        if handler is None:
            return self.send(404, {"error": "no route POST " + route})
        # http.server has no instrumentation: the SERVER span is ours, a child of the caller's span.
        with tracer.start_as_current_span(
            "POST " + route,
            context=propagate.extract(self.headers),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": "POST", "http.route": route, "url.path": self.path},
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            status = self.handle_post(route, handler)
            span.set_attribute("http.response.status_code", status)
            if status >= 500:
                span.set_status(Status(StatusCode.ERROR))

    def handle_post(self, route, handler):
        span = trace.get_current_span()
        try:
            length = int(self.headers.get("content-length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError as e:
                raise ShippingError("the body must be JSON", 400) from e
            self.send(200, handler(body))
            return 200
        except Exception as e:  # noqa: BLE001  (every failure becomes an answer)
            status = e.status if isinstance(e, ShippingError) else 500
            if status >= 500:
                # Not raised out of a span that would record it: record it here.
                span.record_exception(e)
            log("request failed" if status >= 500 else "request refused", route=route, status=status, error=str(e))
            self.send(status, {"error": str(e)})
            return status

    def send(self, status, body):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):  # noqa: A002  (the access log is the JSON lines above)
        pass


def main():
    try:
        server = ThreadingHTTPServer((os.environ.get("HOST", "127.0.0.1"), PORT), Handler)
    except OSError:
        sys.stderr.write(f"shipping: port {PORT} is already in use; stop what uses it or set PORT\n")
        sys.exit(2)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log(f"shipping listening on {PORT}")
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
