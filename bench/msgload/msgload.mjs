// Load client for bench/messaging_vs_jetstream.sh. Two measurements, each printing one JSON line.
//
// Throughput (closed loop): sends N messages with a 1 KiB body from C concurrent connections,
// each connection waiting for its answer before the next message; prints
// {"target","messages","concurrency","seconds","msgs_per_s","p50_ms","p99_ms"}.
//
//   node msgload.mjs ncbnet --url https://127.0.0.1:PORT --ca CA.crt --cert C.crt --cert-key C.key \
//        --seed SEED_FILE --key-id ed25519:... --from ncb-fra --to-country DEU [-n 5000] [-c 8]
//   node msgload.mjs jetstream --port PORT[,PORT...] [--replicas 1] [-n 5000] [-c 8]
//
// Push delivery latency (open loop): a recipient holds a live subscription, the sender sends
// at a fixed rate (message i scheduled at t0 + i/rate, never waiting for earlier answers), and
// each message's latency is the time from the start of its send to its arrival at the
// recipient; prints {"target","rate_target","rate_achieved","messages","acked","received",
// "lost","p50_ms","p99_ms","max_ms", ...}: send_p50/p99_ms are the acknowledgement latencies,
// after_ack_p50/p99_ms the arrival minus the acknowledgement, max_send_lag_ms how late the
// client started a send against its schedule (the client shares the machine).
//
//   node msgload.mjs ncbnet-push <the ncbnet options> --recipient-cert D.crt --recipient-key D.key \
//        [--rate 1000] [--duration 10] [--sockets 64] [--warmup 500] [--grace 10]
//   node msgload.mjs jetstream-push --port PORT [--rate 1000] [--duration 10] [--warmup 500]
//
//   ncbnet-push: the recipient (ncb-deu, by its client certificate) holds a WebSocket on
//     GET /v1/mailbox/stream; the sender POSTs /v1/messages over up to --sockets HTTPS
//     keep-alive connections (HTTP/1.1 has one request in flight per connection).
//   jetstream-push: one connection publishes with js.publish, each acknowledgement awaited;
//     an ordered push consumer on a second connection receives from the same stream.
//   In both, the recipient runs in a child process of its own (targets ncbnet-recv and
//   jetstream-recv, started by the push targets), as it would on another machine, and stamps
//   each arrival itself.
//
// Both targets get the same work on the client: every message is a complete signed request
// (docs/message-format.md: the canonical encoding, Ed25519 over it with Node's crypto), all of
// them built before the timed part starts. ncbnet
// verifies it and commits it with fsync before answering 201; JetStream stores the same JSON
// bytes in a file-storage stream and answers the publish acknowledgement.
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { connect, consumerOpts, StorageType } from 'nats';
import WebSocket from 'ws';

