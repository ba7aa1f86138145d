// sdctl: the example command-line client of servicedesk. See docs/cli.md.
#include <iostream>
#include <string>
#include <vector>

#include "sdctl/cli.h"

int main(int argc, char** argv) {
  sdctl::Registry registry;
  sdctl::RegisterOrgCommands(registry);
  sdctl::RegisterSlaCommands(registry);
  sdctl::RegisterRequestCommands(registry);
  sdctl::RegisterServiceCommands(registry);
  sdctl::RegisterDemoCommand(registry);
  std::vector<std::string> args(argv + 1, argv + argc);
  return registry.Main(args, std::cout, std::cerr);
}
