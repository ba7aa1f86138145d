// servicedesk: the whole C++ API in one include.
//
// Start with desk.h: Desk::Open(uri) gives the area objects (centers(),
// organizations(), contacts(), staff(), managers(), events(), calendars(),
// sla(), requests(), dialogs(), techsupport(), reports()). Records are the
// servicedesk.v1 protobuf messages.
#ifndef SERVICEDESK_SERVICEDESK_H_
#define SERVICEDESK_SERVICEDESK_H_

#include "servicedesk/calendar.h"
#include "servicedesk/centers.h"
#include "servicedesk/clients.h"
#include "servicedesk/clock.h"
#include "servicedesk/common.h"
#include "servicedesk/desk.h"
#include "servicedesk/dialogs.h"
#include "servicedesk/events.h"
#include "servicedesk/managers.h"
#include "servicedesk/reports.h"
#include "servicedesk/requests.h"
#include "servicedesk/sla.h"
#include "servicedesk/staff.h"
#include "servicedesk/store.h"
#include "servicedesk/techsupport.h"

#define SERVICEDESK_VERSION_MAJOR 0
#define SERVICEDESK_VERSION_MINOR 1
#define SERVICEDESK_VERSION_PATCH 0

#endif  // SERVICEDESK_SERVICEDESK_H_
