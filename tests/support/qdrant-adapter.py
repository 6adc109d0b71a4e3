"""Qdrant's own engine behind Qdrant's REST API, for the tests.

`qdrant-edge-py` is Qdrant's Rust shard/segment engine (filters, payload indexes, id
rules, vector storage) without the server around it. This adapter is that server, for
the endpoints `@qdrant/js-client-rest` calls in this project and nothing more: every
request body is parsed strictly with `qdrant-client`'s own pydantic models (unknown
fields are refused, as a real server refuses them), and answers come in Qdrant's
envelope ({"result", "status", "time"}) with its status codes (400 bad input, 404 no
such collection, 409 a collection that already exists). Anything else answers 501, so
a request the adapter does not understand fails loudly instead of passing.

Prints "listening <port>" when ready; exits when its parent closes stdin.
"""

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import qdrant_edge as qe
from pydantic import TypeAdapter, ValidationError
from qdrant_client.http import models as m


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


DISTANCES = {m.Distance.COSINE: qe.Distance.Cosine, m.Distance.DOT: qe.Distance.Dot, m.Distance.EUCLID: qe.Distance.Euclid}
SCHEMAS = {"keyword": qe.PayloadSchemaType.Keyword, "integer": qe.PayloadSchemaType.Integer, "text": qe.PayloadSchemaType.Text}
SCHEMA_NAMES = {v: k for k, v in SCHEMAS.items()}


def parse(model, body):
    try:
        return TypeAdapter(model).validate_python(body)
    except ValidationError as err:
        raise ApiError(400, f"Format error in JSON body: {err.errors()[0]['msg']} at {err.errors()[0]['loc']}")


def point_id(raw):
    if isinstance(raw, int) and raw >= 0:
        return raw
    if isinstance(raw, str):
        try:
            return uuid.UUID(raw)
        except ValueError:
            pass
    raise ApiError(400, f"Format error in JSON body: value {raw} is not a valid point ID, valid values are either an unsigned integer or a UUID")


def out_id(value):
    return str(value) if isinstance(value, uuid.UUID) else value


def condition(c):
    if isinstance(c, m.Filter):
        return filter_(c)
    if isinstance(c, m.HasIdCondition):
        return qe.HasIdCondition({point_id(i) for i in c.has_id})
    if isinstance(c, m.FieldCondition) and c.match is not None and not (c.range or c.geo_radius or c.values_count):
        match = c.match
        if isinstance(match, m.MatchValue):
            return qe.FieldCondition(key=c.key, match=qe.MatchValue(match.value))
        if isinstance(match, m.MatchAny):
            return qe.FieldCondition(key=c.key, match=qe.MatchAny(list(match.any)))
        if isinstance(match, m.MatchText):
            return qe.FieldCondition(key=c.key, match=qe.MatchText(match.text))
    raise ApiError(501, f"the test adapter does not support this condition: {c!r}")


def filter_(f):
    if f is None:
        return None
    if f.min_should is not None:
        raise ApiError(501, "the test adapter does not support min_should")
    as_list = lambda cs: None if cs is None else [condition(c) for c in (cs if isinstance(cs, list) else [cs])]
    return qe.Filter(must=as_list(f.must), should=as_list(f.should), must_not=as_list(f.must_not))


def with_payload(value):
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, list):
        return qe.PayloadSelector.Include(value)
    raise ApiError(501, "the test adapter supports with_payload as a boolean or a list of fields")


def vector_out(v):
    if v is None:
        return None
    if isinstance(v, dict):
        return {k: list(x) for k, x in v.items()}
    return list(v)


def record(p, with_vector):
    out = {"id": out_id(p.id), "payload": p.payload if p.payload is not None else None}
    if with_vector:
        out["vector"] = vector_out(p.vector)
    return out


