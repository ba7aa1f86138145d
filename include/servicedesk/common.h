// Types shared by every area of the C++ API.
#ifndef SERVICEDESK_COMMON_H_
#define SERVICEDESK_COMMON_H_

#include <string>
#include <vector>

#include "servicedesk/export.h"
#include "servicedesk/proto/audit.pb.h"

namespace servicedesk {

// Who makes a call: a v1::Actor with exactly one principal set.
using Actor = v1::Actor;

// Convenience constructors for actors.
SD_EXPORT Actor AdminActor(std::string login);
SD_EXPORT Actor StaffActor(std::string staff_id);
SD_EXPORT Actor ContactActor(std::string contact_id);
SD_EXPORT Actor SystemActor(std::string component);

// Paging for List calls. page_size 0 means 100; larger than 1000 is capped.
struct PageRequest {
  int page_size = 0;
  std::string page_token;  // from the previous Page's next_page_token
};

// One page of a List call; next_page_token is empty on the last page.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_COMMON_H_
