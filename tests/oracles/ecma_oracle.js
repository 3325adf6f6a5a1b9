// ECMA-262 reading of the translated patterns, as JSON Schema validators such as Ajv do it:
// `new RegExp(pattern, "u").test(value)`. Input: JSON [[pattern, value], ...] on stdin.
// Output: JSON array of booleans, or {"error": ...} for a pattern that does not compile.
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const cases = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const cache = new Map();
  const out = [];
  for (const [pattern, value] of cases) {
    let re = cache.get(pattern);
    if (re === undefined) {
      try {
        re = new RegExp(pattern, "u");
      } catch (e) {
        process.stdout.write(JSON.stringify({ error: String(e), pattern }));
        return;
      }
      cache.set(pattern, re);
    }
    out.push(re.test(value));
  }
  process.stdout.write(JSON.stringify(out));
});