class Collection:
    def __init__(self, path, params):
        self.path = path
        self.params = params  # the request's vectors config, as Qdrant reports it back
        if isinstance(params, m.VectorParams):
            vectors = qe.EdgeVectorParams(size=params.size, distance=DISTANCES[params.distance])
        else:
            vectors = {k: qe.EdgeVectorParams(size=v.size, distance=DISTANCES[v.distance]) for k, v in params.items()}
        self.shard = qe.EdgeShard.create(path, qe.EdgeConfig(vectors=vectors))

    def info(self):
        info = self.shard.info()
        vectors = self.params.model_dump(mode="json", exclude_none=True) if isinstance(self.params, m.VectorParams) else {
            k: v.model_dump(mode="json", exclude_none=True) for k, v in self.params.items()
        }
        return {
            "status": "green",
            "optimizer_status": "ok",
            "indexed_vectors_count": info.indexed_vectors_count,
            "points_count": info.points_count,
            "segments_count": info.segments_count,
            "config": {
                "params": {"vectors": vectors, "shard_number": 1, "replication_factor": 1, "write_consistency_factor": 1, "on_disk_payload": True},
                "hnsw_config": {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000, "max_indexing_threads": 0, "on_disk": False},
                "optimizer_config": {"deleted_threshold": 0.2, "vacuum_min_vector_number": 1000, "default_segment_number": 0, "flush_interval_sec": 5},
                "wal_config": {"wal_capacity_mb": 32, "wal_segments_ahead": 0},
                "quantization_config": None,
            },
            "payload_schema": {
                name: {"data_type": SCHEMA_NAMES.get(index.data_type, str(index.data_type)), "points": index.points}
                for name, index in info.payload_schema.items()
            },
        }


class Store:
    def __init__(self, root):
        self.root = root
        self.collections = {}
        self.lock = threading.Lock()

    def get(self, name):
        collection = self.collections.get(name)
        if collection is None:
            raise ApiError(404, f"Not found: Collection `{name}` doesn't exist!")
        return collection

    def create(self, name, body):
        request = parse(m.CreateCollection, body)
        if name in self.collections:
            raise ApiError(409, f"Wrong input: Collection `{name}` already exists!")
        if request.vectors is None:
            raise ApiError(501, "the test adapter needs a vectors config")
        self.collections[name] = Collection(tempfile.mkdtemp(dir=self.root), request.vectors)
        return True

    def delete(self, name):
        collection = self.get(name)
        del self.collections[name]
        collection.shard.close()
        shutil.rmtree(collection.path, ignore_errors=True)
        return True

    def create_index(self, name, body):
        collection = self.get(name)
        request = parse(m.CreateFieldIndex, body)
        schema = request.field_schema
        if isinstance(schema, m.PayloadSchemaType):
            schema = schema.value
        if isinstance(schema, str) and schema in SCHEMAS:
            edge_schema = SCHEMAS[schema]
        elif isinstance(schema, m.KeywordIndexParams):
            edge_schema = qe.KeywordIndexParams()
        elif isinstance(schema, m.IntegerIndexParams):
            edge_schema = qe.IntegerIndexParams(lookup=schema.lookup, range=schema.range)
        else:
            raise ApiError(501, f"the test adapter does not support the index schema {schema!r}")
        collection.shard.update(qe.UpdateOperation.create_field_index(request.field_name, edge_schema))
        return {"operation_id": 0, "status": "completed"}

    def upsert(self, name, body):
        collection = self.get(name)
        request = parse(m.PointInsertOperations, body)
        if not isinstance(request, m.PointsList):
            raise ApiError(501, "the test adapter supports upserts as a list of points")
        points = [qe.Point(point_id(p.id), p.vector, p.payload) for p in request.points]
        collection.shard.update(qe.UpdateOperation.upsert_points(points))
        return {"operation_id": 0, "status": "completed"}

    def delete_points(self, name, body):
        collection = self.get(name)
        request = parse(m.PointsSelector, body)
        if isinstance(request, m.PointIdsList):
            collection.shard.update(qe.UpdateOperation.delete_points([point_id(i) for i in request.points]))
        else:
            collection.shard.update(qe.UpdateOperation.delete_points_by_filter(filter_(request.filter)))
        return {"operation_id": 0, "status": "completed"}

    def retrieve(self, name, body):
        collection = self.get(name)
        request = parse(m.PointRequest, body)
        vector = bool(request.with_vector)
        records = collection.shard.retrieve([point_id(i) for i in request.ids], with_payload(request.with_payload), vector)
        return [record(r, vector) for r in records]

    def scroll(self, name, body):
        collection = self.get(name)
        request = parse(m.ScrollRequest, body)
        if request.order_by is not None:
            raise ApiError(501, "the test adapter does not support order_by")
        vector = bool(request.with_vector)
        records, next_offset = collection.shard.scroll(
            qe.ScrollRequest(
                offset=None if request.offset is None else point_id(request.offset),
                limit=request.limit or 10,
                filter=filter_(request.filter),
                with_payload=with_payload(True if request.with_payload is None else request.with_payload),
                with_vector=vector,
            )
        )
        return {"points": [record(r, vector) for r in records], "next_page_offset": None if next_offset is None else out_id(next_offset)}

    def count(self, name, body):
        collection = self.get(name)
        request = parse(m.CountRequest, body)
        return {"count": collection.shard.count(qe.CountRequest(exact=True, filter=filter_(request.filter)))}

    def query(self, name, body):
        collection = self.get(name)
        request = parse(m.QueryRequest, body)
        if request.prefetch or request.using or request.lookup_from:
            raise ApiError(501, "the test adapter supports plain nearest-vector queries")
        query = request.query
        if isinstance(query, m.NearestQuery):
            query = query.nearest
        if not (isinstance(query, list) and all(isinstance(x, (int, float)) for x in query)):
            raise ApiError(501, "the test adapter supports a dense vector as the query")
        vector = bool(request.with_vector)
        points = collection.shard.query(
            qe.QueryRequest(
                limit=request.limit or 10,
                offset=request.offset,
                query=qe.Query.Nearest([float(x) for x in query]),
                filter=filter_(request.filter),
                with_payload=with_payload(request.with_payload),
                with_vector=vector,
                score_threshold=request.score_threshold,
            )
        )
        return {"points": [{**record(p, vector), "version": p.version, "score": p.score} for p in points]}


