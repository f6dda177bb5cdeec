// OpenShard from Node.js: a streamed private chat through a buyer's Gateway, and Registry.Discover.
//
//   node private-chat.mjs --buyer 127.0.0.1:PORT --registry 127.0.0.1:PORT [--service demo-model] [--prompt TEXT]
//
// Loads ../../proto/src/main/proto/openshard/v1/*.proto directly (no code generation). Prints the
// sellers the registry lists for the service, then the answer token by token, then who served and
// what it cost. Exits non-zero on any failure. With the echo upstream the answer is the prompt.
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import path from "node:path";
import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";

const { values: args } = parseArgs({
  options: {
    buyer: { type: "string" },
    registry: { type: "string" },
    service: { type: "string", default: "demo-model" },
    prompt: { type: "string", default: "hello from node" },
    "expect-echo": { type: "boolean", default: false },
  },
});
if (!args.buyer || !args.registry) {
  console.error("usage: node private-chat.mjs --buyer HOST:PORT --registry HOST:PORT [--service ID] [--prompt TEXT] [--expect-echo]");
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const protoRoot = path.resolve(here, "../../proto/src/main/proto");
const files = ["common", "envelope", "payment", "registry", "seller", "gateway"].map((f) => `openshard/v1/${f}.proto`);
const definition = protoLoader.loadSync(files, {
  includeDirs: [protoRoot],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
const v1 = grpc.loadPackageDefinition(definition).openshard.v1;
const deadline = () => new Date(Date.now() + 30_000);

function discover() {
  const registry = new v1.Registry(args.registry, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    registry.Discover({ service_id: args.service, limit: 50 }, { deadline: deadline() }, (err, res) => {
      registry.close();
      if (err) reject(new Error(`Registry.Discover failed: ${err.code} ${err.details}`));
      else resolve(res);
    });
  });
}

function chat() {
  const gateway = new v1.Gateway(args.buyer, grpc.credentials.createInsecure());
  const request = {
    openai_request_json: JSON.stringify({
      model: args.service,
      stream: true,
      messages: [{ role: "user", content: args.prompt }],
    }),
  };
  return new Promise((resolve, reject) => {
    let answer = "";
    let summary = null;
    const call = gateway.ChatCompletion(request, { deadline: deadline() });
    call.on("data", (event) => {
      if (event.event === "chunk") {
        process.stdout.write(event.chunk.content_delta);
        answer += event.chunk.content_delta;
      } else if (event.event === "completion") {
        answer += event.completion.content;
      } else if (event.event === "summary") {
        summary = event.summary;
      }
    });
    call.on("error", (err) => {
      gateway.close();
      reject(new Error(`Gateway.ChatCompletion failed: ${err.code} ${err.details}`));
    });
    call.on("end", () => {
      gateway.close();
      process.stdout.write("\n");
      if (!summary) reject(new Error("the stream ended without a summary"));
      else resolve({ answer, summary });
    });
  });
}

try {
  const found = await discover();
  console.log(`registry: ${found.total_matches} seller(s) offer ${args.service}`);
  for (const p of found.peers) {
    const r = p.registration;
    for (const o of r.offerings) {
      const price = o.pricing || {};
      console.log(`  ${r.peer_id} at ${r.endpoint}: offering ${o.offering_id}, in/out ${price.input_per_million ?? 0}/${price.output_per_million ?? 0} per 1M tokens`);
    }
  }
  if (found.peers.length === 0) throw new Error(`no seller offers ${args.service}`);

  const { answer, summary } = await chat();
  console.log(
    `served by ${summary.seller_id} (offering ${summary.offering_id}), charged ${summary.amount_charged}, ` +
      `receipt ${summary.receipt_id || "-"}, nullifier ${summary.nullifier_hash.slice(0, 12)}…, attempts ${summary.attempts}`,
  );
  if (args["expect-echo"] && answer.trim() !== args.prompt) {
    throw new Error("the answer is not the echo of the prompt");
  }
  process.exit(0);
} catch (e) {
  console.error(`error: ${e.message}`);
  process.exit(1);
}
