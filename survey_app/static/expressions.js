/* Evaluates show_if and constraint trees in the browser, exactly as
   survey_app/content/expressions.py does on the server. The server parses; this only walks
   the tree it sends (see survey_app/content/client.py). tests/content/test_client.py runs
   both on the same cases. */
(function (root) {
  "use strict";

  function isNumber(v) { return typeof v === "number"; }
  function isList(v) { return Array.isArray(v); }
  function isNone(v) { return v === null || v === undefined; }
  function truthy(v) {
    if (isNone(v)) return false;
    if (isList(v)) return v.length > 0;
    return Boolean(v);
  }
  function kind(v) {
    if (isNumber(v)) return "number";
    if (isList(v)) return "list";
    if (typeof v === "string") return "text";
    return typeof v;
  }
  function equal(a, b) {
    if (kind(a) !== kind(b)) return false;
    if (isList(a)) {
      if (a.length !== b.length) return false;
      for (var i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
      return true;
    }
    return a === b;
  }
  function compare(op, a, b) {
    if (isNone(a) || isNone(b)) return false;
    if (op === "==") return equal(a, b);
    if (op === "!=") return !equal(a, b);
    var bothText = typeof a === "string" && typeof b === "string";
    if (!(bothText || (isNumber(a) && isNumber(b)))) return false;
    if (op === "<") return a < b;
    if (op === "<=") return a <= b;
    if (op === ">") return a > b;
    return a >= b;
  }
  function member(item, collection) {
    var elements = isList(collection) ? collection : [collection];
    for (var i = 0; i < elements.length; i++) if (equal(item, elements[i])) return true;
    return false;
  }
  function arithmetic(op, a, b) {
    if (!(isNumber(a) && isNumber(b))) return null;
    var result;
    if (op === "/") result = b === 0 ? null : a / b;
    else if (op === "*") result = a * b;
    else result = op === "+" ? a + b : a - b;
    return result === null || isFinite(result) ? result : null;
  }
  function call(name, args, today) {
    if (name === "year") return today.getFullYear();
    var v = args[0];
    if (name === "answered") return !isNone(v) && v !== "" && !(isList(v) && v.length === 0);
    return isList(v) ? v.length : isNone(v) ? 0 : 1;
  }

  function evaluate(node, values, today) {
    today = today || new Date();
    var k = node[0], i;
    switch (k) {
      case "const": return node[1];
      case "name": return Object.prototype.hasOwnProperty.call(values, node[1]) ? values[node[1]] : null;
      case "or_expr":
        for (i = 1; i < node.length; i++) if (truthy(evaluate(node[i], values, today))) return true;
        return false;
      case "and_expr":
        for (i = 1; i < node.length; i++) if (!truthy(evaluate(node[i], values, today))) return false;
        return true;
      case "not_": return !truthy(evaluate(node[1], values, today));
      case "list": return node.slice(1).map(function (n) { return evaluate(n, values, today); });
      case "call": return call(node[1], node[2].map(function (n) { return evaluate(n, values, today); }), today);
      case "is_null": return isNone(evaluate(node[1], values, today));
      case "not_null": return !isNone(evaluate(node[1], values, today));
      case "compare": return compare(node[1], evaluate(node[2], values, today), evaluate(node[3], values, today));
      case "in_":
      case "not_in": {
        var item = evaluate(node[1], values, today), coll = evaluate(node[2], values, today);
        if (isNone(item) || isNone(coll)) return false;
        return member(item, coll) === (k === "in_");
      }
      case "neg": {
        var v = evaluate(node[1], values, today);
        return isNumber(v) ? -v : null;
      }
      case "arith": {
        var result = evaluate(node[1], values, today);
        for (i = 0; i < node[2].length; i++) {
          result = arithmetic(node[2][i][0], result, evaluate(node[2][i][1], values, today));
        }
        return result;
      }
    }
    throw new Error("unknown expression node " + k);
  }

  /* Only a real true shows a page or question, as Expression.is_true. */
  function isTrue(node, values, today) {
    return node === null || node === undefined ? true : evaluate(node, values, today) === true;
  }

  var api = { evaluate: evaluate, isTrue: isTrue };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.SurveyExpressions = api;
})(this);
