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
//
// page_token is empty for the first page, then the previous Page's
// next_page_token. A token is opaque and bound to the query that returned
// it: the same List call with the same filters (page_size may change). It
// stays valid in other processes and after the desk is reopened. Every List
// call refuses a token of another call, or of the same call with other
// filters, with INVALID_ARGUMENT "page_token: does not belong to this query"
// (it would resume at a position of another result set), and refuses so too
// the tokens of earlier versions of the library, which did not carry their
// query: list again from the first page. A token that does not decode is
// INVALID_ARGUMENT "page_token: malformed".
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
