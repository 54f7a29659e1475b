/* offline.js: the survey without a network. The service worker shows /offline in place of a
   resident page it cannot reach; this script fills it from the survey JSON in the cache
   (survey_app/content/client.py), asks the same questions with the same markup and the same
   checks as the server pages (survey_app/content/answers.py), and puts the finished response
   in the outbox (survey.js), which sends it when the network returns. Answers live in memory
   only: a reload, a reset or the end of the survey leaves nothing of them behind. */
(function () {
  "use strict";
  var X = window.SurveyExpressions;
  var SURVEYS = "surveys-1";
  var CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/g;
  var INTEGER = /^[+-]?\d{1,9}$/;
  var CHOICE_TYPES = ["single_choice", "agreement", "scale", "matrix"];
  var main = document.getElementById("main");
  // [[code, name, direction], ...] in the app's order, and the Dutch interface words for the start.
  var languageList = JSON.parse(document.getElementById("languages").textContent);
  var languages = {};
  languageList.forEach(function (row) { languages[row[0]] = [row[1], row[2]]; });
  var dutch = JSON.parse(document.getElementById("interface").textContent);
  var kiosk = JSON.parse(localStorage.getItem(window.SurveyKiosk.KIOSK_KEY) || "null");
  var facesUrl = "/static/faces.svg";

  var catalog = {};  // slug -> {lang: url}
  // survey: the survey being answered (or null), as the form chosen; base: the same survey with
  // every question; form: the form's name, sent with the response; ui: interface words of the language.
  var FULL_FORM = "volledig";
  var state = { lang: null, ui: null, survey: null, base: null, form: FULL_FORM, answers: {}, id: null, number: 0,
    notice: false };

  /* ---- small DOM helpers ---- */
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  /* A questionnaire text: a string in the resident's language, or [dutch, "nl"] when untranslated. */
  function txt(value) {
    if (Array.isArray(value)) return el("span", { lang: value[1], dir: "ltr", text: value[0] });
    return document.createTextNode(value === null || value === undefined ? "" : String(value));
  }
  function plain(value) { return Array.isArray(value) ? value[0] : String(value); }
  function ui(key, params) {
    var text = (state.ui && state.ui[key]) || dutch[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(params[name]));
    });
    return text;
  }
  var screens = 0;
  function show(nodes, title) {
    main.replaceChildren.apply(main, nodes);
    main.setAttribute("data-screen", String(++screens));  // tells a test that a new screen is up
    document.title = (title ? title + " · " : "") + ui("brand");
    window.scrollTo(0, 0);
    var summary = document.getElementById("error-summary");
    (summary || main).focus();
  }
  function setLanguage(lang, ui) {
    state.lang = lang;
    state.ui = ui;
    var language = languages[lang] || ["Nederlands", "ltr"];
    document.documentElement.lang = lang;
    document.documentElement.dir = language[1];
    var button = document.getElementById("shell-language");
    button.textContent = language[0];
    button.hidden = !ui;
    document.querySelectorAll("[data-ui]").forEach(function (node) {
      node.textContent = (ui || dutch)[node.getAttribute("data-ui")];
    });
  }

  /* ---- the cached surveys ---- */
  function readCatalog() {
    return caches.open(SURVEYS).then(function (cache) { return cache.keys(); }).then(function (requests) {
      requests.forEach(function (request) {
        var match = new URL(request.url).pathname.match(/^\/offline\/([^/]+)\/([^/]+)\.json$/);
        if (!match) return;
        var slug = decodeURIComponent(match[1]);
        if (kiosk && kiosk.slugs.indexOf(slug) === -1) return;
        (catalog[slug] = catalog[slug] || {})[decodeURIComponent(match[2])] = request.url;
      });
    });
  }
  function loadSurvey(slug, lang) {
    return caches.open(SURVEYS).then(function (cache) {
      return cache.match(catalog[slug][lang]);
    }).then(function (response) { return response.json(); }).then(function (survey) {
      // Agreement labels come once per survey (see survey_data in web/offline.py).
      survey.pages.forEach(function (page) {
        page.questions.forEach(function (q) {
          if (typeof q.options === "string") q.options = survey.agreement[q.options];
          // The server leaves out what is usual: one variable named after the key, not required.
          if (!q.variables) q.variables = [q.key];
          q.required = Boolean(q.required);
        });
      });
      return survey;
    });
  }
  function languagesCached(slug) {
    var found = {};
    Object.keys(catalog).forEach(function (s) {
      if (slug && s !== slug) return;
      Object.keys(catalog[s]).forEach(function (lang) { found[lang] = true; });
    });
    return languageList.map(function (row) { return row[0]; }).filter(function (lang) { return found[lang]; });
  }

  /* ---- checking answers: a port of survey_app/content/answers.py ---- */
  function answerValues(q) { return (q.options || []).map(function (pair) { return pair[0]; }); }
  function cleanText(raw) { return raw.replace(/\r\n?/g, "\n").normalize("NFC").replace(CONTROL, "").trim(); }
  function problem(code, params) { return { code: code, params: params || {} }; }
  function cleanValue(q, raw) {
    var values = raw.map(cleanText).filter(function (v) { return v !== ""; });
    var allowed = answerValues(q);
    if (q.type === "multiple_choice") {
      var texts = allowed.map(String);
      var chosen = values.filter(function (v, i) { return values.indexOf(v) === i; });
      if (chosen.some(function (v) { return texts.indexOf(v) === -1; })) return [null, problem("unknown_choice")];
      if (!chosen.length) return [null, null];
      var exclusive = q.exclusive || [];
      if (chosen.length > 1 && chosen.some(function (v) { return exclusive.indexOf(v) !== -1; })) return [null, problem("exclusive")];
      if (q.max_choices && chosen.length > q.max_choices) return [null, problem("too_many_choices", { max: q.max_choices })];
      if (q.min_choices && chosen.length < q.min_choices) return [null, problem("too_few_choices", { min: q.min_choices })];
      return [texts.filter(function (v) { return chosen.indexOf(v) !== -1; }), null];
    }
    if (!values.length) return [null, null];
    if (values.length > 1) return [null, problem("one_answer")];
    var text = values[0];
    if (CHOICE_TYPES.indexOf(q.type) !== -1) {
      for (var i = 0; i < allowed.length; i++) if (String(allowed[i]) === text) return [allowed[i], null];
      return [null, problem("unknown_choice")];
    }
    var low = q.minimum === undefined ? null : q.minimum, high = q.maximum === undefined ? null : q.maximum;
    if (q.type === "number" || q.type === "year") {
      if (!INTEGER.test(text)) return [null, problem("not_whole_number")];
      var number = parseInt(text, 10);
      if ((low !== null && number < low) || (high !== null && number > high)) return [null, problem("out_of_range", { min: low, max: high })];
      return [number, null];
    }
    if (q.type === "date") {
      var day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      var date = day && new Date(Date.UTC(+day[1], +day[2] - 1, +day[3]));
      if (!day || date.getUTCMonth() !== +day[2] - 1 || date.getUTCDate() !== +day[3]) return [null, problem("not_date")];
      high = high || todayIso();  // as answers.latest_date: no day after today unless the questionnaire says so
      if ((low && text < low) || text > high) return [null, problem("date_out_of_range", { min: low, max: high })];
      return [text, null];
    }
    var length = Array.from(text).length;
    if (q.max_length && length > q.max_length) return [null, problem("too_long", { max: q.max_length, length: length })];
    return [text, null];
  }
  function checkPage(page, answers, raw) {
    var known = Object.assign({}, answers), values = {}, errors = {};
    page.questions.forEach(function (q) {
      q.variables.forEach(function (name) { delete known[name]; });
      if (!X.isTrue(q.show_if, known)) return;
      q.variables.forEach(function (name) {
        var result = cleanValue(q, raw[name] || []), value = result[0], error = result[1];
        if (!error && value === null && q.required) error = problem("required");
        if (!error && value !== null && q.constraint) {
          var context = Object.assign({}, known);
          context[name] = value;
          if (!X.isTrue(q.constraint, context)) error = problem("constraint", { question: q });
        }
        if (error) errors[name] = error;
        else if (value !== null) { values[name] = value; known[name] = value; }
      });
    });
    return [values, errors];
  }
  function checkResponse(survey, answers) {
    var clean = {}, errors = {}, raw = {};
    Object.keys(answers).forEach(function (name) {
      var value = answers[name];
      if (Array.isArray(value)) raw[name] = value.map(String);
      else if (value !== null && value !== undefined) raw[name] = [String(value)];
    });
    survey.pages.forEach(function (page) {
      if (!X.isTrue(page.show_if, clean)) return;
      var result = checkPage(page, clean, raw);
      Object.assign(clean, result[0]);
      Object.assign(errors, result[1]);
    });
    return [clean, errors];
  }
  function visiblePages(survey, answers) {
    return survey.pages.filter(function (page) { return X.isTrue(page.show_if, answers); });
  }
  function namesIn(node, found) {
    if (Array.isArray(node)) {
      if (node[0] === "name") found.push(node[1]);
      else node.forEach(function (part) { namesIn(part, found); });
    }
    return found;
  }
  /* As answers.expected_page_count: the visible pages and those waiting on an answer still to come. */
  function expectedPageCount(survey, answers, current) {
    var passed = {}, reached = false;
    survey.pages.forEach(function (page) {
      if (page === current) reached = true;
      if (!reached) page.questions.forEach(function (q) { q.variables.forEach(function (n) { passed[n] = true; }); });
    });
    return survey.pages.filter(function (page) {
      if (!page.show_if || X.isTrue(page.show_if, answers)) return true;
      return namesIn(page.show_if, []).some(function (n) { return !passed[n] && (answers[n] === undefined || answers[n] === null); });
    }).length;
  }
  function todayIso() {
    var now = new Date();
    return [now.getFullYear(), String(now.getMonth() + 1).padStart(2, "0"), String(now.getDate()).padStart(2, "0")].join("-");
  }
  function localDate(iso) { return iso.split("-").reverse().join("-"); }
  function errorText(error) {
    if (error.code === "constraint") {
      var q = error.params.question;
      return q.constraint_message ? plain(q.constraint_message) : ui("error_unknown_choice");
    }
    if (error.code === "date_out_of_range") {
      var low = error.params.min, high = error.params.max;
      return low ? ui("error_date_out_of_range", { min: localDate(low), max: localDate(high) })
        : ui("error_date_too_late", { max: localDate(high) });
    }
    return ui("error_" + error.code, error.params);
  }

  /* A shorter form: only the questions it keeps, pages left empty dropped (Definition.form). */
  function formOf(survey, name) {
    var keys = name && survey.forms && survey.forms[name];
    if (!keys) return survey;
    var kept = {};
    keys.forEach(function (key) { kept[key] = true; });
    var pages = survey.pages.map(function (page) {
      return Object.assign({}, page, { questions: page.questions.filter(function (q) { return kept[q.key]; }) });
    }).filter(function (page) { return page.questions.length; });
    return Object.assign({}, survey, { pages: pages, form: name });
  }
  function useSurvey(survey, form) {
    state.base = survey;
    state.form = form && survey.forms && survey.forms[form] ? form : FULL_FORM;
    state.survey = formOf(survey, state.form);
  }

  /* ---- screens ---- */
  function languageScreen(slug) {
    var list = el("ul");
    languagesCached(slug).forEach(function (lang) {
      var button = el("button", { type: "button", value: lang, lang: lang, dir: languages[lang][1], text: languages[lang][0] });
      if (lang === state.lang) button.setAttribute("aria-current", "true");
      button.addEventListener("click", function () { chooseLanguage(lang, slug); });
      list.appendChild(el("li", {}, [button]));
    });
    show([el("h1", { text: ui("choose_language") }),
      el("div", { class: "language-picker" }, [list])], ui("choose_language"));
  }
  /* Switching language keeps the answers: the same page comes back in the new language. */
  function chooseLanguage(lang, slug) {
    var target = (state.survey && state.survey.slug) || slug;
    if (target && catalog[target] && catalog[target][lang]) {
      return loadSurvey(target, lang).then(function (survey) {
        useSurvey(survey, state.id ? state.form : FULL_FORM);
        setLanguage(lang, survey.ui);
        return state.id ? pageScreen(state.number) : introScreen();
      });
    }
    state.survey = null;
    state.lang = lang;
    return listScreen();
  }
  function listScreen() {
    var lang = state.lang, cards = el("ul", { class: "cards" });
    var slugs = Object.keys(catalog).filter(function (slug) { return catalog[slug][lang]; });
    if (kiosk) slugs.sort(function (a, b) { return kiosk.slugs.indexOf(a) - kiosk.slugs.indexOf(b); });
    if (!slugs.length) return languageScreen();
    return Promise.all(slugs.map(function (slug) { return loadSurvey(slug, lang); })).then(function (surveys) {
      setLanguage(lang, surveys[0].ui);
      surveys.forEach(function (survey) {
        var card = el("button", { type: "button", class: "card", "data-slug": survey.slug }, [
          el("strong", {}, [txt(survey.title)]), el("span", {}, [txt(survey.central_question)])]);
        card.addEventListener("click", function () { useSurvey(survey, FULL_FORM); introScreen(); });
        cards.appendChild(el("li", {}, [card]));
      });
      show([el("h1", { text: ui("choose_survey") }), el("p", { class: "lead", text: ui("choose_survey_lead") }), cards],
        ui("choose_survey"));
    });
  }
  function introScreen() {
    var survey = state.base || state.survey;
    function beginButton(form, text, primary) {
      var button = el("button", { type: "button", class: primary ? "primary" : null, "data-form": form, text: text });
      button.addEventListener("click", function () {
        useSurvey(survey, form);
        state.id = crypto.randomUUID();
        state.answers = {};
        pageScreen(1);
      });
      return button;
    }
    // As the intro page online: the first shorter form first (tablets in the street), then every question.
    var shorter = Object.keys(survey.forms || {})[0];
    var begin = shorter
      ? el("div", { class: "begin" }, [
        beginButton(shorter, ui("begin_short", { minutes: survey.minutes[shorter] }), true),
        beginButton(FULL_FORM, ui("begin_full", { minutes: survey.minutes[FULL_FORM] }), false)])
      : beginButton(FULL_FORM, ui("begin"), true);
    show([
      el("h1", {}, [txt(survey.title)]),
      el("p", { class: "notice", role: "status", text: ui("offline_notice") }),
      el("p", { class: "lead" }, [txt(survey.intro)]),
      el("section", { class: "consent", "aria-labelledby": "consent-title" }, [
        el("h2", { id: "consent-title", text: ui("consent_title") }), el("p", {}, [txt(survey.consent)])]),
      begin
    ], plain(survey.title));
  }

  function describedBy(q, name, errors) {
    var ids = [];
    if (q.help) ids.push("help-" + q.key);
    if (errors[name]) ids.push("error-" + name);
    return ids.length ? ids.join(" ") : null;
  }
  function legend(q) {
    var node = el("legend", {}, [txt(q.text)]);
    if (q.required) node.appendChild(el("span", { class: "required", text: " (" + ui("required") + ")" }));
    return node;
  }
  function helpAndError(q, name, errors) {
    return [
      q.help ? el("p", { class: "help", id: "help-" + q.key }, [txt(q.help)]) : null,
      errors[name] ? el("p", { class: "error", id: "error-" + name, text: errorText(errors[name]) }) : null
    ];
  }
  function selected(value) {
    if (value === null || value === undefined) return [];
    return (Array.isArray(value) ? value : [value]).map(String);
  }
  // 'Weet ik niet' (8) and 'niet van toepassing' (9) are no point on an agreement scale: they
  // stand apart from it, as on the server's pages (templating.SET_APART).
  var OFF_SCALE = [8, 9];
  function choices(q, name, values, errors, type, layout) {
    var chosen = selected(values[name]);
    var options = q.options || [];
    var apart = function (pair) { return !!q.faces && layout === "scale" && OFF_SCALE.indexOf(pair[0]) !== -1; };
    var asideCount = options.filter(apart).length;
    var box = el("div", { class: "choices " + layout + (asideCount ? " points-" + (options.length - asideCount) + " with-aside" : "") });
    var aside = asideCount ? el("div", { class: "aside" }) : null;
    options.forEach(function (pair, index) {
      var id = "q-" + name + "-" + (index + 1);
      var input = el("input", { type: type, id: id, name: name, value: String(pair[0]),
        checked: chosen.indexOf(String(pair[0])) !== -1 });
      if (index === 0) {
        var described = describedBy(q, name, errors);
        if (described) input.setAttribute("aria-describedby", described);
        if (errors[name]) input.setAttribute("aria-invalid", "true");
      }
      var face = null;
      if (q.faces && [1, 2, 3, 4, 5].indexOf(pair[0]) !== -1) {
        face = document.createElementNS("http://www.w3.org/2000/svg", "svg");
        face.setAttribute("class", "face");
        face.setAttribute("aria-hidden", "true");
        face.setAttribute("focusable", "false");
        var use = document.createElementNS("http://www.w3.org/2000/svg", "use");
        use.setAttribute("href", facesUrl + "#face-" + pair[0]);
        face.appendChild(use);
      }
      (apart(pair) ? aside : box).appendChild(el("label", { class: "choice", for: id }, [input, face,
        el("span", {}, [el("bdi", {}, [txt(pair[1])])])]));
    });
    if (aside) box.appendChild(aside);
    return box;
  }
  function questionNode(q, values, errors) {
    if (q.type === "matrix") {
      var set = el("fieldset", { class: "question matrix", id: "q-" + q.key }, [legend(q),
        q.help ? el("p", { class: "help", id: "help-" + q.key }, [txt(q.help)]) : null]);
      q.items.forEach(function (item) {
        var name = q.key + "_" + item[0];
        set.appendChild(el("fieldset", { class: "item", id: "q-" + name }, [
          el("legend", {}, [txt(item[1])]),
          errors[name] ? el("p", { class: "error", id: "error-" + name, text: errorText(errors[name]) }) : null,
          choices(q, name, values, errors, "radio", "scale")]));
      });
      return set;
    }
    if (["single_choice", "multiple_choice", "agreement", "scale"].indexOf(q.type) !== -1) {
      var ends = null;
      if (q.type === "scale") {
        ends = el("p", { class: "scale-ends" }, [
          el("span", {}, [el("bdi", { text: "0" }), " = ", q.low_label ? txt(q.low_label) : ui("scale_low")]), " ",
          el("span", {}, [el("bdi", { text: "10" }), " = ", q.high_label ? txt(q.high_label) : ui("scale_high")])]);
      }
      return el("fieldset", { class: "question " + q.type, id: "q-" + q.key }, [legend(q)]
        .concat(helpAndError(q, q.key, errors), [ends,
          choices(q, q.key, values, errors, q.type === "multiple_choice" ? "checkbox" : "radio",
            q.type === "agreement" || q.type === "scale" ? "scale" : "list")]));
    }
    var label = el("label", { for: "input-" + q.key, class: "question-text" }, [txt(q.text)]);
    if (q.required) label.appendChild(el("span", { class: "required", text: " (" + ui("required") + ")" }));
    var value = values[q.key] === undefined || values[q.key] === null ? "" : String(values[q.key]);
    var attributes = { id: "input-" + q.key, name: q.key, "aria-describedby": describedBy(q, q.key, errors),
      "aria-invalid": errors[q.key] ? "true" : null };
    var input;
    if (q.type === "long_text") {
      input = el("textarea", Object.assign(attributes, { rows: 5, maxlength: q.max_length, dir: "auto" }));
      input.value = value;
    } else if (q.type === "date") {
      input = el("input", Object.assign(attributes, { type: "date", value: value, min: q.minimum, max: q.maximum || todayIso() }));
    } else if (q.type === "number" || q.type === "year") {
      input = el("input", Object.assign(attributes, { type: "text", inputmode: "numeric", value: value, size: 6, maxlength: 10, dir: "ltr" }));
    } else {
      input = el("input", Object.assign(attributes, { type: "text", value: value, maxlength: q.max_length, dir: "auto" }));
    }
    return el("div", { class: "question " + q.type, id: "q-" + q.key }, [label].concat(helpAndError(q, q.key, errors), [input]));
  }

  function readForm(form, page) {
    var raw = {};
    page.questions.forEach(function (q) { q.variables.forEach(function (name) { raw[name] = []; }); });
    new FormData(form).forEach(function (value, name) { if (raw[name]) raw[name].push(String(value)); });
    return raw;
  }

  function pageScreen(number, errors, shownValues) {
    var survey = state.survey;
    var pages = visiblePages(survey, state.answers);
    number = Math.max(1, Math.min(number, pages.length));
    state.number = number;
    var page = pages[number - 1];
    var total = expectedPageCount(survey, state.answers, page);
    errors = errors || {};
    var values = shownValues || state.answers;
    var known = Object.assign({}, state.answers);
    var form = el("form", { id: "answers", autocomplete: "off", novalidate: true });
    page.questions.forEach(function (q) {
      q.variables.forEach(function (name) { delete known[name]; });
      if (X.isTrue(q.show_if, known)) form.appendChild(questionNode(q, values, errors));
    });
    var back = el("button", { type: "submit", name: "action", value: "back", class: "secondary", formnovalidate: true, text: ui("back") });
    var last = number === pages.length;
    var next = el("button", { type: "submit", name: "action", value: "next", class: "primary", text: ui(last ? "send" : "next") });
    form.appendChild(el("div", { class: "nav" }, [back, next]));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitPage(page, number, readForm(form, page), event.submitter === back ? "back" : "next");
    });
    var stop = el("button", { type: "button", class: "link", text: ui("stop") });
    stop.addEventListener("click", resetAll);
    var nodes = [
      state.notice ? el("p", { class: "notice", role: "status", text: ui("offline_notice") }) : null,
      el("p", { class: "survey-title" }, [txt(survey.title)]),
      el("div", { class: "progress" }, [
        el("progress", { max: total, value: number, "aria-labelledby": "progress-text" }),
        el("span", { id: "progress-text", text: ui("progress", { number: number, total: total }) })]),
      el("h1", {}, [txt(page.title)])
    ];
    // Each message names its question, in the order of the page.
    var labels = {}, order = [];
    page.questions.forEach(function (q) {
      if (q.type === "matrix") q.items.forEach(function (item) { labels[q.key + "_" + item[0]] = plain(item[1]); });
      q.variables.forEach(function (name) { order.push(name); if (!labels[name]) labels[name] = plain(q.text); });
    });
    var names = order.filter(function (name) { return errors[name]; });
    if (names.length) {
      nodes.push(el("div", { class: "error-summary", role: "alert", tabindex: "-1", id: "error-summary" }, [
        el("h2", { text: ui("check_answers") }),
        el("ul", {}, names.map(function (name) {
          return el("li", {}, [el("a", { href: "#q-" + name }, [
            el("strong", { class: "error-question", text: labels[name] }), el("span", { text: errorText(errors[name]) })])]);
        }))]));
    }
    nodes.push(form, el("div", { class: "stop" }, [stop]));
    state.notice = false;
    show(nodes.filter(Boolean), plain(page.title));
  }

  function submitPage(page, number, raw, action) {
    var result = checkPage(page, state.answers, raw), values = result[0], errors = result[1];
    var own = {};
    page.questions.forEach(function (q) { q.variables.forEach(function (name) { own[name] = true; }); });
    var answers = {};
    Object.keys(state.answers).forEach(function (name) { if (!own[name]) answers[name] = state.answers[name]; });
    state.answers = Object.assign(answers, values);
    if (action === "back") return number === 1 ? introScreen() : pageScreen(number - 1);
    if (Object.keys(errors).length) {
      var shown = Object.assign({}, state.answers, raw);
      return pageScreen(number, errors, shown);
    }
    var pages = visiblePages(state.survey, state.answers);
    if (number < pages.length) return pageScreen(number + 1);
    return finish();
  }

  function finish() {
    var survey = state.survey;
    var result = checkResponse(survey, state.answers), clean = result[0], errors = result[1];
    var names = Object.keys(errors);
    if (names.length) {
      var pages = visiblePages(survey, clean);
      for (var i = 0; i < pages.length; i++) {
        if (pages[i].questions.some(function (q) { return q.variables.some(function (n) { return errors[n]; }); })) {
          return pageScreen(i + 1, errors);
        }
      }
    }
    var item = { id: state.id, questionnaire: survey.slug, version: survey.version, language: state.lang,
      form: state.form, answers: clean, kiosk: kiosk ? kiosk.ticket : null };
    return window.SurveyQueue.add(item).then(function () {
      state.answers = {};
      state.id = null;
      window.SurveyQueue.flush();
      thanksScreen();
    });
  }

  function thanksScreen() {
    history.replaceState(null, "", "/");
    var again = el("button", { type: "button", class: "primary", text: ui("to_start") });
    again.addEventListener("click", resetAll);
    show([el("h1", { text: ui("thanks_title") }), el("p", { class: "lead", text: ui("thanks_offline") }), again],
      ui("thanks_title"));
    if (kiosk) setTimeout(resetAll, 15000);
  }

  /* Forget the resident: answers, id and, on a kiosk, the language too. */
  function resetAll() {
    state.answers = {};
    state.id = null;
    state.number = 0;
    state.survey = null;
    state.base = null;
    state.form = FULL_FORM;
    history.replaceState(null, "", "/");
    if (kiosk) {
      setLanguage("nl", null);
      return languageScreen();
    }
    return listScreen();
  }

  /* ---- start: resume a hand-over, open the survey of this address, or show the start ---- */
  function start() {
    var handover = JSON.parse(sessionStorage.getItem(window.SurveyKiosk.HANDOVER_KEY) || "null");
    var chosen = sessionStorage.getItem(window.SurveyKiosk.LANGUAGE_KEY);
    sessionStorage.removeItem(window.SurveyKiosk.HANDOVER_KEY);
    sessionStorage.removeItem(window.SurveyKiosk.LANGUAGE_KEY);
    var path = location.pathname.match(/^\/s\/([^/]+)\//);
    var slug = path ? decodeURIComponent(path[1]) : null;
    if (kiosk) {
      window.SurveyKiosk.startIdle(kiosk, function () { resetAll(); });
    }
    window.SurveyQueue.updateBadge();
    return readCatalog().then(function () {
      if (handover && catalog[handover.slug]) {
        var lang = handover.action.indexOf("language:") === 0 ? handover.action.slice(9) : handover.lang;
        if (!catalog[handover.slug][lang]) lang = handover.lang;
        if (catalog[handover.slug][lang]) {
          return loadSurvey(handover.slug, lang).then(function (survey) {
            if (survey.version !== handover.version) return null;
            useSurvey(survey, handover.form);
            setLanguage(lang, survey.ui);
            state.notice = true;
            state.id = handover.id;
            state.answers = handover.answers || {};
            var pages = visiblePages(survey, state.answers);
            var page = pages[handover.number - 1];
            var values = Object.assign({}, state.answers);
            if (page) {
              // Show the page that was being sent, as the resident filled it in.
              var checked = checkPage(page, state.answers, handover.raw)[0];
              page.questions.forEach(function (q) { q.variables.forEach(function (n) { delete values[n]; }); });
              Object.assign(values, checked);
              Object.keys(handover.raw).forEach(function (name) { if (!(name in checked)) values[name] = handover.raw[name]; });
            }
            pageScreen(handover.number, {}, values);
            return true;
          });
        }
      }
      return null;
    }).then(function (resumed) {
      if (resumed) return;
      if (slug && catalog[slug]) {
        var langs = languagesCached(slug);
        if (langs.length === 1) {
          return loadSurvey(slug, langs[0]).then(function (survey) {
            useSurvey(survey, FULL_FORM);
            setLanguage(langs[0], survey.ui);
            introScreen();
          });
        }
        return languageScreen(slug);
      }
      if (chosen && languagesCached().indexOf(chosen) !== -1) return chooseLanguage(chosen);
      if (!Object.keys(catalog).length) {
        main.replaceChildren(el("h1", { text: "Geen internet" }),
          el("p", { class: "lead", text: "Er is nu geen internet. Probeer het later opnieuw." }));
        return null;
      }
      return languageScreen();
    });
  }

  document.getElementById("shell-language").addEventListener("click", function () {
    languageScreen(state.survey && state.id ? state.survey.slug : null);
  });
  start();
})();