function parseArgs(argv) {
  const opts = { target: argv[0], n: 5000, c: 8, warmup: undefined, rate: 1000, duration: 10,
    sockets: 48, grace: 10 };
  for (let i = 1; i < argv.length; i += 2) {
    const name = argv[i].replace(/^-+/, '');
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value for ${argv[i]}`);
    opts[{ n: 'n', c: 'c' }[name] ?? name.replace(/-([a-z])/g, (_, ch) => ch.toUpperCase())] = value;
  }
  opts.n = Number(opts.n);
  opts.c = Number(opts.c);
  opts.warmup = Number(opts.warmup ?? (opts.target.endsWith('-push') ? 500 : 100));
  for (const k of ['rate', 'duration', 'sockets', 'grace']) opts[k] = Number(opts[k]);
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

function makeRequest(opts, privateKey, keyId, runId, i, subject = `Benchmark message ${i}`) {
  const content = {
    sender_agency: opts.from ?? 'ncb-fra',
    idempotency_key: `bench-${runId}-${i}`,
    created_ms: Date.now(),
    to: { agencies: [], countries: [opts.toCountry ?? 'DEU'], all_ncbs: false },
    subject,
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
  // Every request is built and signed before the clock starts, so that the client's signing
  // does not compete with the server for the machine's cores during the run (both systems
  // alike).
  const warmups = Array.from({ length: opts.warmup }, (_, i) => makeBody(runId, `w${i}`));
  const bodies = Array.from({ length: opts.n }, (_, i) => makeBody(runId, i));
  // Warm-up: connections, TLS sessions, the server's caches. Not counted.
  await drive(opts.warmup, opts.c, (w, i) => send(w, warmups[i]));
  const t0 = process.hrtime.bigint();
  const lat = await drive(opts.n, opts.c, (w, i) => send(w, bodies[i]));
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

// POST /v1/messages over HTTPS keep-alive with the sender's client certificate; resolves on 201.
function makeNcbnetPost(opts, ca, maxSockets) {
  const url = new URL('/v1/messages', opts.url);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets,
    ca,
    cert: fs.readFileSync(opts.cert),
    key: fs.readFileSync(opts.certKey),
  });
  let inFlight = 0;
  const post = (body) => new Promise((resolve, reject) => {
    post.maxInFlight = Math.max(post.maxInFlight, ++inFlight);
    let settled = false;
    const done = (f) => (v) => { if (!settled) { settled = true; inFlight--; } f(v); };
    resolve = done(resolve);
    reject = done(reject);
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
  post.agent = agent;
  post.maxInFlight = 0;
  return post;
}

async function runNcbnet(opts) {
  const privateKey = privateKeyFromSeed(fs.readFileSync(opts.seed, 'ascii'));
  const keyId = opts.keyId ?? keyIdOf(privateKey);
  const post = makeNcbnetPost(opts, fs.readFileSync(opts.ca), opts.c);
  const result = await measure(opts, (runId, i) => makeRequest(opts, privateKey, keyId, runId, i),
    (_w, body) => post(body));
  post.agent.destroy();
  return result;
}

async function runJetstream(opts) {
  // The same signed requests as for ncbnet, with a throwaway key: JetStream does not verify.
  const privateKey = crypto.generateKeyPairSync('ed25519').privateKey;
  const keyId = keyIdOf(privateKey);
  // --port may list a cluster's ports (p1,p2,p3): each connection picks one of them.
  const servers = String(opts.port).split(',').map((p) => `127.0.0.1:${p}`);
  const admin = await connect({ servers });
  const jsm = await admin.jetstreamManager();
  await jsm.streams.add({ name: 'BENCH', subjects: ['msgs.>'], storage: StorageType.File,
    num_replicas: Number(opts.replicas ?? 1) });
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

// ---- push delivery latency (open loop) ----------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Drives the open-loop run. `send(body)` resolves on the server's acknowledgement; the caller's
// subscription reports each arrival with `arrived(subject)`, which this returns as `arrived`.
// `build(subject)` makes the signed request body. Message i (warm-up included) is scheduled at
// t0 + i/rate; its latency is arrival time minus the time its send started.
function pushRun(opts) {
  const runId = crypto.randomBytes(6).toString('hex');
  const prefix = `Push ${runId} `;
  const total = opts.warmup + Math.round(opts.rate * opts.duration);
  const sendStart = new Float64Array(total).fill(NaN);
  const ackAt = new Float64Array(total).fill(NaN);
  const arriveAt = new Float64Array(total).fill(NaN);
  const waiters = new Map();
  let foreign = 0;
  // `at`: when it arrived, on this process's performance.now() clock (the recipient runs in a
  // process of its own and stamps arrivals itself; see recipient()).
  const arrived = (subject, at) => {
    const now = at ?? performance.now();
    if (typeof subject !== 'string' || !subject.startsWith(prefix)) { foreign++; return; }
    const tag = subject.slice(prefix.length);
    const waiter = waiters.get(tag);
    if (waiter) { waiters.delete(tag); waiter(); return; }
    const i = Number(tag);
    if (Number.isInteger(i) && i >= 0 && i < total && Number.isNaN(arriveAt[i])) arriveAt[i] = now;
  };
  const run = async (build, send) => {
    // One marker message first, sent alone: when it arrives the subscription is live and any
    // backlog (events from earlier runs) has been delivered.
    const synced = new Promise((resolve) => waiters.set('sync', resolve));
    await send(build(prefix + 'sync'));
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('the marker message never arrived')), 30000);
    });
    await Promise.race([synced, timeout]).finally(() => clearTimeout(timer));

    // Built and signed before the clock starts (see measure()).
    const bodies = Array.from({ length: total }, (_, i) => build(prefix + i));
    const errors = [];
    const pending = [];
    let maxLag = 0;
    const t0 = performance.now();
    const interval = 1000 / opts.rate;
    for (let i = 0; i < total;) {
      const now = performance.now();
      while (i < total && t0 + i * interval <= now) {
        const body = bodies[i];
        const started = performance.now();
        if (i >= opts.warmup) maxLag = Math.max(maxLag, started - (t0 + i * interval));
        sendStart[i] = started;
        const k = i;
        pending.push(send(body).then(() => { ackAt[k] = performance.now(); },
          (e) => { if (errors.length < 5) errors.push(String(e.message ?? e)); }));
        i++;
      }
      if (i < total) await sleep(Math.max(0, t0 + i * interval - performance.now()));
    }
    await Promise.all(pending);
    const sendEnd = performance.now();
    // Wait for the acknowledged messages to arrive, at most `grace` seconds after the last send.
    const missing = () => {
      let m = 0;
      for (let i = opts.warmup; i < total; i++) if (!Number.isNaN(ackAt[i]) && Number.isNaN(arriveAt[i])) m++;
      return m;
    };
    while (missing() > 0 && performance.now() - sendEnd < opts.grace * 1000) await sleep(20);

    const latencies = [];
    const acks = [];
    const afterAck = []; // arrival minus the sender's acknowledgement (negative: push came first)
    let acked = 0;
    let received = 0;
    let lastAck = 0;
    for (let i = opts.warmup; i < total; i++) {
      if (!Number.isNaN(ackAt[i])) { acked++; acks.push(ackAt[i] - sendStart[i]); lastAck = Math.max(lastAck, ackAt[i]); }
      if (!Number.isNaN(arriveAt[i])) { received++; latencies.push(arriveAt[i] - sendStart[i]); }
      if (!Number.isNaN(arriveAt[i]) && !Number.isNaN(ackAt[i])) afterAck.push(arriveAt[i] - ackAt[i]);
    }
    latencies.sort((a, b) => a - b);
    acks.sort((a, b) => a - b);
    afterAck.sort((a, b) => a - b);
    const measured = total - opts.warmup;
    const firstScheduled = t0 + opts.warmup * interval;
    const pct = (arr, p) => (arr.length ? +percentile(arr, p).toFixed(2) : null);
    return {
      target: opts.target,
      rate_target: opts.rate,
      // Acknowledged measured messages per second, from the first measured message's scheduled
      // time to the last acknowledgement.
      rate_achieved: Math.round(acked / ((lastAck - firstScheduled) / 1000)),
      messages: measured,
      warmup: opts.warmup,
      acked,
      received,
      lost: missing(),
      p50_ms: pct(latencies, 50),
      p99_ms: pct(latencies, 99),
      max_ms: latencies.length ? +latencies[latencies.length - 1].toFixed(2) : null,
      send_p50_ms: pct(acks, 50),
      send_p99_ms: pct(acks, 99),
      after_ack_p50_ms: pct(afterAck, 50),
      after_ack_p99_ms: pct(afterAck, 99),
      max_send_lag_ms: +maxLag.toFixed(2),
      send_errors: errors,
      foreign_events: foreign,
    };
  };
  return { arrived, run };
}

// The recipient runs in a process of its own, as it would on another agency's machine, so
// that its event loop does not share the sender's: the child (this file, target
// `<target>-recv`) stamps each arrival with the wall clock, performance.timeOrigin +
// performance.now(), which this converts to its own performance.now() scale. Resolves once
// the child's subscription is live; `stop()` ends it.
async function recipient(target, opts, arrived) {
  const args = [`${target}-recv`];
  for (const k of ['url', 'ca', 'recipientCert', 'recipientKey', 'port']) {
    if (opts[k] !== undefined) args.push(`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(opts[k]));
  }
  const child = fork(fileURLToPath(import.meta.url), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let closed = null;
  const ready = new Promise((resolve, reject) => {
    child.on('message', (m) => {
      if (m.ready) resolve();
      else if (m.closed !== undefined) closed = m.closed;
      else arrived(m.subject, m.at - performance.timeOrigin);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`recipient exited (${code}) before it was ready`)));
  });
  await ready;
  return { closed: () => closed, stop: () => child.kill() };
}

