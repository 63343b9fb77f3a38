#include "analyzer/semantics/ModuleGraph.h"

namespace mpauth {

ValuePtr ModuleGraph::resolve(const ValuePtr &value) const {
  ValuePtr current = value;
  for (int hops = 0; hops < 16; ++hops) {
    if (!current || !current->is(Value::Kind::Module) || current->file < 0)
      return current ? current : Value::unknown();
    size_t file = static_cast<size_t>(current->file);
    if (file >= Exports.size() || !Exports[file])
      return Value::unknown();
    ValuePtr target = Exports[file];
    for (const std::string &member : current->path) {
      // ES `import x from './cjs'` reads the CommonJS module.exports as the default export.
      if (member == "default" && target->is(Value::Kind::Object) && !target->field("default"))
        continue;
      target = memberOf(target, member, current->origin);
    }
    current = target;
  }
  return Value::unknown();
}

} // namespace mpauth
