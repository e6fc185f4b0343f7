// Tests talk to servers on loopback: a proxy configured in the caller's shell must not capture them
// (HTTPX's test suite clears these for the same reason). Env-proxy tests set their own values.
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY']) {
  delete process.env[name];
  delete process.env[name.toLowerCase()];
}
