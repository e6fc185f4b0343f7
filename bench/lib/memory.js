// RSS growth of the current process during one operation: sampled, because a streaming client's
// peak can be brief and the kernel's maxRSS also counts everything before the operation started.

const MiB = 1024 * 1024;

export async function settle() {
  // --expose-gc is passed to measurement children; collect twice so finalizers run in between.
  globalThis.gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.gc?.();
}

/** Starts sampling; `stop()` returns { rssGrowthMiB, peakRssMiB } relative to the RSS at start. */
export function watchRss(intervalMs = 20) {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return { rssGrowthMiB: (peak - start) / MiB, peakRssMiB: peak / MiB };
    },
  };
}

export function peakRssMiB() {
  // resourceUsage().maxRSS is in KiB.
  return process.resourceUsage().maxRSS / 1024;
}
