// The HTTP workloads and their sizes; `--quick` keeps every one but shrinks it.
const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export function sizeLabel(bytes) {
  if (bytes >= GiB) return `${bytes / GiB} GiB`;
  if (bytes >= MiB) return `${bytes / MiB} MiB`;
  return `${bytes / KiB} KiB`;
}

export function httpWorkloads(quick) {
  const n = (full, small) => (quick ? small : full);
  const requests = (id, title, args) => ({ id, title, kind: 'requests', args });
  const download = n(GiB, 32 * MiB);
  const upload = n(GiB, 16 * MiB);
  return [
    requests('get-1k-1', 'GET 1 KiB, 1 in flight', {
      path: '/json',
      method: 'GET',
      concurrency: 1,
      requests: n(2000, 200),
      warmup: n(1000, 50),
      bodyBytes: 0,
      expectBytes: KiB,
    }),
    requests('get-1k-32', 'GET 1 KiB, 32 in flight', {
      path: '/json',
      method: 'GET',
      concurrency: 32,
      requests: n(10_000, 400),
      warmup: n(3000, 100),
      bodyBytes: 0,
      expectBytes: KiB,
    }),
    requests('get-64k-32', 'GET 64 KiB, 32 in flight', {
      path: '/bytes/65536',
      method: 'GET',
      concurrency: 32,
      requests: n(3000, 200),
      warmup: n(1000, 50),
      bodyBytes: 0,
      expectBytes: 64 * KiB,
    }),
    requests('post-1k-32', 'POST 1 KiB, 32 in flight', {
      path: '/echo',
      method: 'POST',
      concurrency: 32,
      requests: n(6000, 300),
      warmup: n(2000, 100),
      bodyBytes: KiB,
      expectBytes: KiB,
    }),
    {
      id: 'download',
      title: `${sizeLabel(download)} streamed download`,
      kind: 'download',
      args: { bytes: download },
    },
    {
      id: 'upload',
      title: `${sizeLabel(upload)} multipart upload from a file`,
      kind: 'upload',
      args: { size: upload },
    },
  ];
}
