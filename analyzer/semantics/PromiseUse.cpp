#include "analyzer/semantics/PromiseUse.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace mpauth {

namespace {

// Variables holding promises are followed this many times (`const p = f(); const q = p;`).
constexpr unsigned kMaxVariableDepth = 4;

bool isTransparentWrapper(Node n) {
  std::string_view t = n.type();
  return t == "parenthesized_expression" || t == "non_null_expression" || t == "as_expression" ||
         t == "satisfies_expression" || t == "type_assertion";
}

std::vector<Node> argumentsOf(Node call) {
  std::vector<Node> out;
  for (Node a : call.field("arguments").namedChildren())
    if (!a.is("comment"))
      out.push_back(a);
  return out;
}

// `Promise.<name>` with `Promise` the global.
bool isPromiseStatic(const ModuleSemantics &sem, Node callee, std::string_view name) {
  callee = unwrapExpression(callee);
  if (!callee.is("member_expression"))
    return false;
  Node object = unwrapExpression(callee.field("object"));
  return object.is("identifier") && object.text(sem.source()) == "Promise" &&
         !sem.resolve(object) && callee.field("property").text(sem.source()) == name;
}

bool isNullish(Node n, std::string_view src) {
  n = unwrapExpression(n);
  return n.is("null") || n.is("undefined") || (n.is("identifier") && n.text(src) == "undefined");
}

// The `new Promise(executor)` whose executor declares `param` at `index` (0 resolve, 1 reject).
Node promiseOfExecutorParam(const ModuleSemantics &sem, const Binding *b, unsigned index) {
  if (!b || b->kind != BindingKind::Param || b->paramIndex != index || !b->path.empty())
    return Node();
  Node args = b->function.parent();
  while (isTransparentWrapper(args))
    args = args.parent();
  if (!args.is("arguments"))
    return Node();
  Node newExpression = args.parent();
  if (!newExpression.is("new_expression"))
    return Node();
  Node constructor = unwrapExpression(newExpression.field("constructor"));
  if (!constructor.is("identifier") || constructor.text(sem.source()) != "Promise" ||
      sem.resolve(constructor))
    return Node();
  return newExpression;
}

// Does the function throw (or return a rejected promise) outside nested functions? A catch
// handler that does passes the rejection on.
bool rethrows(const ModuleSemantics &sem, Node function) {
  Node body = function.field("body");
  if (!body)
    return false;
  if (!body.is("statement_block")) // `e => Promise.reject(e)`
    return body.is("call_expression") && isPromiseStatic(sem, body.field("function"), "reject");
  bool found = false;
  walk(body, [&](Node n) {
    if (found || isFunctionNode(n) || n.is("class_body"))
      return false;
    if (n.is("throw_statement")) {
      found = true;
      return false;
    }
    if (n.is("return_statement")) {
      Node value = unwrapExpression(n.namedChild(0));
      if (value.is("call_expression") && isPromiseStatic(sem, value.field("function"), "reject"))
        found = true;
    }
    return true;
  });
  return found;
}

// Same for a catch clause's block.
bool blockRethrows(Node block) {
  bool found = false;
  walk(block, [&](Node n) {
    if (found || isFunctionNode(n) || n.is("class_body"))
      return false;
    if (n.is("try_statement")) {
      // A throw inside a nested try's body may be caught there; count only its catch/finally.
      for (Node part : {n.field("handler"), n.field("finalizer")})
        if (part)
          walk(part, [&](Node m) {
            if (found || isFunctionNode(m))
              return false;
            found = m.is("throw_statement");
            return !found;
          });
      return false;
    }
    found = n.is("throw_statement");
    return !found;
  });
  return found;
}

class PromiseTracer {
public:
  explicit PromiseTracer(const ModuleSemantics &sem) : Sem(sem), Src(sem.source()) {}