ROUTES = [
    ("GET", r"/collections/([^/]+)/exists", lambda s, n, b: {"exists": n in s.collections}),
    ("GET", r"/collections/([^/]+)", lambda s, n, b: s.get(n).info()),
    ("PUT", r"/collections/([^/]+)", lambda s, n, b: s.create(n, b)),
    ("DELETE", r"/collections/([^/]+)", lambda s, n, b: s.delete(n)),
    ("PUT", r"/collections/([^/]+)/index", lambda s, n, b: s.create_index(n, b)),
    ("PUT", r"/collections/([^/]+)/points", lambda s, n, b: s.upsert(n, b)),
    ("POST", r"/collections/([^/]+)/points", lambda s, n, b: s.retrieve(n, b)),
    ("POST", r"/collections/([^/]+)/points/delete", lambda s, n, b: s.delete_points(n, b)),
    ("POST", r"/collections/([^/]+)/points/scroll", lambda s, n, b: s.scroll(n, b)),
    ("POST", r"/collections/([^/]+)/points/count", lambda s, n, b: s.count(n, b)),
    ("POST", r"/collections/([^/]+)/points/query", lambda s, n, b: s.query(n, b)),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="jobs-qdrant-")
    store = Store(root)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args):
            pass

        def send(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def handle_any(self):
            started = time.monotonic()
            url = urlparse(self.path)
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                self.send(400, {"status": {"error": "Format error in JSON body: expected value"}, "time": 0})
                return
            for method, pattern, handler in ROUTES:
                match = re.fullmatch(pattern, url.path)
                if method == self.command and match:
                    try:
                        with store.lock:  # the engine is used by one request at a time
                            result = handler(store, match.group(1), body)
                        self.send(200, {"result": result, "status": "ok", "time": time.monotonic() - started})
                    except ApiError as err:
                        self.send(err.status, {"status": {"error": str(err)}, "time": time.monotonic() - started})
                    except Exception as err:  # the engine refused it: bad input, as Qdrant says
                        message = str(err)
                        if "dimension" in message or "UUID" in message:
                            message = f"Wrong input: {message}"
                        self.send(400, {"status": {"error": message}, "time": time.monotonic() - started})
                    return
            self.send(404, {"status": {"error": f"Not found: {self.command} {url.path}"}, "time": 0})

        do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True

    def exit_with_parent():
        sys.stdin.read()
        shutil.rmtree(root, ignore_errors=True)
        os._exit(0)

    threading.Thread(target=exit_with_parent, daemon=True).start()
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
