// Load client for bench/messaging_vs_jetstream.sh. Sends N messages with a 1 KiB body from C
// concurrent connections, each connection waiting for its answer before the next message, and
// prints one JSON line: {"target","messages","concurrency","seconds","msgs_per_s","p50_ms","p99_ms"}.
//
//   node msgload.mjs ncbnet --url https://127.0.0.1:PORT --ca CA.crt --cert C.crt --cert-key C.key \
//        --seed SEED_FILE --key-id ed25519:... --from ncb-fra --to-country DEU [-n 5000] [-c 8]
//   node msgload.mjs jetstream --port PORT [-n 5000] [-c 8]
//
// Both targets get the same work on the client: every message is a complete signed request
// (docs/message-format.md: the canonical encoding, Ed25519 over it with Node's crypto). ncbnet
// verifies it and commits it with fsync before answering 201; JetStream stores the same JSON
// bytes in a file-storage stream on "msgs.>" and answers the publish acknowledgement.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import { connect, StorageType } from 'nats';

function parseArgs(argv) {
  const opts = { target: argv[0], n: 5000, c: 8, warmup: 100 };
  for (let i = 1; i < argv.length; i += 2) {
    const name = argv[i].replace(/^-+/, '');
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value for ${argv[i]}`);
    opts[{ n: 'n', c: 'c' }[name] ?? name.replace(/-([a-z])/g, (_, ch) => ch.toUpperCase())] = value;
  }
  opts.n = Number(opts.n);
  opts.c = Number(opts.c);
  opts.warmup = Number(opts.warmup);
  return opts;
}

// ---- docs/message-format.md ---------------------------------------------------------------

function canonical(content) {
  // v1 unless the message names groups or carries attachments (docs/message-format.md).
  const groups = content.to.groups || [];
  const attachments = content.attachments || [];
  const v2 = groups.length > 0 || attachments.length > 0;
  const parts = [Buffer.from(v2 ? 'ncbnet-message-v2\n' : 'ncbnet-message-v1\n')];
  const scalar = (value) => {
    let data;
    if (typeof value === 'boolean') data = Buffer.from(value ? '1' : '0');
    else if (typeof value === 'number') data = Buffer.from(String(value));
    else data = Buffer.from(value, 'utf8');
    parts.push(Buffer.from(`${data.length}:`), data, Buffer.from('\n'));
  };
  const items = (values) => {
    parts.push(Buffer.from(`${values.length}\n`));
    for (const v of values) scalar(v);
  };
  scalar(content.sender_agency);
  scalar(content.idempotency_key);
  scalar(content.created_ms);
  items(content.to.agencies);
  items(content.to.countries);
  scalar(content.to.all_ncbs);
  if (v2) items(groups);
  scalar(content.subject);
  scalar(content.body);
  scalar(content.classification);
  scalar(content.handling);
  scalar(content.priority);
  scalar(content.language);
  scalar(content.thread_id);
  scalar(content.reply_to);
  items(content.links);
  if (v2) {
    parts.push(Buffer.from(`${attachments.length}\n`));
    for (const a of attachments) {
      scalar(a.sha256);
      scalar(String(a.size));
      scalar(a.name);
      scalar(a.media_type);
    }
  }
  return Buffer.concat(parts);
}

function privateKeyFromSeed(seedHex) {
  const seed = Buffer.from(seedHex.trim(), 'hex');
  if (seed.length !== 32) throw new Error('the seed file must hold 64 hex characters');
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

function keyIdOf(privateKey) {
  const spki = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const pub = spki.subarray(spki.length - 32);
  return 'ed25519:' + crypto.createHash('sha256').update(pub).digest('hex').slice(0, 32);
}

const BODY = 'x'.repeat(1000) + '-'.repeat(24); // 1,024 bytes

function makeRequest(opts, privateKey, keyId, runId, i) {
  const content = {
    sender_agency: opts.from ?? 'ncb-fra',
    idempotency_key: `bench-${runId}-${i}`,
    created_ms: Date.now(),
    to: { agencies: [], countries: [opts.toCountry ?? 'DEU'], all_ncbs: false },
    subject: `Benchmark message ${i}`,
    body: BODY,
    classification: 'interpol_restricted',
    handling: '',
    priority: 'routine',
    language: 'en',
    thread_id: '',
    reply_to: '',
    links: [],
  };
  const signature = crypto.sign(null, canonical(content), privateKey).toString('hex');
  return JSON.stringify({ content, key_id: keyId, signature });
}

// ---- the load loop ------------------------------------------------------------------------

// Runs `count` sends over `workers` sequential loops; returns per-message latencies in ms.
async function drive(count, workers, sendOne) {
  let next = 0;
  const latencies = new Float64Array(count);
  const loop = async (w) => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const t0 = process.hrtime.bigint();
      await sendOne(w, i);
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => loop(w)));
  return latencies;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(opts, makeBody, send) {
  const runId = crypto.randomBytes(6).toString('hex');
  // Warm-up: connections, TLS sessions, the server's caches. Not counted.
  await drive(opts.warmup, opts.c, (w, i) => send(w, makeBody(runId, `w${i}`)));
  const t0 = process.hrtime.bigint();
  const lat = await drive(opts.n, opts.c, (w, i) => send(w, makeBody(runId, i)));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const sorted = Array.from(lat).sort((a, b) => a - b);
  return {
    target: opts.target,
    messages: opts.n,
    concurrency: opts.c,
    seconds: +seconds.toFixed(3),
    msgs_per_s: Math.round(opts.n / seconds),
    p50_ms: +percentile(sorted, 50).toFixed(2),
    p99_ms: +percentile(sorted, 99).toFixed(2),
  };
}

async function runNcbnet(opts) {
  const privateKey = privateKeyFromSeed(fs.readFileSync(opts.seed, 'ascii'));
  const keyId = opts.keyId ?? keyIdOf(privateKey);
  const url = new URL('/v1/messages', opts.url);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: opts.c,
    ca: fs.readFileSync(opts.ca),
    cert: fs.readFileSync(opts.cert),
    key: fs.readFileSync(opts.certKey),
  });
  const post = (_w, body) => new Promise((resolve, reject) => {
    const req = https.request(url, {
      method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        if (res.statusCode !== 201) {
          reject(new Error(`POST /v1/messages: ${res.statusCode} ${Buffer.concat(chunks)}`));
        } else {
          resolve();
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  const result = await measure(opts, (runId, i) => makeRequest(opts, privateKey, keyId, runId, i), post);
  agent.destroy();
  return result;
}

async function runJetstream(opts) {
  // The same signed requests as for ncbnet, with a throwaway key: JetStream does not verify.
  const privateKey = crypto.generateKeyPairSync('ed25519').privateKey;
  const keyId = keyIdOf(privateKey);
  const servers = `127.0.0.1:${opts.port}`;
  const admin = await connect({ servers });
  const jsm = await admin.jetstreamManager();
  await jsm.streams.add({ name: 'BENCH', subjects: ['msgs.>'], storage: StorageType.File });
  // One connection per concurrent publisher, as ncbnet gets one HTTPS connection per worker.
  const conns = await Promise.all(Array.from({ length: opts.c }, () => connect({ servers })));
  const streams = conns.map((nc) => nc.jetstream());
  const encoder = new TextEncoder();
  const publish = async (w, body) => {
    const ack = await streams[w].publish('msgs.deu', encoder.encode(body));
    if (ack.stream !== 'BENCH') throw new Error(`unexpected ack ${JSON.stringify(ack)}`);
  };
  const result = await measure(opts, (runId, i) => makeRequest(opts, privateKey, keyId, runId, i), publish);
  const info = await jsm.streams.info('BENCH');
  result.stored = info.state.messages;
  await Promise.all(conns.map((nc) => nc.close()));
  await admin.close();
  return result;
}

const opts = parseArgs(process.argv.slice(2));
const run = { ncbnet: runNcbnet, jetstream: runJetstream }[opts.target];
if (!run) {
  console.error('usage: node msgload.mjs ncbnet|jetstream [options] (see the head of this file)');
  process.exit(2);
}
run(opts).then((r) => console.log(JSON.stringify(r))).catch((e) => {
  console.error(`msgload ${opts.target}: ${e.stack ?? e}`);
  process.exit(1);
});
