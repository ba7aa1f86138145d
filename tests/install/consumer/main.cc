// Opens a desk, creates a center through the installed headers and library,
// and prints what it stored.
#include <iostream>

#include "servicedesk/servicedesk.h"

int main() {
  auto desk = servicedesk::Desk::Open("memory:");
  if (!desk.ok()) {
    std::cerr << desk.status() << "\n";
    return 1;
  }
  servicedesk::v1::ServiceCenter c;
  c.set_code("MSK-01");
  c.set_name("Moscow");
  c.set_region("Moscow");
  c.set_time_zone("Europe/Moscow");
  auto created = (*desk)->centers().Create(servicedesk::AdminActor("root"), c);
  if (!created.ok()) {
    std::cerr << created.status() << "\n";
    return 1;
  }
  std::cout << "consumer: created " << created->id() << " " << created->code()
            << "\n";
  return created->version() == 1 ? 0 : 1;
}
