// Smoke test of an OpenShard HTTP bridge with the official `openai` npm client (6.x, Node 20).
//
//   cd http-bridge/src/test/node && npm ci      (or: npm install)
//   OPENSHARD_BRIDGE_URL=http://127.0.0.1:8080/v1 node bridge-smoke.mjs
//
// Environment:
//   OPENSHARD_BRIDGE_URL      the bridge's OpenAI base URL (required)
//   OPENSHARD_BRIDGE_API_KEY  bearer key, if the bridge was started with --api-keys (default: "none")
//   OPENSHARD_BRIDGE_MODEL    model to ask for (default: "echo")
//   OPENSHARD_EXPECT_ECHO     "1" (default): the upstream is `./openshard upstream-echo`, so answers
//                             must equal the prompt; "0": only check that answers are non-empty
// Exits 0 if every check passed, 1 otherwise.
import OpenAI from "openai";

const baseURL = process.env.OPENSHARD_BRIDGE_URL;
if (!baseURL) {
  console.error("set OPENSHARD_BRIDGE_URL, e.g. http://127.0.0.1:8080/v1");
  process.exit(2);
}
const client = new OpenAI({
  baseURL,
  apiKey: process.env.OPENSHARD_BRIDGE_API_KEY || "none",
  maxRetries: 0,
  timeout: 30_000,
});
const model = process.env.OPENSHARD_BRIDGE_MODEL || "echo";
const expectEcho = (process.env.OPENSHARD_EXPECT_ECHO || "1") !== "0";
let failures = 0;

function check(name, ok, detail) {
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${detail ? ": " + detail : ""}`);
  if (!ok) failures++;
}

async function nonStreaming() {
  const prompt = "hello from the openai node client";
  const res = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: prompt }],
  });
  const text = res.choices?.[0]?.message?.content ?? "";
  check("non-streaming answer", expectEcho ? text === prompt : text.length > 0, JSON.stringify(text));
  check("non-streaming usage", typeof res.usage?.total_tokens === "number", JSON.stringify(res.usage));
  const raw = await client.chat.completions
    .create({ model, messages: [{ role: "user", content: "receipt" }] })
    .withResponse();
  check("receipt id header", /^rcpt-[0-9a-f]{32}$/.test(raw.response.headers.get("x-receipt-id") || ""));
}

async function streaming() {
  const prompt = "one two three four five";
  const stream = await client.chat.completions.create({
    model,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: "user", content: prompt }],
  });
  let text = "";
  let chunks = 0;
  let usage = null;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage;
    text += chunk.choices?.[0]?.delta?.content ?? "";
  }
  check("streaming answer", expectEcho ? text === prompt : text.length > 0, JSON.stringify(text));
  check("streaming chunks", chunks > 1, `${chunks} chunks`);
  check("streaming usage chunk", usage !== null && typeof usage.completion_tokens === "number");
}

async function errorCase() {
  try {
    // No model: the bridge must answer 400 in the OpenAI error shape, which the client surfaces.
    await client.chat.completions.create({ messages: [{ role: "user", content: "x" }] });
    check("error case", false, "expected a 400");
  } catch (e) {
    const ok = e instanceof OpenAI.APIError && e.status === 400 && e.type === "invalid_request_error" && e.param === "model";
    check("error case (missing model -> 400 invalid_request_error)", ok, `${e.status} ${e.type} ${e.param} ${e.message}`);
  }
}

try {
  await nonStreaming();
  await streaming();
  await errorCase();
} catch (e) {
  check("unexpected exception", false, String(e?.stack || e));
}
console.log(failures === 0 ? "ALL PASSED" : `${failures} FAILED`);
process.exit(failures === 0 ? 0 : 1);
