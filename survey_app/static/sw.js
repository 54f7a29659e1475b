/* The service worker (served as /sw.js by survey_app/offline.py, which fills in VERSION).
   - Keeps the offline page and its assets (cache "assets-VERSION"), and, per opened survey,
     its JSON in each language asked for (cache "surveys-1").
   - Resident pages go to the network first; when it fails or hangs, the offline page is shown.
   - Staff pages, the results and the API are never cached or answered from the cache. */
"use strict";
var VERSION = "__VERSION__";
var ASSETS = "assets-" + VERSION;
var SURVEYS = "surveys-1";
var SHELL = "/offline";
var ASSET_URLS = [SHELL, "/static/survey.css", "/static/survey.js", "/static/offline.js",
  "/static/expressions.js", "/static/faces.svg"];
var NETWORK_TIMEOUT_MS = 8000;
var NEVER_OFFLINE = /^\/(staff|results|api|kiosk\/start|kiosk\/leave)(\/|$)/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (cache) {
    return cache.addAll(ASSET_URLS);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("assets-") === 0 && name !== ASSETS;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

/* A page asks to keep surveys: {type: "keep-surveys", slugs: [...], languages: [...]}. */
self.addEventListener("message", function (event) {
  var message = event.data || {};
  if (message.type !== "keep-surveys") return;
  var port = event.ports && event.ports[0];
  var work = Promise.all([
    caches.open(ASSETS).then(function (cache) { return keepMissing(cache, ASSET_URLS); }),
    caches.open(SURVEYS).then(function (cache) {
      var urls = [];
      (message.slugs || []).forEach(function (slug) {
        (message.languages || []).forEach(function (lang) {
          urls.push("/offline/" + encodeURIComponent(slug) + "/" + encodeURIComponent(lang) + ".json");
        });
      });
      return Promise.all(urls.map(function (url) { return refresh(cache, url); }));
    })
  ]).catch(function () { /* offline now: what is cached stays */ });
  event.waitUntil(work.then(function () { if (port) port.postMessage({ type: "kept" }); }));
});

function keepMissing(cache, urls) {
  return Promise.all(urls.map(function (url) {
    return cache.match(url).then(function (found) { return found || refresh(cache, url); });
  }));
}

function refresh(cache, url) {
  return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (response.ok) return cache.put(url, response);
  });
}

function fromNetwork(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, NETWORK_TIMEOUT_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      resolve(response);
    }, function (error) {
      clearTimeout(timer);
      reject(error);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER_OFFLINE.test(url.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetwork(request).catch(function () {
      return caches.match(SHELL, { cacheName: ASSETS }).then(function (page) { return page || Response.error(); });
    }));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname !== SHELL && ASSET_URLS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname, { cacheName: ASSETS }).then(function (found) {
      return found || fetch(request);
    }));
    return;
  }
  if (/^\/offline\/[^/]+\/[^/]+\.json$/.test(url.pathname)) {
    event.respondWith(caches.open(SURVEYS).then(function (cache) {
      return fetch(request).then(function (response) {
        if (response.ok) cache.put(url.pathname, response.clone());
        return response;
      }, function () {
        return cache.match(url.pathname).then(function (found) { return found || Response.error(); });
      });
    }));
  }
});