  PromiseUse follow(Node expression, unsigned depth) {
    PromiseUse use;
    Node cur = expression;
    for (int guard = 0; guard < 512; ++guard) {
      Node p = cur.parent();
      if (p.isNull())
        return passedOn(use);
      if (isTransparentWrapper(p)) {
        cur = p;
        continue;
      }
      std::string_view t = p.type();

      if (t == "member_expression" && p.field("object") == cur) {
        Node call = p.parent();
        if (!call.is("call_expression") || !(call.field("function") == p))
          return passedOn(use); // reads a property of the promise
        std::string_view method = p.field("property").text(Src);
        std::vector<Node> args = argumentsOf(call);
        if (method == "then") {
          if (args.size() >= 2 && !isNullish(args[1], Src)) {
            if (auto decided = handlerFate(use, args[1], call, "rejection handler of .then()"))
              return *decided;
          } else {
            use.chained = true;
          }
          cur = call;
          continue;
        }
        if (method == "catch") {
          if (!args.empty() && !isNullish(args[0], Src))
            if (auto decided = handlerFate(use, args[0], call, ".catch() callback"))
              return *decided;
          cur = call;
          continue;
        }
        if (method == "finally") {
          cur = call;
          continue;
        }
        return passedOn(use);
      }

      if (t == "await_expression") {
        Node outer;
        use = awaited(use, p, outer);
        if (!outer)
          return use;
        use.chained = use.chained || isThenCall(outer);
        cur = outer; // an async .then/.map callback: its rejection goes on in the outer chain
        continue;
      }
      if (t == "return_statement") {
        use.fate = PromiseFate::Returned;
        use.decidedAt = p;
        use.function = Sem.enclosingFunction(p);
        if (Node outer = outerChainOf(use.function)) {
          use.chained = use.chained || isThenCall(outer);
          cur = outer;
          continue;
        }
        return use;
      }
      if (isFunctionNode(p) && p.field("body") == cur) { // an arrow's expression body
        use.fate = PromiseFate::Returned;
        use.decidedAt = cur;
        use.function = p;
        if (Node outer = outerChainOf(p)) {
          use.chained = use.chained || isThenCall(outer);
          cur = outer;
          continue;
        }
        return use;
      }
      if (t == "expression_statement") {
        use.fate = PromiseFate::Dropped;
        use.decidedAt = p;
        return use;
      }
      if (t == "ternary_expression") {
        if (p.field("condition") == cur)
          return passedOn(use);
        cur = p;
        continue;
      }
      if (t == "binary_expression") {
        std::string_view op = p.field("operator").text(Src);
        bool left = p.field("left") == cur;
        // `p || x` and `p ?? x` are `p`; `x && p`, `x || p` may be `p`.
        if ((op == "||" || op == "??") || (op == "&&" && !left)) {
          cur = p;
          continue;
        }
        return passedOn(use);
      }
      if (t == "sequence_expression") {
        Node last = p.namedChild(p.namedChildCount() - 1);
        if (last == cur) {
          cur = p;
          continue;
        }
        use.fate = PromiseFate::Dropped; // `a(), b()`: a is dropped right here
        use.decidedAt = cur;
        return use;
      }
      // An array of promises (`[a(), b()]`, `[...list.map(f)]`) is followed like a promise.
      if (t == "array" || t == "spread_element") {
        cur = p;
        continue;
      }
      if (t == "arguments") {
        Node call = p.parent();
        if (!call.is("call_expression"))
          return passedOn(use);
        Node callee = unwrapExpression(call.field("function"));
        if (isPromiseStatic(Sem, callee, "all") || isPromiseStatic(Sem, callee, "race") ||
            isPromiseStatic(Sem, callee, "any") || isPromiseStatic(Sem, callee, "resolve")) {
          cur = call;
          continue;
        }
        if (isPromiseStatic(Sem, callee, "allSettled")) {
          use.fate = PromiseFate::Handled;
          use.decidedAt = call;
          use.handler = "Promise.allSettled";
          return use;
        }
        // resolve(p) inside `new Promise(...)`: the outer promise adopts p's rejection.
        if (callee.is("identifier"))
          if (Node outer = promiseOfExecutorParam(Sem, Sem.resolve(callee), 0)) {
            cur = outer;
            continue;
          }
        // list.push(p): follow the array.
        if (callee.is("member_expression")) {
          std::string_view method = callee.field("property").text(Src);
          Node object = unwrapExpression(callee.field("object"));
          if ((method == "push" || method == "unshift") && object.is("identifier"))
            if (const Binding *b = Sem.resolve(object))
              return followVariable(*b, depth);
        }
        return passedOn(use);
      }
      if (t == "variable_declarator" && p.field("value") == cur) {
        Node name = p.field("name");
        if (name.is("identifier"))
          if (const Binding *b = Sem.resolve(name))
            return followVariable(*b, depth);
        return passedOn(use);
      }
      if (t == "assignment_expression" && p.field("right") == cur) {
        Node left = unwrapExpression(p.field("left"));
        if (left.is("identifier"))
          if (const Binding *b = Sem.resolve(left))
            return followVariable(*b, depth);
        return passedOn(use); // this.task = p, cache[key] = p
      }
      return passedOn(use); // `void p`, an object property, a JSX attribute, …
    }
    return passedOn(use);
  }

private:
  static PromiseUse passedOn(PromiseUse use) {
    use.fate = PromiseFate::PassedOn;
    return use;
  }