function report(subject) {
  process.send({ subject, at: performance.timeOrigin + performance.now() });
}

// Child: ncb-deu's WebSocket on its mailbox stream, authenticated by its certificate.
async function runNcbnetRecv(opts) {
  const streamUrl = new URL('/v1/mailbox/stream?after=0', opts.url);
  streamUrl.protocol = 'wss:';
  const ws = new WebSocket(streamUrl, {
    ca: fs.readFileSync(opts.ca), cert: fs.readFileSync(opts.recipientCert),
    key: fs.readFileSync(opts.recipientKey), perMessageDeflate: false,
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const event = JSON.parse(data.toString('utf8'));
    if (event.kind === 'message') report(event.message?.subject);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`stream upgrade refused: ${res.statusCode}`)));
  });
  ws.on('close', (code) => process.send({ closed: code }));
  ws.on('error', (e) => process.send({ closed: String(e) }));
  process.send({ ready: true });
  return new Promise(() => {});  // until the parent ends this process
}

// Child: an ordered push consumer of the PUSH stream, new messages only.
async function runJetstreamRecv(opts) {
  const conn = await connect({ servers: `127.0.0.1:${opts.port}` });
  const co = consumerOpts();
  co.orderedConsumer();
  co.deliverNew();
  const sub = await conn.jetstream().subscribe('push.deu', co);
  process.send({ ready: true });
  const decoder = new TextDecoder();
  for await (const m of sub) report(JSON.parse(decoder.decode(m.data)).content?.subject);
}

