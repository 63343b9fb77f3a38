#include "analyzer/driver/Cli.h"

namespace mpauth {
int runCli(int, char **) {
  return 0;
}
} // namespace mpauth