  // A rejection handler decides the fate, unless it rethrows (then the chain goes on).
  std::optional<PromiseUse> handlerFate(PromiseUse use, Node handler, Node call, const char *kind) {
    Node fn = functionDenotedBy(Sem, handler);
    if (fn && rethrows(Sem, fn))
      return std::nullopt;
    use.fate = fn && isEmptyFunction(fn) ? PromiseFate::Swallowed : PromiseFate::Handled;
    use.decidedAt = fn && use.fate == PromiseFate::Swallowed ? handler : call;
    use.handler = kind;
    return use;
  }

  // The promise flows out of `function` into an outer chain when the function is a
  // `.then`/`.catch`/`.finally` callback (its rejection rejects the chain) or a `.map`
  // callback (its promise lands in the array). Returns the call to continue from.
  Node outerChainOf(Node function) const {
    if (!function)
      return Node();
    Node args = function.parent();
    while (isTransparentWrapper(args))
      args = args.parent();
    if (!args.is("arguments"))
      return Node();
    Node call = args.parent();
    if (!call.is("call_expression"))
      return Node();
    Node callee = unwrapExpression(call.field("function"));
    if (!callee.is("member_expression"))
      return Node();
    std::string_view method = callee.field("property").text(Src);
    if (method == "then" || method == "catch" || method == "finally" || method == "map" ||
        method == "flatMap")
      return call;
    return Node();
  }

  bool isThenCall(Node call) const {
    Node callee = unwrapExpression(call.field("function"));
    return callee.is("member_expression") && callee.field("property").text(Src) == "then";
  }

  // An await decides at the nearest try/catch around it in its function. Without one the
  // function takes over the duty, unless it is an async `.then`/`.map` callback: then
  // `continueFrom` receives the call where the rejection goes on.
  PromiseUse awaited(PromiseUse use, Node await, Node &continueFrom) {
    Node n = await;
    for (Node p = n.parent(); p; n = p, p = p.parent()) {
      if (isFunctionNode(p)) {
        use.fate = PromiseFate::Awaited;
        use.decidedAt = await;
        use.function = p;
        continueFrom = outerChainOf(p);
        return use;
      }
      if (!p.is("try_statement") || !(p.field("body") == n))
        continue;
      Node handler = p.field("handler");
      if (!handler)
        continue; // try/finally: the rejection goes on
      Node block = handler.field("body");
      if (block && block.namedChildCount() == 0) {
        use.fate = PromiseFate::Swallowed;
        use.decidedAt = handler;
        use.handler = "catch block";
        return use;
      }
      if (block && blockRethrows(block))
        continue;
      use.fate = PromiseFate::Handled;
      use.decidedAt = handler;
      use.handler = "catch block";
      return use;
    }
    use.fate = PromiseFate::Awaited; // top-level await
    use.decidedAt = await;
    use.function = Node();
    return use;
  }