async function runNcbnetPush(opts) {
  const privateKey = privateKeyFromSeed(fs.readFileSync(opts.seed, 'ascii'));
  const keyId = opts.keyId ?? keyIdOf(privateKey);
  const ca = fs.readFileSync(opts.ca);
  const post = makeNcbnetPost(opts, ca, opts.sockets);
  const { arrived, run } = pushRun(opts);
  const recv = await recipient('ncbnet', opts, arrived);

  const result = await run((subject) => makeRequest(opts, privateKey, keyId, 'push', subject.replaceAll(' ', '-'), subject),
    (body) => post(body));
  result.sockets = opts.sockets;
  // Above `sockets`, sends waited in the client for a free connection (counted in their latency).
  result.max_in_flight = post.maxInFlight;
  if (recv.closed() !== null) result.stream_closed = recv.closed();
  recv.stop();
  post.agent.destroy();
  return result;
}

async function runJetstreamPush(opts) {
  const privateKey = crypto.generateKeyPairSync('ed25519').privateKey;
  const keyId = keyIdOf(privateKey);
  const servers = `127.0.0.1:${opts.port}`;
  const admin = await connect({ servers });
  const jsm = await admin.jetstreamManager();
  await jsm.streams.add({ name: 'PUSH', subjects: ['push.>'], storage: StorageType.File });
  const { arrived, run } = pushRun(opts);

  const recv = await recipient('jetstream', opts, arrived);

  // The sender: one connection, every publish awaiting its acknowledgement, many in flight.
  const pubConn = await connect({ servers });
  const js = pubConn.jetstream();
  const encoder = new TextEncoder();
  const result = await run((subject) => makeRequest(opts, privateKey, keyId, 'push', subject.replaceAll(' ', '-'), subject),
    async (body) => {
      const ack = await js.publish('push.deu', encoder.encode(body));
      if (ack.stream !== 'PUSH') throw new Error(`unexpected ack ${JSON.stringify(ack)}`);
    });
  recv.stop();
  await Promise.all([pubConn.close(), admin.close()]);
  return result;
}

const opts = parseArgs(process.argv.slice(2));
const run = {
  ncbnet: runNcbnet, jetstream: runJetstream,
  'ncbnet-push': runNcbnetPush, 'jetstream-push': runJetstreamPush,
  'ncbnet-recv': runNcbnetRecv, 'jetstream-recv': runJetstreamRecv,
}[opts.target];
if (!run) {
  console.error('usage: node msgload.mjs ncbnet|jetstream|ncbnet-push|jetstream-push [options] (see the head of this file)');
  process.exit(2);
}
run(opts).then((r) => console.log(JSON.stringify(r))).catch((e) => {
  console.error(`msgload ${opts.target}: ${e.stack ?? e}`);
  process.exit(1);
});
