// Checks the signed record in the QR code's URL fragment, in the browser: base32 → COSE_Sign1 →
// Ed25519 (WebCrypto) → raw-deflated CBOR → the fields the paper says. The format is described in
// src/trust/record.rs. The fragment never leaves this page.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const dataNode = $("gramota-data");
  if (!dataNode) return;
  const data = JSON.parse(dataNode.textContent);
  const t = data.texts;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
    // Marks the page once it would also open without a network.
    navigator.serviceWorker.ready.then(() => { document.body.dataset.offline = "ready"; });
  }

  function base32Decode(text) {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bits = 0, value = 0;
    const out = [];
    for (const ch of text.toUpperCase()) {
      const index = alphabet.indexOf(ch);
      if (index < 0) throw new Error("base32");
      value = (value << 5) | index;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    // Leftover bits must be zero, as in Rust's decoder: one record, one spelling.
    if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) throw new Error("base32");
    return new Uint8Array(out);
  }

  // A CBOR reader for what the record uses: integers, byte and text strings, arrays, maps, tags.
  function cborDecode(bytes) {
    let pos = 0;
    const need = (n) => { if (pos + n > bytes.length) throw new Error("cbor"); };
    function length(info) {
      if (info < 24) return info;
      const size = { 24: 1, 25: 2, 26: 4 }[info];
      if (!size) throw new Error("cbor");
      need(size);
      let n = 0;
      for (let i = 0; i < size; i++) n = n * 256 + bytes[pos++];
      return n;
    }
    function item() {
      need(1);
      const head = bytes[pos++];
      const major = head >> 5;
      const n = length(head & 31);
      switch (major) {
        case 0: return n;
        case 1: return -1 - n;
        case 2: { need(n); const b = bytes.slice(pos, pos + n); pos += n; return b; }
        case 3: { need(n); const s = new TextDecoder("utf-8", { fatal: true }).decode(bytes.slice(pos, pos + n)); pos += n; return s; }
        case 4: { const a = []; for (let i = 0; i < n; i++) a.push(item()); return a; }
        case 5: { const m = new Map(); for (let i = 0; i < n; i++) { const k = item(); m.set(k, item()); } return m; }
        case 6: return item();
        default: throw new Error("cbor");
      }
    }
    const value = item();
    if (pos !== bytes.length) throw new Error("cbor");
    return value;
  }

  function bstrHeader(n) {
    if (n < 24) return [0x40 + n];
    if (n < 256) return [0x58, n];
    return [0x59, n >> 8, n & 0xff];
  }

  // Sig_structure = ["Signature1", protected, external_aad (the code), payload] (RFC 9052 §4.4).
  function sigStructure(protectedBytes, aad, payload) {
    const parts = [[0x84, 0x6a], Array.from(new TextEncoder().encode("Signature1")),
      bstrHeader(protectedBytes.length), Array.from(protectedBytes),
      bstrHeader(aad.length), Array.from(aad),
      bstrHeader(payload.length), Array.from(payload)];
    return new Uint8Array(parts.flat());
  }

  function compactText(bytes) {
    const extra = Array.from(data.compact_text_extra);
    let out = "";
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b < 0x80) out += String.fromCharCode(b);
      else if (b < 0xc0) out += String.fromCharCode(b - 0x80 + 0x410);
      else if (b < 0xff) { if (b - 0xc0 >= extra.length) throw new Error("text"); out += extra[b - 0xc0]; }
      else {
        const lead = bytes[i + 1];
        const width = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
        out += new TextDecoder("utf-8", { fatal: true }).decode(bytes.slice(i + 1, i + 1 + width));
        i += width;
      }
    }
    return out;
  }

  async function inflate(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  function dateFromDays(days) {
    return new Date(days * 86400000).toISOString().slice(0, 10);
  }

  async function verifyRecord(fragment, code) {
    if (fragment.length > 3000) throw new Error("too long");
    const cose = cborDecode(base32Decode(fragment));
    if (!Array.isArray(cose) || cose.length !== 4) throw new Error("not COSE_Sign1");
    const [protectedBytes, , payload, signature] = cose;
    const header = protectedBytes.length ? cborDecode(protectedBytes) : new Map();
    if (header.get(1) !== -8) throw new Error("algorithm");
    const kid = Array.from(header.get(4) || [], (b) => b.toString(16).padStart(2, "0")).join("");
    const jwk = data.keys.find((k) => k.kid === kid);
    if (!jwk) throw new Error("unknown key");
    const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
    const tbs = sigStructure(protectedBytes, new TextEncoder().encode(code), payload);
    if (!(await crypto.subtle.verify({ name: "Ed25519" }, key, signature, tbs))) throw new Error("signature");
    const fields = cborDecode(await inflate(payload));
    if (fields.get(0) !== 1) throw new Error("version");
    return {
      keyStatus: jwk.status,
      issuer: compactText(fields.get(1)),
      serial: fields.get(2),
      holder: compactText(fields.get(4)),
      // Key 9 is the organizer's own words for the award, when the paper prints them.
      award: fields.has(9) ? compactText(fields.get(9)) : data.awards[String(fields.get(5))] || String(fields.get(5)),
      competition: compactText(fields.get(6)),
      date: dateFromDays(fields.get(7)),
      validUntil: fields.has(8) ? dateFromDays(fields.get(8)) : null,
    };
  }

  function row(label, value) {
    const div = document.createElement("div");
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = label;
    dd.textContent = value;
    div.append(dt, dd);
    return div;
  }

  function showVerdict(node, good, title, detail) {
    node.hidden = false;
    node.className = "verdict " + (good ? "valid" : "invalid");
    node.querySelector("h1, h2").textContent = title;
    node.querySelector("p").textContent = detail || "";
  }

  const code = (location.pathname.match(/\/v\/([0-9A-Za-z]{16})\/?$/) || [])[1] || "";
  const fragment = location.hash.slice(1);

  async function checkSignature() {
    const box = $("signed");
    if (!fragment || !box) return null;
    try {
      const record = await verifyRecord(fragment, code.toUpperCase());
      if (record.keyStatus === "compromised") {
        showVerdict(box, false, t.key_compromised, t.key_compromised_detail);
      } else {
        showVerdict(box, true, t.signature_genuine, t.signature_genuine_detail);
        // Whoever holds the paper's record may take the paper as a credential: the record
        // already holds the full name the credential carries.
        const form = $("credential");
        if (form) {
          $("credential-record").value = fragment;
          form.hidden = false;
        }
      }
      const list = $("signed-fields");
      list.replaceChildren(
        row(t.holder, record.holder), row(t.award, record.award), row(t.competition, record.competition),
        row(t.issuer, record.issuer), row(t.date, record.date.split("-").reverse().join(".")), row(t.serial, record.serial));
      if (record.validUntil) list.append(row(t.valid_until, record.validUntil.split("-").reverse().join(".")));
      list.hidden = false;
      return record;
    } catch (error) {
      showVerdict(box, false, t.signature_not_genuine, t.signature_not_genuine_detail);
      return null;
    }
  }

  async function checkStatus() {
    const box = $("live-status");
    if (!box || !code) return;
    let status = "unknown", reason = "";
    try {
      // The page's own view was logged when it was served; this refresh is not another scan.
      const response = await fetch("/api/v1/verify/" + code, { cache: "no-store", headers: { "X-Gramota-Refresh": "1" } });
      if (response.status === 404) status = "not_found";
      else if (response.ok) {
        const json = await response.json();
        status = json.status;
        reason = json.revoked_reason || "";
        if (json.pdf_sha256) data.pdf_sha256 = json.pdf_sha256;
      }
    } catch (error) {
      status = "unknown";
    }
    box.dataset.status = status;
    showVerdict(box, status === "valid", t["live_" + status] || status, reason);
  }

  async function checkPdf(event) {
    const file = event.target.files[0];
    const out = $("pdf-result");
    if (!file || !out) return;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    const same = data.pdf_sha256 && hex === data.pdf_sha256;
    out.textContent = same ? t.pdf_same : t.pdf_different;
    out.className = same ? "ok" : "bad";
  }

  const input = $("pdf-check");
  if (input) input.addEventListener("change", checkPdf);
  Promise.all([checkSignature(), checkStatus()]).then(() => document.body.dataset.checked = "yes");
})();
