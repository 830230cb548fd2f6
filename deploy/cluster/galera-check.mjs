#!/usr/bin/env node
// The health check HAProxy asks about one Galera node (the classic "clustercheck" on port 9200 of
// each database host): 200 when the node is Synced in the primary component and answers within a
// second, 503 otherwise. Plain Node with mysql2 (no build step), so it runs as it is on a DB host:
//
//   node galera-check.mjs --port 9200 --mysql-port 3306 [--mysql-host 127.0.0.1] [--mysql-user root]
//
// MYSQL_PASSWORD in the environment gives the user's password. The user needs no privilege:
// `CREATE USER clustercheck@localhost IDENTIFIED BY '…'` is enough to read the wsrep status.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9200' },
    host: { type: 'string', default: '0.0.0.0' },
    'mysql-host': { type: 'string', default: '127.0.0.1' },
    'mysql-port': { type: 'string', default: '3306' },
    'mysql-user': { type: 'string', default: 'root' },
    'timeout-ms': { type: 'string', default: '1000' },
  },
});
const timeoutMs = Number(values['timeout-ms']);

/** The node's verdict: [HTTP status, one line saying why]. */
async function check() {
  let connection;
  const timer = new Promise((resolve) => setTimeout(() => resolve([503, `no answer within ${timeoutMs} ms`]), timeoutMs).unref());
  const ask = (async () => {
    connection = await createConnection({
      host: values['mysql-host'],
      port: Number(values['mysql-port']),
      user: values['mysql-user'],
      password: process.env.MYSQL_PASSWORD ?? '',
      connectTimeout: timeoutMs,
    });
    const [rows] = await connection.query(
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state', 'wsrep_local_state_comment', 'wsrep_cluster_status')",
    );
    const status = Object.fromEntries(rows.map((r) => [r.Variable_name, r.Value]));
    const state = `state ${status.wsrep_local_state} (${status.wsrep_local_state_comment}), cluster ${status.wsrep_cluster_status}`;
    // 4 = Synced. A donor of an rsync transfer is blocked, and a node outside the primary component refuses writes.
    return status.wsrep_local_state === '4' && status.wsrep_cluster_status === 'Primary'
      ? [200, `Galera node is synced: ${state}`]
      : [503, `Galera node is not synced: ${state}`];
  })().catch((error) => [503, `Galera node does not answer: ${error.code ?? error.message}`]);
  try {
    return await Promise.race([ask, timer]);
  } finally {
    ask.finally(() => connection?.destroy());
  }
}

const server = createServer((request, response) => {
  check().then(([status, text]) => {
    response.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
    response.end(`${text}\r\n`);
  });
});
server.listen(Number(values.port), values.host, () => {
  console.log(`galera-check on ${values.host}:${values.port} for MariaDB at ${values['mysql-host']}:${values['mysql-port']}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
