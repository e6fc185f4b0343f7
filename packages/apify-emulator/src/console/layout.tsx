import type { Child } from 'hono/jsx';

const NAV: [string, string][] = [
  ['/console/runs', 'Runs'],
  ['/console/actors', 'Actors'],
  ['/console/tasks', 'Tasks'],
  ['/console/schedules', 'Schedules'],
  ['/console/webhooks', 'Webhooks'],
  ['/console/datasets', 'Datasets'],
  ['/console/key-value-stores', 'Key-value stores'],
  ['/console/request-queues', 'Request queues'],
];

export function Layout(props: { title: string; children: Child; loggedIn: boolean }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{`${props.title} · Apify emulator`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          <nav aria-label="Console">
            <a href="/">Home</a>
            {NAV.map(([href, label]) => (
              <a href={href}>{label}</a>
            ))}
            {props.loggedIn ? <a href="/console/logout">Log out</a> : null}
          </nav>
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

export function Table(props: { caption: string; head: string[]; rows: Child[][] }) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.head.map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            {row.map((cell) => (
              <td>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Badge(props: { status: string }) {
  return (
    <span class="badge" data-status={props.status} data-field="status">
      {props.status}
    </span>
  );
}
