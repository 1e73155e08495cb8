// Keeps the verification page working offline once visited: pages are fetched from the network when
// it answers, otherwise an offline page (with the public keys) checks the signed record alone.
"use strict";
const CACHE = "gramota-verify-v1";
const SHELL = "/v/";
const ASSETS = [SHELL, "/static/verify.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== "GET") return;
  if (event.request.mode === "navigate" && url.pathname.startsWith("/v/")) {
    event.respondWith(
      fetch(event.request)
        .then((response) => {
          // Refresh the offline page (and the keys in it) while the network answers.
          caches.open(CACHE).then((cache) => cache.add(SHELL)).catch(() => {});
          return response;
        })
        .catch(() => caches.match(SHELL, { ignoreVary: true })));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(fetch(event.request).catch(() => caches.match(url.pathname, { ignoreVary: true })));
  }
});
