#!/usr/bin/env python3
"""Time from an HTTP delivery to its row on the dashboard's screen, from a key press to the
screen answering it, and from a keystroke in the Compose editor to the redrawn preview, in a
real terminal (tmux), idle and while wrk loads the receiver.

Every figure sits next to its baseline from the same run: the cost of one `tmux capture-pane`,
which bounds how finely the screen can be watched.

    benchmarks/screen_latency.py BIN_DIR [--samples 30] [--load-seconds 20] [--conns 8]
"""
import argparse, http.client, json, os, random, re, shutil, statistics, subprocess, tempfile, time, uuid

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir")
    ap.add_argument("--samples", type=int, default=30)
    ap.add_argument("--load-seconds", type=int, default=30)
    ap.add_argument("--conns", type=int, default=8)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="calldash-screen-")
    # A compose webhook whose URL ends in "&v=": each probe keystroke lands in the preview's request line.
    os.makedirs(f"{tmp}/calldash/webhooks")
    with open(f"{tmp}/calldash/webhooks/7.json", "w") as f:
        json.dump({"id": 7, "name": "probe", "method": "POST", "format": "json", "url": "http://127.0.0.1:9/hook?s={{status}}&v=",
                   "headers": [], "body": [{"key": "message_status", "value": "{{status}}"}]}, f)
    sock = "calldash-bench-" + uuid.uuid4().hex[:8]
    tmux = lambda *args, **kw: subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True, **kw)
    cmd = f"{a.bin_dir}/calldash watch {os.environ.get('WATCH_ARGS', '')} --port 0 --journal {tmp}/journal.jsonl --log {tmp}/calldash.log"
    subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
                    f"env XDG_CONFIG_HOME={tmp} {cmd}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    try:
        screen = lambda: tmux("capture-pane", "-p", "-t", "b").stdout
        port = None
        deadline = time.time() + 60
        while port is None and time.time() < deadline:
            m = re.search(r"http://127\.0\.0\.1:(\d+)", screen())
            port = int(m.group(1)) if m else None
        if port is None:
            raise SystemExit("the dashboard did not start")

        def capture_cost():
            ts = []
            for _ in range(20):
                t = time.perf_counter(); screen(); ts.append(time.perf_counter() - t)
            return statistics.median(ts)

        def until(pred, timeout=5.0):
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < timeout:
                if pred(screen()):
                    return time.perf_counter()
            return None

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        def delivery_latency(n):
            out = []
            for i in range(n):
                # A random pause, so samples fall anywhere in the 33 ms frame cycle rather than
                # just after the frame that showed the previous one.
                time.sleep(random.uniform(0.05, 0.15))
                mid = f"LAT-{uuid.uuid4().hex[:10]}"
                body = json.dumps({"mid": mid, "status": "ANSWER", "to": "919876543210", "duration": "12"})
                t0 = time.perf_counter()
                conn.request("POST", "/ack", body, {"Content-Type": "application/json"})
                conn.getresponse().read()
                t1 = until(lambda s: mid in s)
                out.append((t1 - t0) if t1 else float("inf"))
            return out

        def key_latency(n):
            out = []
            for _ in range(n):
                time.sleep(random.uniform(0.05, 0.15))
                t0 = time.perf_counter(); tmux("send-keys", "-t", "b", "?")
                t1 = until(lambda s: "search every field" in s)
                out.append((t1 - t0) if t1 else float("inf"))
                # "?" again, not Escape: curses waits 25 ms after an Escape in case a key sequence follows.
                time.sleep(random.uniform(0.05, 0.15))
                t0 = time.perf_counter(); tmux("send-keys", "-t", "b", "?")
                t1 = until(lambda s: "search every field" not in s)
                out.append((t1 - t0) if t1 else float("inf"))
            return out

        def compose_latency(n):
            """Opens Compose, types into the URL and waits for the preview; back to Calls after."""
            tmux("send-keys", "-t", "b", "c")
            if until(lambda s: "probe · 7.json" in s) is None:
                raise SystemExit("the Compose screen did not open")
            tmux("send-keys", "-t", "b", "g", "j", "Enter", "End")
            time.sleep(0.2)
            out = []
            for _ in range(n):
                for key, shown in (("x", "&v=x HTTP/1.1"), ("BSpace", "&v= HTTP/1.1")):
                    time.sleep(random.uniform(0.05, 0.15))
                    t0 = time.perf_counter(); tmux("send-keys", "-t", "b", key)
                    t1 = until(lambda s: shown in s)
                    out.append((t1 - t0) if t1 else float("inf"))
            tmux("send-keys", "-t", "b", "Enter"); time.sleep(0.1)
            tmux("send-keys", "-t", "b", "Escape"); time.sleep(0.2)
            return out

        def report(name, xs, base):
            if os.environ.get("SCREEN_LATENCY_SAMPLES"): print("   ", [round(x * 1000, 1) for x in xs])
            xs = sorted(xs)
            ms = lambda v: f"{v * 1000:.1f}"
            print(f"  {name}: median {ms(statistics.median(xs))} ms, p90 {ms(xs[int(len(xs) * 0.9) - 1])} ms, "
                  f"max {ms(xs[-1])} ms over {len(xs)} (one screen capture costs {ms(base)} ms)")

        # Only our deliveries are listed (the search keeps new arrivals that match), so under load
        # they are not scrolled away by the flood before the screen can be read.
        tmux("send-keys", "-t", "b", "/"); tmux("send-keys", "-t", "b", "-l", "LAT-"); tmux("send-keys", "-t", "b", "Enter")
        if until(lambda s: "/LAT-" in s) is None:
            raise SystemExit("the search filter did not show")
        print("screen latency, 120x40 tmux pane, release build, list filtered to the probe deliveries (/LAT-)")
        base = capture_cost()
        report("idle: delivery posted -> row on screen", delivery_latency(a.samples), base)
        report("idle: key pressed -> screen answers", key_latency(a.samples // 2), base)
        report("idle: Compose keystroke -> preview redrawn", compose_latency(a.samples // 2), base)

        wrk = shutil.which("wrk")
        if not wrk:
            print("  (wrk not installed: no figures under load)")
            return
        load = subprocess.Popen(["taskset", "-c", "1", wrk, "-t1", f"-c{a.conns}", f"-d{a.load_seconds}s", "-s", "benchmarks/post.lua",
                                 f"http://127.0.0.1:{port}/ack/receive"], stdout=subprocess.PIPE, text=True)
        time.sleep(2)
        base = capture_cost()
        report("under load: delivery posted -> row on screen", delivery_latency(a.samples), base)
        report("under load: key pressed -> screen answers", key_latency(a.samples // 2), base)
        report("under load: Compose keystroke -> preview redrawn", compose_latency(a.samples // 2), base)
        out = load.communicate()[0]
        m = re.search(r"rps=(\d+)", out)
        print(f"  load: wrk, {a.conns} connections, {a.load_seconds} s: {m.group(1) if m else '?'} deliveries/s taken by the receiver")
    finally:
        # The pane's process group first: kill-server alone can leave the dashboard behind.
        pane = tmux("display-message", "-p", "-t", "b", "#{pane_pid}").stdout.strip()
        if pane.isdigit():
            for target in (-int(pane), int(pane)):
                try:
                    os.kill(target, 9)
                except ProcessLookupError:
                    pass
        tmux("kill-server")
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == "__main__":
    main()
