// Event handlers named by a page's or component's template: WXML `bindtap="onTap"`,
// `catchtap`, `bind:tap`, `catch:tap`, `mut-bind:tap`, `capture-bind:tap`, and Vue/uni-app
// `@click="save"` / `v-on:click="save"`. A handler bound here is an event entry point.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace mpauth {

struct TemplateBinding {
  std::string event;   // "tap"
  std::string handler; // "onTap"
  unsigned line = 0;   // 1-based, in the template file
};

// Static bindings only: a value with `{{ }}` is computed at run time and skipped.
std::vector<TemplateBinding> wxmlBindings(llvm::StringRef wxml);
std::vector<TemplateBinding> vueTemplateBindings(llvm::StringRef vue);

} // namespace mpauth
