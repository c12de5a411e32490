"""Run deployed Lambda functions in warm worker processes, without Docker, each on its runtime's interpreter.

A worker is one process per execution environment, as in Lambda: it imports
the handler once (the cold start) and then serves invocations one at a time.
Workers are kept per function version, code, configuration and environment,
and reused while idle; a concurrent invocation gets a new worker. A worker past
its timeout is killed and the invocation reported as timed out.

This module knows nothing of moto: ``invoke.py`` adapts moto's
function model to :class:`FunctionSpec` and writes the logs this returns.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from localcloud.lambda_.runtimes import WORKERS, Interpreter, Runtimes
from localcloud.vpc import placement as network

INIT_TIMEOUT_S = 10.0
WORKER_DIR = WORKERS["python"].parent
# The local cloud's root credentials: what a worker gets when no session is issued for its role.
DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "localcloud",
    "AWS_SECRET_ACCESS_KEY": "localcloud",
    "AWS_SESSION_TOKEN": "localcloud",
}
Credentials = Callable[["FunctionSpec"], dict[str, str]]


@dataclass(frozen=True)
class Layer:
    sha256: str
    zip_bytes: bytes = field(repr=False)


@dataclass(frozen=True)
class FunctionSpec:
    arn: str
    name: str
    version: str
    region: str
    handler: str
    runtime: str
    timeout_s: int
    memory_mb: int
    environment: dict[str, str]
    code_sha256: str
    code_zip: bytes = field(repr=False)
    layers: tuple[Layer, ...] = ()
    log_group: str = ""
    reserved_concurrency: int | None = None
    role_arn: str = ""  # the execution role: the worker's credentials are a session of it
    # The VPC, subnets and security groups of its network interfaces; empty: not attached to a VPC.
    vpc: tuple[str, tuple[str, ...], tuple[str, ...]] = ("", (), ())
    tracing: str = "PassThrough"  # X-Ray: "Active" or "PassThrough"

    def worker_key(self) -> str:
        parts = [
            self.arn,
            self.version,
            self.role_arn,
            self.runtime,
            self.handler,
            str(self.timeout_s),
            str(self.memory_mb),
            self.code_sha256,
            json.dumps(self.environment, sort_keys=True),
            *(layer.sha256 for layer in self.layers),
            json.dumps(self.vpc),
            self.tracing,
        ]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Invocation:
    request_id: str
    payload: bytes
    error_type: str | None  # None when the handler returned normally
    log_text: str
    log_stream: str
    duration_ms: float
    concurrent_executions: int = 1  # this function's invocations in flight when this one started
    init_duration_ms: float | None = None  # the init phase (imports) of a cold start; None when warm


class Throttled(Exception):
    """The function is at its reserved concurrency."""


class Worker:
    def __init__(
        self,
        spec: FunctionSpec,
        code_dir: Path,
        layer_dirs: list[Path],
        interpreter: Interpreter,
        endpoint_url: str,
        log_dir: Path,
        credentials: dict[str, str] | None = None,
        machine_environment: dict[str, str] | None = None,
    ) -> None:
        self.key = spec.worker_key()
        self.function_arn = spec.arn
        now = time.gmtime()
        self.log_stream = f"{now.tm_year}/{now.tm_mon:02d}/{now.tm_mday:02d}/[{spec.version}]{uuid.uuid4().hex}"
        self.log_path = log_dir / f"{uuid.uuid4().hex}.log"
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "en_US.UTF-8",
            "HOME": "/tmp",
            "TZ": ":UTC",
            **(machine_environment or {}),
            **spec.environment,
            **(credentials or DUMMY_CREDENTIALS),
            "AWS_REGION": spec.region,
            "AWS_DEFAULT_REGION": spec.region,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
            "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group,
            "AWS_LAMBDA_LOG_STREAM_NAME": self.log_stream,
            "LAMBDA_TASK_ROOT": str(code_dir),
            "LAMBDA_RUNTIME_DIR": str(WORKER_DIR),
            "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001",  # the workers speak over pipes; set as every runtime sets it
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "_HANDLER": spec.handler,
            **_search_paths(interpreter, code_dir, layer_dirs),
            "LOCALCLOUD_FUNCTION_ARN": spec.arn,
            # As Lambda sets it; the daemon's address comes with the machine's environment (the xray extension).
            "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        }
        # The function's own setting wins, so a test can point a handler elsewhere.
        env.setdefault("AWS_ENDPOINT_URL", endpoint_url)
        if "SSL_CERT_FILE" in env:  # Node.js trusts the machine's authority through its own variable
            env.setdefault("NODE_EXTRA_CA_CERTS", env["SSL_CERT_FILE"])
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                interpreter.argv(str(req_r), str(resp_w)),
                pass_fds=(req_r, resp_w),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=str(code_dir),
            )
        os.close(req_r)
        os.close(resp_w)
        vpc_id, subnets, groups = spec.vpc
        account, region = spec.arn.split(":")[4], spec.arn.split(":")[3]
        network.register_worker(
            self.proc.pid,
            network.Placement(account, region, vpc_id, subnets, groups, f"function {spec.name}", self.proc.pid),
        )
        self._requests = os.fdopen(req_w, "w", encoding="utf-8")
        self._responses = resp_r
        self._buffer = b""
        self.init_ms: float | None = None
        self.served = 0
        self.last_used = time.monotonic()

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def _read_line(self, deadline: float) -> dict | None:
        """The worker's next JSON line; None at the deadline, {"crashed": True} when it died."""
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._responses], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._responses, 1 << 16)
            if not chunk:
                return {"crashed": True}
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def wait_ready(self, timeout_s: float) -> float | None:
        """Wait for the init phase (imports) to end; its duration in ms, or None if it did not end in time."""
        if self.init_ms is None:
            answer = self._read_line(time.monotonic() + timeout_s)
            if answer and answer.get("ready"):
                self.init_ms = float(answer["init_ms"])
        return self.init_ms

    def invoke(self, event: str, request_id: str, timeout_s: float, trace_header: str = "") -> dict | None:
        """Send one event; return the worker's outcome, or None on timeout or crash."""
        deadline = time.monotonic() + timeout_s
        request = {
            "event": event,
            "request_id": request_id,
            "deadline_ms": int((time.time() + timeout_s) * 1000),
            "trace_id": trace_header,  # the invocation's _X_AMZN_TRACE_ID
        }
        try:
            self._requests.write(json.dumps(request) + "\n")
            self._requests.flush()
        except (BrokenPipeError, OSError):
            return {"crashed": True}
        outcome = self._read_line(deadline)
        while outcome is not None and outcome.get("ready"):
            # An init longer than Lambda's init phase goes on inside the invocation, as in AWS: its
            # "ready" line arrives first (a loaded machine takes that long to import a package).
            self.init_ms = self.init_ms if self.init_ms is not None else float(outcome["init_ms"])
            outcome = self._read_line(deadline)
        if outcome is not None and not outcome.get("crashed"):
            self.served += 1
            self.last_used = time.monotonic()
        return outcome

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def read_log(self, start: int) -> str:
        with open(self.log_path, "rb") as log:
            log.seek(start)
            return log.read().decode("utf-8", errors="replace")

    def kill(self) -> None:
        """End the process and release its pipes and log file (safe to call twice)."""
        if self.alive:
            self.proc.kill()
        self.proc.wait()
        network.forget_worker(self.proc.pid)
        if not self._requests.closed:
            try:
                self._requests.close()
            except OSError:  # a broken pipe on the final flush
                pass
            os.close(self._responses)
        self.log_path.unlink(missing_ok=True)


