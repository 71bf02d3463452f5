#!/usr/bin/env python3
"""What stream clients resuming with a backlog cost the deliveries that arrive meanwhile.

Starts `calldash serve` with a journal, fills it with STORED deliveries, then times sequential
POSTs on one keep-alive connection in one run: alone; while RESUMERS clients reconnect to
/_calldash/stream live-only as fast as they can (the baseline: the same connections and client
CPU); and while they reconnect with `Last-Event-ID: 1`, so that each reconnect makes the
receiver read a 1,000-event backlog back from the journal.

    benchmarks/stream_resume.py BIN_DIR [--stored 100000] [--resumers 4] [--seconds 5]
"""
import argparse, os, socket, statistics, subprocess, tempfile, threading, time

BODY = open(os.path.join(os.path.dirname(__file__), "sample-report.json"), "rb").read().strip()
POST = (b"POST /ack HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)) + BODY


def read_reply(s, buf):
    while b"\r\n\r\n" not in buf:
        buf += s.recv(65536)
    head, rest = buf.split(b"\r\n\r\n", 1)
    length = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
    while len(rest) < length:
        rest += s.recv(65536)
    return rest[length:]


def timed_posts(port, seconds):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf, times, end = b"", [], time.time() + seconds
    while time.time() < end:
        t = time.perf_counter()
        s.sendall(POST)
        buf = read_reply(s, buf)
        times.append((time.perf_counter() - t) * 1000)
    s.close()
    return times


def reconnector(port, stop, count, backlog):
    """Reconnects to the stream over and over: resuming from seq 1 (a 1,000-event backlog to read
    back from the journal each time), or live only, the baseline that costs the same connections."""
    header = b"Last-Event-ID: 1\r\n" if backlog else b""
    while not stop.is_set():
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /_calldash/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + b"\r\n")
        events, want = 0, 1000 if backlog else 0
        s.settimeout(5)
        try:
            got = s.recv(1 << 20)
            events += got.count(b"\nid: ") + got.startswith(b"id: ")
            while events < want and not stop.is_set():
                chunk = s.recv(1 << 20)
                if not chunk:
                    break
                events += chunk.count(b"id: ")
        except socket.timeout:
            pass
        s.close()
        count[0] += 1


def with_reconnectors(port, n, seconds, backlog):
    stop, count = threading.Event(), [0]
    threads = [threading.Thread(target=reconnector, args=(port, stop, count, backlog)) for _ in range(n)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    times = timed_posts(port, seconds)
    stop.set()
    for t in threads:
        t.join()
    return times, count[0]


def summary(times):
    q = statistics.quantiles(times, n=100)
    return f"{len(times):6d} posts  p50 {statistics.median(times):6.3f} ms  p99 {q[98]:6.3f} ms  max {max(times):7.3f} ms"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir")
    ap.add_argument("--stored", type=int, default=100_000)
    ap.add_argument("--resumers", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=5)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="calldash-resume-")
    serve = subprocess.Popen([f"{a.bin_dir}/calldash", "serve", "--port", "0", "--journal", f"{tmp}/journal.jsonl"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        line = serve.stderr.readline().decode()
        while "listening on" not in line:
            line = serve.stderr.readline().decode()
        port = int(line.rsplit(":", 1)[1])
        subprocess.run([f"{a.bin_dir}/calldash", "push", "--to", f"http://127.0.0.1:{port}/ack", "--count", str(a.stored), "--quiet"],
                       check=True, stdout=subprocess.DEVNULL)
        alone = timed_posts(port, a.seconds)
        live, live_n = with_reconnectors(port, a.resumers, a.seconds, backlog=False)
        busy, busy_n = with_reconnectors(port, a.resumers, a.seconds, backlog=True)
        print(f"sequential POSTs, {a.stored:,} stored, alone:                     {summary(alone)}")
        print(f"  while {a.resumers} clients reconnect live-only (baseline):     {summary(live)}  ({live_n} reconnects)")
        print(f"  while {a.resumers} clients resume with a 1,000-event backlog: {summary(busy)}  ({busy_n} resumes)")
        q = lambda t: statistics.quantiles(t, n=100)[98]
        print(f"added by reading the backlogs, against the live-only baseline: p50 {statistics.median(busy) - statistics.median(live):+.3f} ms, "
              f"p99 {q(busy) - q(live):+.3f} ms")
    finally:
        serve.terminate()
        serve.wait(timeout=10)


if __name__ == "__main__":
    main()
