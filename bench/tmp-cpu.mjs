import fs from "node:fs";
const [pid, cookie] = process.argv.slice(2);
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const cpu = () => { const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" "); return (Number(f[11]) + Number(f[12])) * 10; };
const variants = {
  br: { accept: "text/html", "accept-encoding": "gzip, deflate, br", "accept-language": "ja", "user-agent": UA },
  gzip: { accept: "text/html", "accept-encoding": "gzip", "accept-language": "ja", "user-agent": UA },
  identity: { accept: "text/html", "accept-encoding": "identity", "accept-language": "ja", "user-agent": UA },
  "identity, no UA": { "accept-encoding": "identity", "accept-language": "ja" },
};
const N = 300;
for (let round = 0; round < 3; round++) for (const [name, headers] of Object.entries(variants)) {
  const c0 = cpu();
  for (let i = 0; i < N / 4; i++) await Promise.all([0, 1, 2, 3].map(() => fetch("http://localhost:3999/learn/genai-basics/genai-what-is-it", { headers: { ...headers, cookie } }).then((r) => r.arrayBuffer())));
  console.log(round, name.padEnd(16), ((cpu() - c0) / N).toFixed(2), "ms CPU per view");
}
