// Script blocks embedded in other languages (.vue single-file components).
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mpauth {

struct EmbeddedScript {
  // The file's text with everything outside <script> blocks replaced by spaces (line breaks
  // kept), so byte offsets, lines and columns of the script are those of the file.
  std::string text;
  bool typescript = false; // <script lang="ts"> / lang="tsx"
  bool tsx = false;
  unsigned blocks = 0;
};

EmbeddedScript extractVueScripts(llvm::StringRef fileText);

} // namespace mpauth
