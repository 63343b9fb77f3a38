// Placeholder until the project model lands.
#include "analyzer/project/Project.h"
