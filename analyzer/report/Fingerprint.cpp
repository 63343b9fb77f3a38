// Placeholder until the reporters land.
#include "analyzer/report/Reporter.h"
