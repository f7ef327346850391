// Baseline for the benchmarks: a bare Node HTTP server answering with one indexed postgres.js query.
// - any path: a user by id (the lesson page benchmark, `npm run bench`);
// - /access?user=<employee number>&tool=<tool id>: the access check's shape (`npm run bench -- access`)
//   from one query on users.employee_number joined with the certificates of the tool's required tracks
//   (BENCH_TOOLS: JSON { toolId: { name, requiredTracks } }). No authentication, next steps or release.
import http from "node:http";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL, { max: 10, onnotice: () => {} });
const ids = (await sql`select id from users order by id limit 500`).map((r) => r.id);
const tools = JSON.parse(process.env.BENCH_TOOLS ?? "{}");
const RELEASE = Number(process.env.BENCH_RELEASE ?? 1);

async function access(url, res) {
  const user = url.searchParams.get("user") ?? "";
  const toolId = url.searchParams.get("tool") ?? "";
  const tool = tools[toolId];
  if (!tool) {
    res.writeHead(404, { "content-type": "application/problem+json" });
    res.end(JSON.stringify({ status: 404, code: "unknown-tool" }));
    return;
  }
  const rows = await sql`
    select u.id, u.email, u.employee_number, u.active, c.id as cert_id, c.number, c.track_id, c.valid_until, c.revoked_at
    from users u
    left join certificates c on c.user_id = u.id and c.track_id = any(${tool.requiredTracks}::text[])
    where u.employee_number = ${user}`;
  if (rows.length === 0) {
    res.writeHead(404, { "content-type": "application/problem+json" });
    res.end(JSON.stringify({ status: 404, code: "unknown-person" }));
    return;
  }
  const now = Date.now();
  const person = rows[0];
  const certificates = [];
  const missingTracks = [];
  for (const trackId of tool.requiredTracks) {
    let best = null;
    for (const r of rows) {
      if (r.track_id !== trackId || r.revoked_at || r.valid_until.getTime() < now) continue;
      if (!best || r.valid_until > best.valid_until) best = r;
    }
    if (best) certificates.push({ trackId, id: best.cert_id, number: best.number, validUntil: best.valid_until.toISOString() });
    else missingTracks.push({ trackId, reason: "no-certificate" });
  }
  const allowed = person.active && missingTracks.length === 0;
  const validUntil = allowed ? certificates.map((c) => c.validUntil).sort()[0] ?? null : null;
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(
    JSON.stringify({
      allowed,
      user: { id: person.id, email: person.email, employeeNumber: person.employee_number, active: person.active },
      tool: { id: toolId, name: tool.name },
      validUntil,
      missingTracks,
      certificates,
      release: RELEASE,
    }),
  );
}

let i = 0;
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/access") return await access(url, res);
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
