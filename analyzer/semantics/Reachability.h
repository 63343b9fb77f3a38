// SPEC 2: code after an unconditional `return`/`throw` in the same block is unreachable and
// not reported.
#pragma once

#include "analyzer/syntax/Syntax.h"

namespace mpauth {

// True when a statement before `node`, in one of the blocks around it (up to the enclosing
// function), is a `return` or `throw`.
bool isUnreachable(Node node);

} // namespace mpauth
