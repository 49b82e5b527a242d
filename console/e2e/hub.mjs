// Starts a real `ncbnet demo` for the browser tests: a fresh data directory, a free port, the
// built console (console/dist) served by the hub itself, exactly as an officer gets it.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository's ci build, found from this file, unless NCBNET_BIN names another binary.
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.NCBNET_BIN ?? join(REPO, 'build/ci/src/apps/ncbnet/ncbnet');
export const PASSWORD = 'demo-password-2026';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A JSON request to the hub, its self-signed certificate accepted (test only).
export function request(url, method, path, { body, token } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : JSON.stringify(body);
    const headers = { Accept: 'application/json' };
    if (data) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    const req = https.request(`${url}${path}`, { method, headers, rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// Bytes (an image) posted to the hub with their media type.
export function upload(url, path, bytes, mediaType, token) {
  return new Promise((resolve, reject) => {
    const headers = { Accept: 'application/json', 'Content-Type': mediaType, 'Content-Length': bytes.length };
    if (token) headers.Authorization = `Bearer ${token}`;
    const req = https.request(`${url}${path}`, { method: 'POST', headers, rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

export function checkBinary(consoleDir, publicDir) {
  if (!existsSync(BIN)) throw new Error(`no ncbnet binary at ${BIN} (build it, or set NCBNET_BIN)`);
  const help = spawnSync(BIN, ['demo', '--help'], { encoding: 'utf8' });
  for (const flag of ['--console-dir', ...(publicDir ? ['--public-dir'] : [])]) {
    if (!`${help.stdout}${help.stderr}`.includes(flag)) {
      throw new Error(`${BIN} demo has no ${flag}: this hub cannot serve the console's files yet`);
    }
  }
  for (const dir of [consoleDir, publicDir].filter(Boolean)) {
    if (!existsSync(join(dir, 'index.html'))) {
      throw new Error(`${dir}/index.html is missing: run npm run build first`);
    }
  }
}

// `publicDir`: the public notices page's build (dist-public), served at /public.
export async function startHub(consoleDir, { publicDir } = {}) {
  checkBinary(consoleDir, publicDir);
  const dataDir = mkdtempSync(join(tmpdir(), 'ncbnet-e2e-'));
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const args = ['demo', '--data-dir', dataDir, '--port', String(port), '--console-dir', consoleDir];
  if (publicDir) args.push('--public-dir', publicDir);
  const child = spawn(BIN, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ncbnet demo exited ${child.exitCode}:\n${output}`);
    try {
      const r = await request(url, 'GET', '/healthz');
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`ncbnet demo did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, port, stop, output: () => output };
}

export async function login(url, user) {
  const r = await request(url, 'POST', '/v1/auth/login', { body: { user, password: PASSWORD } });
  if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${r.text}`);
  return r.json().token;
}

// Sends a signed message with the CLI, as an NCB's national system would.
export function sendMessage(hub, { token, from, toCountry, subject, body, priority = 'urgent' }) {
  const r = spawnSync(BIN, [
    'msg', 'send', '--url', hub.url, '--ca', join(hub.dataDir, 'ca.crt'), '--token', token,
    '--key', join(hub.dataDir, 'agency-keys', `${from}.key`), '--from', from, '--to-country', toCountry,
    '--subject', subject, '--body', body, '--priority', priority, '--language', 'en', '--json',
  ], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`msg send: ${r.status} ${r.stdout} ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// RFC 6238 (HMAC-SHA1, 30 s, 6 digits), as an authenticator app computes it, for the test user
// that enrols a second factor. `step` defaults to the current one.
export function totp(base32Secret, step = Math.floor(Date.now() / 30_000)) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32Secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}
