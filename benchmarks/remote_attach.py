#!/usr/bin/env python3
"""What `watch --remote` costs: the time to load a receiver's records, and how long a delivery
posted to the remote receiver takes to be shown by the dashboard following it.

Starts `calldash serve` on a copy of JOURNAL (realistic deliveries, made by
`calldash-bench journal`), then `calldash watch --remote … --plain --capacity N` (the newest N
records) and times: from its start to
"connected" on its stderr (every stored record paged into its store, the stream open); then, for
POSTS sequential deliveries, from the POST to its line on watch's stdout (one line per call, as
the dashboard's list takes them in). The baseline is the same POST's own round trip.

    benchmarks/remote_attach.py BIN_DIR JOURNAL [--posts 200] [--capacity 100000]
"""
import argparse, os, shutil, socket, statistics, subprocess, tempfile, threading, time

BODY = open(os.path.join(os.path.dirname(__file__), "sample-report.json"), "rb").read().strip()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("receiver on port %d did not start" % port)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("journal")
    ap.add_argument("--posts", type=int, default=200)
    ap.add_argument("--capacity", type=int, default=100_000, help="records watch --remote loads (its --capacity)")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp()
    journal = os.path.join(tmp, "journal.jsonl")
    shutil.copy(a.journal, journal)
    if os.path.exists(a.journal + ".idx"):
        shutil.copy(a.journal + ".idx", journal + ".idx")
    stored = sum(1 for _ in open(journal, "rb"))
    port = free_port()
    serve = subprocess.Popen([os.path.join(a.bin, "calldash"), "serve", "--port", str(port), "--journal", journal],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watch = None
    try:
        wait_port(port)
        seen = {"count": 0, "last": 0}
        arrived = {}
        lock = threading.Condition()
        start = time.perf_counter()
        watch = subprocess.Popen([os.path.join(a.bin, "calldash"), "watch", "--remote", "http://127.0.0.1:%d" % port,
                                  "--plain", "--capacity", str(min(a.capacity, max(stored, 1)))],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        connected = {}

        def read_err():
            for line in watch.stderr:
                if b": connected" in line and "at" not in connected:
                    with lock:
                        connected["at"] = time.perf_counter()
                        lock.notify_all()

        def read():
            for line in watch.stdout:
                for word in line.split():
                    if word.startswith(b"#") and word[1:].isdigit():
                        seq = int(word[1:])
                        with lock:
                            seen["count"] += 1
                            seen["last"] = seq
                            arrived[seq] = time.perf_counter()
                            lock.notify_all()
                        break

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=read_err, daemon=True).start()
        with lock:
            if not lock.wait_for(lambda: "at" in connected, timeout=120):
                raise SystemExit("watch --remote did not connect within 120 s")
        loaded = connected["at"] - start
        time.sleep(1)  # the plain output of the loaded records drains (what it could not keep up with, it drops)
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        post = (b"POST /ack HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)) + BODY
        shown, round_trips = [], []
        for _ in range(a.posts):
            t = time.perf_counter()
            s.sendall(post)
            reply = b""
            while b'"seq":' not in reply or not reply.endswith(b"}"):
                reply += s.recv(65536)
            replied = time.perf_counter()
            seq = int(reply.split(b'"seq":')[1].split(b"}")[0])
            with lock:
                if not lock.wait_for(lambda: seq in arrived, timeout=10):
                    raise SystemExit("seq %d was not shown within 10 s" % seq)
                shown.append((arrived[seq] - t) * 1000)
            round_trips.append((replied - t) * 1000)
        s.close()
        q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(len(xs) * p))]
        held = min(a.capacity, stored)
        print("loaded the newest %d of %d records in %.2f s (%d records/s)" % (held, stored, loaded, held / loaded))
        print("a delivery posted to the remote receiver, shown by watch --remote: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              % (statistics.median(shown), q(shown, 0.99), max(shown)))
        print("  baseline, the POST's own round trip: p50 %.2f ms, p99 %.2f ms (%d posts)"
              % (statistics.median(round_trips), q(round_trips, 0.99), a.posts))
    finally:
        if watch:
            watch.terminate()
        serve.terminate()
        serve.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)


main()