  // A promise stored in a local variable: what its readers do with it decides. One reader
  // that handles or passes it on is enough (precision first).
  PromiseUse followVariable(const Binding &b, unsigned depth) {
    PromiseUse none;
    none.fate = PromiseFate::Unused;
    if (depth >= kMaxVariableDepth || b.kind == BindingKind::Param ||
        b.kind == BindingKind::Function || b.kind == BindingKind::Class ||
        b.kind == BindingKind::Import)
      return passedOn(none);
    Node region = Sem.enclosingFunction(b.id);
    if (!region)
      region = Sem.root();
    auto rank = [](PromiseFate f) {
      switch (f) {
      case PromiseFate::Handled:
      case PromiseFate::PassedOn:
      case PromiseFate::Unused:
        return 0;
      case PromiseFate::Returned:
        return 1;
      case PromiseFate::Awaited:
        return 2;
      case PromiseFate::Swallowed:
        return 3;
      case PromiseFate::Dropped:
        return 4;
      }
      return 0;
    };
    std::optional<PromiseUse> best;
    bool done = false;
    walk(region, [&](Node n) {
      if (done)
        return false;
      bool shorthand = n.is("shorthand_property_identifier");
      if (!n.is("identifier") && !shorthand)
        return true;
      if (n == b.id || n.text(Src) != b.name || Sem.resolve(n) != &b)
        return false;
      PromiseUse use;
      Node parent = n.parent();
      if (shorthand) {
        use = passedOn(use);
      } else if (parent.is("member_expression") && parent.field("object") == n) {
        std::string_view property = parent.field("property").text(Src);
        if (property == "push" || property == "unshift" || property == "length")
          return false; // filling or measuring an array of promises
        use = follow(n, depth + 1);
      } else if ((parent.is("assignment_expression") || parent.is("variable_declarator")) &&
                 (parent.field("left") == n || parent.field("name") == n)) {
        return false; // a write, not a read
      } else {
        use = follow(n, depth + 1);
      }
      if (use.fate == PromiseFate::Unused)
        use = passedOn(use);
      if (!best || rank(use.fate) < rank(best->fate))
        best = use;
      if (rank(best->fate) == 0)
        done = true;
      return false;
    });
    return best ? *best : none;
  }

  const ModuleSemantics &Sem;
  std::string_view Src;
};

} // namespace

PromiseUse promiseUseOf(const ModuleSemantics &semantics, Node expression) {
  return PromiseTracer(semantics).follow(expression, 0);
}

Node functionDenotedBy(const ModuleSemantics &semantics, Node expression) {
  expression = unwrapExpression(expression);
  if (expression.isNull())
    return Node();
  if (isFunctionNode(expression))
    return expression;
  if (!expression.is("identifier"))
    return Node();
  const Binding *b = semantics.resolve(expression);
  if (!b || !b->path.empty())
    return Node();
  if (b->kind == BindingKind::Function)
    return b->init;
  Node init = unwrapExpression(b->init);
  if ((b->kind == BindingKind::Const || b->writes == 0) && init && isFunctionNode(init))
    return init;
  return Node();
}

bool isEmptyFunction(Node function) {
  Node body = function.field("body");
  return body.is("statement_block") && body.namedChildCount() == 0;
}

Node rejectedPromiseOf(const ModuleSemantics &semantics, Node callback) {
  callback = unwrapExpression(callback);
  if (callback.is("identifier"))
    return promiseOfExecutorParam(semantics, semantics.resolve(callback), 1);
  if (!isFunctionNode(callback))
    return Node();
  Node found;
  walk(callback, [&](Node n) {
    if (found)
      return false;
    if (n.is("call_expression")) {
      Node callee = unwrapExpression(n.field("function"));
      if (callee.is("identifier"))
        found = promiseOfExecutorParam(semantics, semantics.resolve(callee), 1);
    }
    return !found;
  });
  return found;
}

} // namespace mpauth
