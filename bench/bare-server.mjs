// Baseline for the benchmark: a bare Node HTTP server answering with one indexed postgres.js query.
import http from "node:http";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL, { max: 10, onnotice: () => {} });
const ids = (await sql`select id from users order by id limit 500`).map((r) => r.id);
let i = 0;
const server = http.createServer(async (_req, res) => {
  try {
    const id = ids[i++ % ids.length];
    const [row] = await sql`select id, email, display_name from users where id = ${id}`;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(row));
  } catch (error) {
    res.writeHead(500);
    res.end(String(error));
  }
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", async () => {
  server.close();
  await sql.end({ timeout: 2 });
  process.exit(0);
});
