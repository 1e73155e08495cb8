// Verifies Open Badges 3.0 credentials (VC-JWT, Open Badges 3.0 §8.2) with independent packages:
// jose for the JWS, ajv for the JSON Schema, node's zlib for the status list, did-resolver with
// web-did-resolver (the Decentralized Identity Foundation's) for a did:web kid. See README.md.
//
//   PUBLIC_URL=https://verify.gramota.test SERVER=http://127.0.0.1:PORT node verify.mjs FILE...
//
// Each FILE holds a compact JWS, or the JSON the API answers ({compactJwsString, credential}).
// Prints one JSON line per file: {file, verified, error, schema_errors, revoked, kid}.
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { gunzipSync } from "node:zlib";
import * as jose from "jose";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { Resolver } from "did-resolver";
import { getResolver as webDidResolver } from "web-did-resolver";

const PUBLIC_URL = (process.env.PUBLIC_URL || "").replace(/\/$/, "");
const SERVER = (process.env.SERVER || "").replace(/\/$/, "");

// Only the server under test is asked: a URL under its public address is fetched from it.
async function dereference(url) {
  if (!PUBLIC_URL || !url.startsWith(PUBLIC_URL + "/")) throw new Error(`not the server under test: ${url}`);
  const response = await fetch(SERVER + url.slice(PUBLIC_URL.length));
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

// web-did-resolver fetches https://HOST/…/did.json itself (node-fetch over node's https): a
// request for the server under test's public host goes to the server, any other is refused. The
// did:web rules (DID to URL) stay the resolver's own.
if (PUBLIC_URL && SERVER) {
  const publicHost = new URL(PUBLIC_URL).host;
  const server = new URL(SERVER);
  const httpsRequest = https.request;
  https.request = function (options, ...rest) {
    const target = typeof options === "string" || options instanceof URL ? new URL(options) : options;
    const host = target.host || `${target.hostname}${target.port ? `:${target.port}` : ""}`;
    if (host !== publicHost) throw new Error(`no network: ${host}`);
    const local = { ...target, protocol: "http:", hostname: server.hostname, host: server.host, port: server.port, agent: undefined };
    return http.request(local, ...rest);
  };
  https.request.original = httpsRequest;
}
const didResolver = new Resolver(webDidResolver());

// A did:web kid (`did:web:…#KID`): the DID resolved to its document, the key one of its
// verification methods that is an assertion method (may sign credentials).
async function keyOfDid(kid) {
  const [did, fragment] = kid.split("#");
  if (!did.startsWith("did:web:") || !fragment) throw new Error(`kid ${kid} is not a did:web key`);
  const resolved = await didResolver.resolve(did);
  const document = resolved.didDocument;
  if (!document) throw new Error(`${did} does not resolve: ${JSON.stringify(resolved.didResolutionMetadata)}`);
  if (document.id !== did) throw new Error(`the document of ${did} is ${document.id}'s`);
  const same = (id) => id === kid || id === `#${fragment}`;
  const method = (document.verificationMethod || []).find((m) => same(m.id));
  if (!method) throw new Error(`no verification method ${kid} in ${did}`);
  if (method.controller !== did) throw new Error(`${kid} is controlled by ${method.controller}`);
  const asserting = (document.assertionMethod || []).some((m) => same(typeof m === "string" ? m : m.id));
  if (!asserting) throw new Error(`${kid} is not an assertion method of ${did}`);
  const jwk = method.publicKeyJwk;
  if (!jwk || jwk.d) throw new Error(`${kid}: no public JWK, or a private one`);
  return jose.importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, "EdDSA");
}

// The header's kid names the key: a DID URL (did:web), or, in credentials made before gramota
// named its issuers by DID, a URL of a JWK: the key set, and the key in it named by the fragment.
async function keyOf(token) {
  const header = jose.decodeProtectedHeader(token);
  if (header.alg !== "EdDSA") throw new Error(`alg ${header.alg}`);
  if (String(header.kid || "").startsWith("did:")) {
    const did = String(header.kid).split("#")[0];
    return { key: await keyOfDid(String(header.kid)), header, did };
  }
  const [setUrl, kid] = String(header.kid || "").split("#");
  if (!kid) throw new Error("the kid names no key");
  const set = await (await dereference(setUrl)).json();
  const jwk = (set.keys || []).find((k) => k.kid === kid);
  if (!jwk) throw new Error(`no key ${kid} in ${setUrl}`);
  if (jwk.status === "compromised") throw new Error(`key ${kid} is compromised`);
  if (jwk.d) throw new Error("a private key is published");
  return { key: await jose.importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, "EdDSA"), header };
}