def _search_paths(interpreter: Interpreter, code_dir: Path, layer_dirs: list[Path]) -> dict[str, str]:
    """Where the runtime finds modules, in Lambda's order: the function's code, its layers, then the SDK the
    runtime bundles. Lambda extracts every layer into one /opt, a later layer's files over an earlier one's:
    here each kind of folder lists the later layers first."""
    layers = list(reversed(layer_dirs))
    if interpreter.family == "nodejs":
        major = interpreter.version.split(".")[0]
        paths = [str(d / f"nodejs/node{major}/node_modules") for d in layers]
        paths += [str(d / "nodejs/node_modules") for d in layers]
        return {"NODE_PATH": os.pathsep.join([*paths, *interpreter.sdk_paths, str(code_dir)])}
    minor = ".".join(interpreter.version.split(".")[:2])
    paths = [str(code_dir)]
    paths += [str(d / f"python/lib/python{minor}/site-packages") for d in layers]
    paths += [str(d / "python") for d in layers]
    return {
        "PYTHONPATH": os.pathsep.join([*paths, *interpreter.sdk_paths]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
    }


def default_runtime_python() -> str:
    configured = os.environ.get("LOCALCLOUD_LAMBDA_PYTHON")
    if configured:
        return configured
    # A virtualenv holding only what the Lambda runtime provides (boto3), as `make install` creates it.
    runtime_venv = Path(".venv-lambda-runtime", "bin", "python").absolute()
    return str(runtime_venv) if runtime_venv.exists() else sys.executable


class LambdaRunner:
    """Pool of warm workers, keyed by what makes two execution environments interchangeable."""

    def __init__(
        self,
        endpoint_url: str,
        state_dir: Path,
        python: str | None = None,
        idle_seconds: float = 600.0,
        credentials: Credentials | None = None,
    ) -> None:
        self.endpoint_url = endpoint_url
        # Issues each new execution environment its role's credentials (set by the Lambda patch).
        self.credentials = credentials
        # What the execution environment provides beyond the function's own settings (the trust store).
        self.machine_environment: dict[str, str] = {}
        self.python = python or default_runtime_python()
        self.runtimes = Runtimes(self.python)
        self.state_dir = state_dir
        self.idle_seconds = idle_seconds
        self._log_dir = state_dir / "worker-logs"
        self._log_dir.mkdir(parents=True, exist_ok=True)
        self._idle: dict[str, list[Worker]] = {}
        self._busy: dict[str, int] = {}  # function ARN -> invocations in flight
        self._lock = threading.Lock()
        self._extract_lock = threading.Lock()
        # Idle workers are reaped on a timer, not only when some later invocation happens to look.
        self._stopping = threading.Event()
        self._reaper = threading.Thread(target=self._reap_periodically, name="lambda-reaper", daemon=True)
        self._reaper.start()

    def _reap_periodically(self) -> None:
        interval = max(1.0, min(30.0, self.idle_seconds / 2))
        while not self._stopping.wait(interval):
            self._reap_idle()

    def retire(self, arn: str) -> int:
        """End the idle workers of a function (deleted, or its code replaced); how many ended."""
        with self._lock:
            retired = [w for ws in self._idle.values() for w in ws if w.function_arn == arn]
            for key in list(self._idle):
                self._idle[key] = [w for w in self._idle[key] if w.function_arn != arn]
        for worker in retired:
            worker.kill()
        return len(retired)

    def _unpacked(self, kind: str, sha256: str, zip_bytes: bytes) -> Path:
        target = self.state_dir / kind / sha256
        with self._extract_lock:
            if not target.exists():
                tmp = Path(tempfile.mkdtemp(dir=self.state_dir, prefix=".unzip-"))
                with zipfile.ZipFile(io.BytesIO(zip_bytes)) as zf:
                    zf.extractall(tmp)
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp.rename(target)
        return target

    def _acquire(self, spec: FunctionSpec, interpreter: Interpreter) -> tuple[Worker, bool]:
        key = spec.worker_key()
        stale: list[Worker] = []
        with self._lock:
            in_flight = self._busy.get(spec.arn, 0)
            if spec.reserved_concurrency is not None and in_flight >= spec.reserved_concurrency:
                raise Throttled(
                    f"Rate Exceeded. {spec.name} is at its reserved concurrency {spec.reserved_concurrency}"
                )
            self._busy[spec.arn] = in_flight + 1
            # Workers of an older version of this function will never be used again.
            for other_key, workers in list(self._idle.items()):
                if other_key != key and workers and workers[0].function_arn == spec.arn:
                    stale += self._idle.pop(other_key)
            idle = self._idle.get(key, [])
            worker = idle.pop() if idle else None
        for old in stale:
            old.kill()
        if worker is not None and worker.alive:
            return worker, False
        try:
            code_dir = self._unpacked("code", spec.code_sha256, spec.code_zip)
            if interpreter.family == "nodejs":
                self._sdk_for_es_modules(code_dir.parent, interpreter)
            layer_dirs = [self._unpacked("layers", layer.sha256, layer.zip_bytes) for layer in spec.layers]
            credentials = self.credentials(spec) if self.credentials else None
            return Worker(
                spec,
                code_dir,
                layer_dirs,
                interpreter,
                self.endpoint_url,
                self._log_dir,
                credentials,
                self.machine_environment,
            ), True
        except Exception:
            self._release(spec.arn)
            raise

    def _sdk_for_es_modules(self, code_root: Path, interpreter: Interpreter) -> None:
        """An ES module finds packages only in node_modules folders above it (NODE_PATH is for require): the
        runtime's SDK is linked above every function's code, below the function's own node_modules."""
        link = code_root / "node_modules"
        with self._extract_lock:
            if interpreter.sdk_paths and not link.exists():
                link.symlink_to(interpreter.sdk_paths[0], target_is_directory=True)

    def _release(self, arn: str) -> None:
        with self._lock:
            self._busy[arn] -= 1

    def in_flight(self, arn: str) -> int:
        with self._lock:
            return self._busy.get(arn, 0)

    def invoke(self, spec: FunctionSpec, event: str, trace_header: str = "") -> Invocation:
        interpreter = self.runtimes.interpreter(spec.runtime)
        if interpreter is None:
            problem = self.runtimes.problem(spec.name, spec.runtime)
            request_id = str(uuid.uuid4())
            error = {"errorMessage": problem, "errorType": "LocalCloud.UnsupportedRuntime", "requestId": request_id}
            return Invocation(
                request_id,
                json.dumps(error).encode(),
                error["errorType"],
                problem + "\n",
                f"unsupported-runtime/{uuid.uuid4().hex}",
                0.0,
            )
        worker, cold = self._acquire(spec, interpreter)
        concurrent = self.in_flight(spec.arn)
        request_id = str(uuid.uuid4())
        # Lambda's init phase (imports) has its own 10 s; past it, init goes on inside the invocation.
        init_ms = worker.wait_ready(INIT_TIMEOUT_S) if cold else None
        started = time.perf_counter()
        log_start = worker.log_size()
        try:
            outcome = worker.invoke(event, request_id, spec.timeout_s, trace_header)
        except BaseException:
            worker.kill()
            self._release(spec.arn)
            raise
        duration_ms = (time.perf_counter() - started) * 1000
        output = worker.read_log(log_start)
        if outcome is None or outcome.get("crashed"):
            exit_code = worker.proc.poll()
            worker.kill()
            if outcome is None:
                message = f"{request_id} Task timed out after {spec.timeout_s:.2f} seconds"
                error = {"errorMessage": message, "errorType": "Sandbox.Timedout"}
            else:
                error = {
                    "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: exit status {exit_code}",
                    "errorType": "Runtime.ExitError",
                }
            output += error["errorMessage"] + "\n"
            result = Invocation(
                request_id,
                json.dumps(error).encode(),
                error["errorType"],
                output,
                worker.log_stream,
                duration_ms,
                concurrent,
                init_ms,
            )
        elif "error" in outcome:
            error = dict(outcome["error"])
            error["requestId"] = request_id
            result = Invocation(
                request_id,
                json.dumps(error).encode(),
                error["errorType"],
                output,
                worker.log_stream,
                duration_ms,
                concurrent,
                init_ms,
            )
        else:
            payload = base64.b64decode(outcome["result_b64"]) if "result_b64" in outcome else outcome["result"].encode()
            result = Invocation(
                request_id,
                payload,
                None,
                output,
                worker.log_stream,
                duration_ms,
                concurrent,
                init_ms,
            )
        if worker.alive and not (outcome or {}).get("fatal"):
            with self._lock:
                self._idle.setdefault(worker.key, []).append(worker)
        else:
            worker.kill()
        self._release(spec.arn)
        return result

    def _reap_idle(self) -> None:
        now = time.monotonic()
        expired: list[Worker] = []
        with self._lock:
            for key, workers in self._idle.items():
                keep = [w for w in workers if now - w.last_used < self.idle_seconds]
                expired += [w for w in workers if w not in keep]
                self._idle[key] = keep
        for worker in expired:
            worker.kill()

    def worker_count(self, arn: str | None = None) -> int:
        with self._lock:
            return sum(1 for ws in self._idle.values() for w in ws if arn is None or w.function_arn == arn)

    def shutdown(self) -> None:
        self._stopping.set()
        with self._lock:
            workers = [w for ws in self._idle.values() for w in ws]
            self._idle.clear()
        for worker in workers:
            worker.kill()
        shutil.rmtree(self._log_dir, ignore_errors=True)
