"""HTTPX itself on the benchmark workloads: asyncio + httpx.AsyncClient, driven by bench/peers/httpx.js.

Usage: httpx_client.py requests ORIGIN PATH METHOD CONCURRENCY REQUESTS WARMUP BODY_BYTES EXPECT_BYTES
       httpx_client.py download ORIGIN PATH EXPECT_BYTES
       httpx_client.py upload ORIGIN PATH FILE
Prints one JSON object with the same figures as the Node peers.
"""

import asyncio
import json
import os
import resource
import sys
import time

import httpx

MIB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_client(concurrency):
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(base_url=sys.argv[2], limits=limits, timeout=120.0)


async def requests_mode(path, method, concurrency, total, warmup, body_bytes, expect):
    body = b"x" * body_bytes if method == "POST" else None
    latencies = []

    async with make_client(concurrency) as client:

        async def one():
            response = await client.request(method, path, content=body)
            size = len(response.content)
            if response.status_code != 200 or size != expect:
                raise RuntimeError(f"unexpected response {response.status_code}, {size} bytes")

        async def worker(counter, record):
            while counter[0] > 0:
                counter[0] -= 1
                started = time.perf_counter()
                await one()
                if record:
                    latencies.append((time.perf_counter() - started) * 1000)

        warm = [warmup]
        await asyncio.gather(*(worker(warm, False) for _ in range(concurrency)))
        cpu = cpu_seconds()
        started = time.perf_counter()
        left = [total]
        await asyncio.gather(*(worker(left, True) for _ in range(concurrency)))
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu

    latencies.sort()

    def pct(p):
        rank = max(0, min(len(latencies) - 1, -(-p * len(latencies) // 100) - 1))
        return latencies[int(rank)]

    return {
        "rps": total / seconds,
        "p50": pct(50),
        "p99": pct(99),
        "cpuUsPerRequest": cpu * 1e6 / total,
        "peakRssMiB": peak_rss_mib(),
    }


class RssWatch:
    """Samples RSS while an operation runs (a streaming client's peak can be brief)."""

    def __init__(self):
        self.start = rss_bytes()
        self.peak = self.start
        self.task = asyncio.get_running_loop().create_task(self.sample())

    async def sample(self):
        while True:
            self.peak = max(self.peak, rss_bytes())
            await asyncio.sleep(0.02)

    def stop(self):
        self.task.cancel()
        self.peak = max(self.peak, rss_bytes())
        return {"rssGrowthMiB": (self.peak - self.start) / MIB, "peakRssMiB": self.peak / MIB}


async def download_mode(path, expect):
    async with make_client(1) as client:
        # Warm-up: one small stream so connection setup is not measured.
        async with client.stream("GET", "/stream/1048576") as response:
            async for _ in response.aiter_raw():
                pass
        watch = RssWatch()
        cpu = cpu_seconds()
        started = time.perf_counter()
        received = 0
        async with client.stream("GET", path) as response:
            async for chunk in response.aiter_bytes():
                received += len(chunk)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        memory = watch.stop()
    if received != expect:
        raise RuntimeError(f"downloaded {received} bytes, expected {expect}")
    return {"mbps": received / MIB / seconds, "seconds": seconds, "cpuSeconds": cpu, "bytes": received, **memory}


async def upload_mode(path, file):
    size = os.path.getsize(file)
    async with make_client(1) as client:
        await client.get("/json")
        watch = RssWatch()
        cpu = cpu_seconds()
        started = time.perf_counter()
        with open(file, "rb") as handle:
            response = await client.post(path, files={"file": ("upload.bin", handle)})
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        memory = watch.stop()
    counted = int(response.text)
    if counted < size:
        raise RuntimeError(f"server counted {counted} bytes, the file has {size}")
    return {"mbps": size / MIB / seconds, "seconds": seconds, "cpuSeconds": cpu, "bytes": counted, **memory}


def main():
    mode = sys.argv[1]
    if mode == "requests":
        path, method = sys.argv[3], sys.argv[4]
        numbers = [int(arg) for arg in sys.argv[5:10]]
        result = asyncio.run(requests_mode(path, method, *numbers))
    elif mode == "download":
        result = asyncio.run(download_mode(sys.argv[3], int(sys.argv[4])))
    elif mode == "upload":
        result = asyncio.run(upload_mode(sys.argv[3], sys.argv[4]))
    else:
        raise SystemExit(f"unknown mode {mode!r}\n{__doc__}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
