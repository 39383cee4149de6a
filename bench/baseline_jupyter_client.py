"""Baseline (a) of `npm run bench`: Python jupyter_client talking to ipykernel directly over ZMQ.

No Jupyter Server, no websocket, no Node: the floor any kernel front end can reach on this machine.
Run with the Python that has jupyter_client and ipykernel (here /usr/bin/python3). Prints one JSON
object on stdout; all times are milliseconds.

  --round-trips N     `1+1` executions timed after warm-up
  --flood-bytes B     bytes printed by the output-flood cell (0 skips it)
  --flood-runs N      how many times the flood cell runs
"""

import argparse
import json
import sys
import time

from jupyter_client.manager import KernelManager

WARM_UP_RUNS = 5


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="baseline_jupyter_client.py")
    parser.add_argument("--round-trips", type=int, default=100)
    parser.add_argument("--flood-bytes", type=int, default=10 * 1024 * 1024)
    parser.add_argument("--flood-runs", type=int, default=1)
    parser.add_argument("--kernel", default="python3")
    return parser.parse_args(argv)


def run_cell(client, code):
    """Runs `code` and waits for its reply and the kernel's idle status (the same "done" as
    @jupyterlab/services' `future.done`). Returns (elapsed ms, stream bytes received)."""
    start = time.perf_counter()
    msg_id = client.execute(code, store_history=True)
    stream_bytes = 0
    idle = False
    while not idle:
        msg = client.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "stream":
            stream_bytes += len(msg["content"]["text"])
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            idle = True
    while True:
        reply = client.get_shell_msg(timeout=120)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    elapsed = (time.perf_counter() - start) * 1000.0
    if reply["content"]["status"] != "ok":
        raise RuntimeError("cell failed: %s" % reply["content"].get("evalue"))
    return elapsed, stream_bytes


def flood_code(total_bytes):
    """A print loop of 100-byte lines; the same source is used by every path of the bench."""
    lines = max(1, total_bytes // 100)
    return "import sys\nline = 'x' * 99 + '\\n'\nfor i in range(%d):\n    sys.stdout.write(line)\n" % lines


def main(argv):
    args = parse_args(argv)
    result = {"kernel": args.kernel}
    start = time.perf_counter()
    manager = KernelManager(kernel_name=args.kernel)
    manager.start_kernel()
    client = manager.client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=60)
        result["coldStartMs"] = (time.perf_counter() - start) * 1000.0
        first, _ = run_cell(client, "1+1")
        result["coldFirstResultMs"] = (time.perf_counter() - start) * 1000.0
        result["firstRoundTripMs"] = first
        for _ in range(WARM_UP_RUNS):
            run_cell(client, "1+1")
        result["roundTripMs"] = [run_cell(client, "1+1")[0] for _ in range(args.round_trips)]
        floods = []
        for _ in range(args.flood_runs if args.flood_bytes > 0 else 0):
            elapsed, received = run_cell(client, flood_code(args.flood_bytes))
            floods.append({"ms": elapsed, "bytes": received})
        result["flood"] = floods
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
