/* survey.js: optional help on every page. Everything works without it; with it:
   - the error summary takes focus;
   - a service worker keeps opened surveys for offline use (docs/fieldwork.md);
   - finished offline responses wait in IndexedDB and are sent when the network returns;
   - on a kiosk tablet: the idle question, the reset, and no way back to earlier answers. */
(function () {
  "use strict";
  var DB_NAME = "survey_app", STORE = "outbox";
  var KIOSK_KEY = "survey-kiosk", HANDOVER_KEY = "survey-handover", LANGUAGE_KEY = "survey-language";
  var RESUME_KEY = "survey-resume";
  var RETRY_MS = 30000;
  var shell = document.body.classList.contains("offline-shell");
  var dataElement = document.getElementById("fieldwork");
  var data = dataElement ? JSON.parse(dataElement.textContent) : {};

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  /* The outbox: finished responses, keyed by their client-generated id, until acknowledged.
     "attention": responses the server refused for good (a 4xx with a reason, or too large),
     kept on the tablet and counted in its footer, so staff see them and nothing is lost. */
  var ATTENTION = "attention";
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 2);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "id" });
        if (!db.objectStoreNames.contains(ATTENTION)) db.createObjectStore(ATTENTION, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withStore(mode, work, name) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(name || STORE, mode);
        var request = work(transaction.objectStore(name || STORE));
        transaction.oncomplete = function () { db.close(); resolve(request && request.result); };
        transaction.onerror = transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }
  /* Moves an item from the outbox to the attention list in one transaction: never in neither. */
  function setAside(item, reason) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction([STORE, ATTENTION], "readwrite");
        transaction.objectStore(ATTENTION).put(Object.assign({}, item, { refused: reason }));
        transaction.objectStore(STORE).delete(item.id);
        transaction.oncomplete = function () { db.close(); resolve(); };
        transaction.onerror = transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }
  var queue = {
    add: function (item) {
      // When it was queued, to send the oldest first; it stays on the tablet (stripped when sent).
      var stamped = Object.assign({ queued_at: Date.now() }, item);
      return withStore("readwrite", function (s) { return s.put(stamped); });
    },
    all: function () {
      return withStore("readonly", function (s) { return s.getAll(); }).then(function (items) {
        return items.sort(function (a, b) { return (a.queued_at || 0) - (b.queued_at || 0); });
      });
    },
    remove: function (id) { return withStore("readwrite", function (s) { return s.delete(id); }); },
    count: function () { return withStore("readonly", function (s) { return s.count(); }); },
    attention: function () { return withStore("readonly", function (s) { return s.getAll(); }, ATTENTION); },
    attentionCount: function () { return withStore("readonly", function (s) { return s.count(); }, ATTENTION); }
  };

  function showCount(selector, count) {
    document.querySelectorAll(selector).forEach(function (element) {
      element.hidden = count === 0;
      element.querySelector(".queue-count").textContent = String(count);
    });
  }
  function updateBadge() {
    return Promise.all([queue.count(), queue.attentionCount()]).then(function (counts) {
      showCount(".queue:not(.attention)", counts[0]);
      showCount(".queue.attention", counts[1]);
      return counts[0];
    }, function () { return 0; });
  }

  /* A refusal that sending again cannot change: the API's own 4xx with a reason, or too large.
     Anything else (no network, 429, 5xx, an expired CSRF token, a login page) may pass later. */
  function refusedForGood(reply) {
    if (reply.status === 413) return true;
    var json = (reply.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    return json && reply.status >= 400 && reply.status < 500 && reply.status !== 429;
  }

  var sending = null;
  /* Send every waiting response, oldest first. One that fails does not hold up the others:
     a response refused for good moves to the attention list, one that fails for now is tried
     again next round. Only a lost network or a rate limit ends the round early. */
  function flush() {
    // A round under way may have read the outbox before the newest response came: one more.
    if (sending) return sending.then(flush);
    sending = queue.all().then(async function (items) {
      if (!items.length) return;
      var reply = await fetch("/api/csrf", { credentials: "same-origin", cache: "no-store" });
      if (!reply.ok) return;
      var token = (await reply.json()).csrf_token;
      for (var i = 0; i < items.length; i++) {
        var body = Object.assign({}, items[i]);
        delete body.queued_at;
        var sent = await fetch("/api/responses", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: JSON.stringify(body)
        });
        // 2xx: stored, known already, or kept aside for review on the server.
        if (sent.ok) await queue.remove(items[i].id);
        else if (refusedForGood(sent)) await setAside(items[i], sent.status);
        else if (sent.status === 429) break;
      }
    }).catch(function () { /* no network: the next round tries again */ }).then(function () {
      sending = null;
      return updateBadge();
    });
    return sending;
  }

  window.SurveyQueue = {
    add: function (item) { return queue.add(item).then(updateBadge); },
    all: queue.all,
    flush: flush,
    count: queue.count,
    attention: queue.attention,
    updateBadge: updateBadge
  };
  if ("indexedDB" in window) {
    flush();
    window.addEventListener("online", flush);
    setInterval(flush, RETRY_MS);
  }

  /* Keep this survey (or a kiosk's surveys) for offline use once it has been opened. */
  if ("serviceWorker" in navigator && !shell) {
    navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var wanted = data.kiosk ? { slugs: data.kiosk.slugs, languages: data.kiosk.languages }
        : data.survey ? { slugs: [data.survey.slug], languages: [data.survey.lang] } : null;
      if (!wanted || !registration.active) return;
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { document.body.setAttribute("data-offline", "ready"); };
      registration.active.postMessage({ type: "keep-surveys", slugs: wanted.slugs, languages: wanted.languages }, [channel.port2]);
    }).catch(function () { /* no offline copy: the online pages still work */ });
  }

  /* The hand-over: if the network fails while a page is posted, the offline page goes on
     from here with the answers so far. Kept for one navigation only, in this tab only. */
  if (!shell) {
    sessionStorage.removeItem(HANDOVER_KEY);
    sessionStorage.removeItem(LANGUAGE_KEY);
    // A language chosen just before the network failed is not asked for twice.
    document.querySelectorAll("form.language-picker").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (event.submitter) sessionStorage.setItem(LANGUAGE_KEY, event.submitter.value);
      });
    });
    var answersForm = document.getElementById("answers");
    if (answersForm && data.handover && data.survey) {
      answersForm.addEventListener("submit", function (event) {
        var raw = {};
        new FormData(answersForm).forEach(function (value, name) {
          if (name === "csrf_token" || name === "response_id" || name === "action") return;
          (raw[name] = raw[name] || []).push(String(value));
        });
        sessionStorage.setItem(HANDOVER_KEY, JSON.stringify({
          slug: data.survey.slug, version: data.survey.version, lang: data.survey.lang,
          id: data.handover.id, number: data.handover.number, answers: data.handover.answers, form: data.handover.form,
          raw: raw, action: event.submitter ? event.submitter.value : "next"
        }));
      });
    }
  }

  // 'Begin' offers to go on: the last page's answers, sealed (unreadable once the session's key goes).
  if (!shell) {
    var sealed = document.querySelector("#answers [name=draft], #resume [name=draft]");
    var at = sealed && sealed.form.getAttribute("action").match(/\/s\/([^/]+)\/(\d+)$/);
    if (at && sealed.value) sessionStorage.setItem(RESUME_KEY, JSON.stringify([at[1], at[2], sealed.value]));
    var begin = document.getElementById("start"), kept = JSON.parse(sessionStorage.getItem(RESUME_KEY));
    if (begin && kept && kept[0] === begin.getAttribute("data-in-progress") && !begin.draft.value) {
      begin.draft.value = kept[2];
      begin.page.value = kept[1];
    }
    // After a submit the back button stays here once, to say so.
    var sent = document.getElementById("sent-notice");
    if (sent) {
      // The page is the answer to the last post: show its own address, so that a reload
      // asks for the thank-you page instead of posting the answers again.
      if (sent.dataset.url) history.replaceState(null, "", sent.dataset.url);
      history.pushState(null, "", location.href);
      addEventListener("popstate", function () { sent.hidden = false; sent.focus(); }, { once: true });
    }
  }

  /* Kiosk: the idle question, then a reset; nothing of a resident can be seen again. */
  function startIdle(kiosk, onReset) {
    var dialog = document.getElementById("idle-dialog");
    if (!dialog) return;
    var idleTimer, resetTimer;
    function arm() {
      clearTimeout(idleTimer);
      clearTimeout(resetTimer);
      idleTimer = setTimeout(warn, kiosk.idle * 1000);
    }
    function warn() {
      if (dialog.showModal) dialog.showModal(); else dialog.setAttribute("open", "");
      resetTimer = setTimeout(function () {
        sessionStorage.removeItem(HANDOVER_KEY);
        onReset();
      }, kiosk.warning * 1000);
    }
    function goOn() {
      if (dialog.open) dialog.close();
      arm();
    }
    ["pointerdown", "keydown", "input", "wheel", "touchstart"].forEach(function (name) {
      document.addEventListener(name, function () { if (!dialog.open) arm(); }, { capture: true, passive: true });
    });
    document.getElementById("idle-continue").addEventListener("click", goOn);
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); goOn(); });
    arm();
  }
  window.SurveyKiosk = { startIdle: startIdle, HANDOVER_KEY: HANDOVER_KEY, KIOSK_KEY: KIOSK_KEY, LANGUAGE_KEY: LANGUAGE_KEY };

  if (!shell) {
    if (data.kiosk) localStorage.setItem(KIOSK_KEY, JSON.stringify(data.kiosk));
    else localStorage.removeItem(KIOSK_KEY);
  }
  if (data.kiosk && !shell) {
    var resetForm = document.getElementById("kiosk-reset");
    var onPicker = document.querySelector(".language-picker") !== null;
    if (!onPicker) startIdle(data.kiosk, function () { resetForm.submit(); });
    var nextPerson = document.querySelector(".next-person[data-auto-seconds]");
    if (nextPerson) {
      setTimeout(function () { nextPerson.submit(); }, Number(nextPerson.getAttribute("data-auto-seconds")) * 1000);
    }
    if (location.pathname === "/") {
      // The start page is where every resident begins: the back button stays here.
      history.replaceState(null, "", "/");
      history.pushState(null, "", "/");
      window.addEventListener("popstate", function () { history.pushState(null, "", "/"); });
    }
    // The staff exit answers only a press held for a while: a resident's tap does nothing.
    var exit = document.querySelector(".kiosk-leave[data-hold-ms]");
    if (exit) {
      var pressed = 0, holdTimer = null;
      exit.addEventListener("pointerdown", function () {
        pressed = Date.now();
        exit.classList.add("holding");
        holdTimer = setTimeout(function () { location.href = exit.href; }, Number(exit.getAttribute("data-hold-ms")));
      });
      ["pointerup", "pointerleave", "pointercancel"].forEach(function (name) {
        exit.addEventListener(name, function () { clearTimeout(holdTimer); exit.classList.remove("holding"); });
      });
      exit.addEventListener("click", function (event) {
        // A click from the keyboard (detail 0) goes on to the PIN; a short tap does not.
        if (event.detail !== 0 && Date.now() - pressed < Number(exit.getAttribute("data-hold-ms"))) event.preventDefault();
      });
      exit.addEventListener("contextmenu", function (event) { event.preventDefault(); });
    }
    // A page restored from the back-forward cache could show a previous resident's answers.
    window.addEventListener("pageshow", function (event) { if (event.persisted) location.reload(); });
  }
})();
