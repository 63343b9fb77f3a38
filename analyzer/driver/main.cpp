#include "analyzer/driver/Cli.h"

int main(int argc, char **argv) {
  return mpauth::runCli(argc, argv);
}
