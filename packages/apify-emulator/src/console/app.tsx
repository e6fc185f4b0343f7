import { Hono } from 'hono';
import { type ApiCall, ConsoleApi } from './api.js';
import { CONSOLE_CSP, CONSOLE_CSS, CONSOLE_JS } from './assets.js';
import { Layout } from './layout.js';
import { consolePages } from './pages.js';
import { platformPages } from './platform-pages.js';
import { hasSession, isSameOrigin, SESSION_COOKIE, safeNext, sessionValue, tokenMatches } from './session.js';
import { type StoredStorages, storagePages } from './storage-pages.js';

/** The console owns `/` and `/console/*`; everything else stays the API's. */
export function isConsolePath(pathname: string): boolean {
  return pathname === '/' || pathname === '/console' || pathname.startsWith('/console/');
}

const OPEN_PATHS = new Set(['/console/login', '/console/assets/console.css', '/console/assets/console.js']);

export function createConsole(
  call: ApiCall,
  token: string | null,
  apiToken: string,
  stored: StoredStorages,
): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    // A route that sets its own (the sandboxed raw record) is stricter already.
    if (!c.res.headers.has('content-security-policy'))
      c.res.headers.set('content-security-policy', CONSOLE_CSP);
    c.res.headers.set('x-content-type-options', 'nosniff');
    c.res.headers.set('referrer-policy', 'same-origin');
  });
  app.use('*', async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (c.req.method === 'POST' && !isSameOrigin(c.req.raw))
      return c.text('Cross-site form posts are refused', 403);
    if (OPEN_PATHS.has(path) || hasSession(c.req.raw, token)) return next();
    const login = `/console/login?${new URLSearchParams({ next: path })}`;
    return c.html(
      <Layout title="Log in required" loggedIn={false}>
        <p>
          This emulator was started with a token. <a href={login}>Log in</a> to use the console.
        </p>
      </Layout>,
      401,
    );
  });
  app.get('/console/assets/console.css', (c) =>
    c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8' }),
  );
  app.get('/console/assets/console.js', (c) =>
    c.body(CONSOLE_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );

  const loginForm = (next: string, failed: boolean) => (
    <Layout title="Log in" loggedIn={false}>
      {failed ? <p role="alert">That token is not this emulator's token.</p> : null}
      <form method="post" action="/console/login">
        <input type="hidden" name="next" value={next} />
        <label for="token">Emulator token</label> <input id="token" name="token" type="password" required />{' '}
        <button type="submit">Log in</button>
      </form>
    </Layout>
  );
  app.get('/console/login', (c) => c.html(loginForm(safeNext(c.req.query('next')), false)));
  app.post('/console/login', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === 'string' ? form.next : null);
    const sent = typeof form.token === 'string' ? form.token : '';
    if (token === null) return c.redirect(next, 303);
    if (!tokenMatches(sent, token)) return c.html(loginForm(next, true), 401);
    c.header('set-cookie', `${SESSION_COOKIE}=${sessionValue(token)}; HttpOnly; SameSite=Strict; Path=/`);
    return c.redirect(next, 303);
  });
  app.get('/console/logout', (c) => {
    c.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return c.redirect('/console/login', 303);
  });

  // Pages read the API of the origin they were asked on.
  const apiOf = (url: string) => new ConsoleApi(call, apiToken, new URL(url).origin);
  consolePages(app, apiOf, token !== null);
  storagePages(app, apiOf, stored, token !== null);
  platformPages(app, apiOf, token !== null);
  app.onError((error, c) =>
    c.html(
      <Layout title="Not available" loggedIn={token !== null}>
        <p role="alert">{error.message}</p>
      </Layout>,
      404,
    ),
  );
  return app;
}