const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
const schema = JSON.parse(readFileSync(new URL("./ob_v3p0_achievementcredential_schema.json", import.meta.url)));
delete schema.$schema; // "…/draft/2019-09/schema#": Ajv2019 knows the draft without the "#"
const validate = ajv.compile(schema);
if (validate({})) throw new Error("the schema accepts an empty object: it checks nothing");

const seconds = (dateTime) => Math.floor(Date.parse(dateTime) / 1000);

async function verifyCredential(token) {
  const { key, header, did } = await keyOf(token);
  if (header.typ !== undefined && header.typ !== "JWT") throw new Error(`typ ${header.typ}`);
  const extra = Object.keys(header).filter((name) => !["alg", "kid", "jwk", "typ"].includes(name));
  if (extra.length) throw new Error(`headers Open Badges 3.0 does not allow: ${extra}`);
  const { payload } = await jose.jwtVerify(token, key, { algorithms: ["EdDSA"] });
  const issuerId = typeof payload.issuer === "string" ? payload.issuer : payload.issuer?.id;
  if (payload.iss !== issuerId) throw new Error("iss is not issuer.id");
  if (did !== undefined && did !== issuerId) throw new Error(`the key is ${did}'s, the issuer ${issuerId}`);
  if (payload.sub !== payload.credentialSubject?.id) throw new Error("sub is not credentialSubject.id");
  if (payload.jti !== payload.id) throw new Error("jti is not id");
  if (payload.nbf !== seconds(payload.validFrom)) throw new Error("nbf is not validFrom");
  if (payload.validUntil !== undefined && payload.exp !== seconds(payload.validUntil)) throw new Error("exp is not validUntil");
  const types = [].concat(payload.type);
  if (!types.includes("VerifiableCredential") || !types.includes("OpenBadgeCredential")) throw new Error(`type ${types}`);
  return payload;
}

async function revoked(credential) {
  const entry = credential.credentialStatus;
  if (!entry) return null;
  if (entry.type !== "BitstringStatusListEntry") throw new Error(`status type ${entry.type}`);
  const token = await (await dereference(entry.statusListCredential)).text();
  const { key, did } = await keyOf(token);
  const { payload: list } = await jose.jwtVerify(token, key, { algorithms: ["EdDSA"] });
  if (![].concat(list.type).includes("BitstringStatusListCredential")) throw new Error("not a status list");
  if (list.id !== entry.statusListCredential) throw new Error("another status list");
  const issuerId = typeof credential.issuer === "string" ? credential.issuer : credential.issuer.id;
  if (list.issuer !== issuerId) throw new Error("the status list has another issuer");
  if (did !== undefined && did !== issuerId) throw new Error("the status list is signed by another's key");
  const subject = list.credentialSubject;
  if (subject.statusPurpose !== entry.statusPurpose) throw new Error("another purpose");
  if (!subject.encodedList.startsWith("u")) throw new Error("not multibase base64url");
  const bits = gunzipSync(Buffer.from(subject.encodedList.slice(1), "base64url"));
  if (bits.length < 16384) throw new Error(`a list of ${bits.length} bytes, under the 16 KiB minimum`);
  const index = Number(entry.statusListIndex);
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) throw new Error(`index ${entry.statusListIndex}`);
  return (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
}

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8").trim();
  const token = text.startsWith("{") ? JSON.parse(text).compactJwsString : text;
  const result = { file, verified: false, error: null, schema_errors: null, revoked: null, kid: null };
  try {
    result.kid = jose.decodeProtectedHeader(token).kid ?? null;
    const credential = await verifyCredential(token);
    result.verified = true;
    result.schema_errors = validate(credential) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`);
    result.revoked = await revoked(credential);
  } catch (error) {
    result.error = String(error.message || error);
  }
  console.log(JSON.stringify(result));
}
