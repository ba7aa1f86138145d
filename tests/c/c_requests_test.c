/* End-to-end test of the request areas of the servicedesk C ABI (service
 * requests, online dialogs, technical support, compliance reports), compiled
 * as C11 and linked against the shared libservicedesk. Runs under valgrind in
 * ctest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test_util.h"
#include "servicedesk/c.h"

/* 2025-03-03 (a Monday) 10:00 Moscow time = 07:00 UTC. */
static const int64_t kMonday1000Msk = 1740985200LL * 1000000000LL;

static const char *kAdmin = "{\"admin\":\"root\"}";

/* The record's "version" (an int64, a JSON string). */
static int64_t json_version(const sd_buffer *buf) {
  char v[32];
  if (!json_str(buf, "version", v, sizeof v)) return -1;
  return strtoll(v, NULL, 10);
}

static int has(const sd_buffer *buf, const char *needle) {
  return buf->data != NULL && strstr((const char *)buf->data, needle) != NULL;
}

/* Creates a record with `fn` and copies its id. */
typedef sd_status (*create_fn)(sd_buffer *, sd_desk *, const void *, size_t,
                               const void *, size_t);
static void create(create_fn fn, sd_desk *desk, const char *json, char *id,
                   size_t cap) {
  sd_buffer out = {0};
  CHECK_STATUS(fn(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(json_str(&out, "id", id, cap));
  sd_buffer_free(&out);
}

struct world {
  char center[64], other_center[64];
  char head[64], spec[64], engineer[64], other_head[64];
  char org[64], other_org[64];
  char contact[64], other_contact[64];
  char contact_actor[128], other_contact_actor[128], spec_actor[128],
      engineer_actor[128];
};

static void seed(sd_desk *desk, struct world *w) {
  char json[1024];
  sd_buffer out = {0};
  int d;
  static const char *const kDays[] = {"MONDAY", "TUESDAY", "WEDNESDAY",
                                      "THURSDAY", "FRIDAY"};
  size_t n;

  /* A Mon-Fri 09:00-18:00 calendar for the centers' SLA clocks. */
  n = (size_t)snprintf(json, sizeof json,
                       "{\"id\":\"msk-office\",\"name\":\"Moscow office\","
                       "\"timeZone\":\"Europe/Moscow\",\"weekly\":[");
  for (d = 0; d < 5; ++d) {
    n += (size_t)snprintf(json + n, sizeof json - n,
                          "%s{\"weekday\":\"%s\",\"intervals\":[{"
                          "\"startSeconds\":32400,\"endSeconds\":64800}]}",
                          d ? "," : "", kDays[d]);
  }
  snprintf(json + n, sizeof json - n, "]}");
  CHECK_STATUS(sd_stored_calendar_create(&out, desk, S(kAdmin), S(json)),
               SD_OK);
  sd_buffer_free(&out);

  create(sd_center_create, desk,
         "{\"code\":\"MSK-01\",\"name\":\"Moscow\",\"region\":\"Moscow\","
         "\"timeZone\":\"Europe/Moscow\",\"calendarId\":\"msk-office\"}",
         w->center, sizeof w->center);
  create(sd_center_create, desk,
         "{\"code\":\"SPB-01\",\"name\":\"Spb\",\"region\":\"Spb\","
         "\"timeZone\":\"Europe/Moscow\",\"calendarId\":\"msk-office\"}",
         w->other_center, sizeof w->other_center);

  snprintf(json, sizeof json,
           "{\"centerId\":\"%s\",\"fullName\":\"Anna Head\","
           "\"email\":\"anna@example.com\",\"phone\":\"+7 495 111-22-33\","
           "\"roles\":[\"STAFF_ROLE_CENTER_HEAD\","
           "\"STAFF_ROLE_PERSONAL_MANAGER\"]}",
           w->center);
  create(sd_staff_create, desk, json, w->head, sizeof w->head);
  snprintf(json, sizeof json,
           "{\"centerId\":\"%s\",\"fullName\":\"Ivan Hotline\","
           "\"email\":\"ivan@example.com\",\"phone\":\"+7 495 111-22-34\","
           "\"roles\":[\"STAFF_ROLE_HOTLINE_SPECIALIST\"],"
           "\"qualifications\":[{\"code\":\"hotline\",\"title\":\"Hotline\"}]}",
           w->center);
  create(sd_staff_create, desk, json, w->spec, sizeof w->spec);
  snprintf(json, sizeof json,
           "{\"centerId\":\"%s\",\"fullName\":\"Egor Engineer\","
           "\"email\":\"egor@example.com\",\"phone\":\"+7 495 111-22-35\","
           "\"roles\":[\"STAFF_ROLE_ENGINEER\"],"
           "\"qualifications\":[{\"code\":\"tech-support\","
           "\"title\":\"Tech support\"}]}",
           w->center);
  create(sd_staff_create, desk, json, w->engineer, sizeof w->engineer);
  snprintf(json, sizeof json,
           "{\"centerId\":\"%s\",\"fullName\":\"Petr Head\","
           "\"email\":\"petr@example.com\",\"phone\":\"+7 812 111-22-33\","
           "\"roles\":[\"STAFF_ROLE_CENTER_HEAD\","
           "\"STAFF_ROLE_PERSONAL_MANAGER\"]}",
           w->other_center);
  create(sd_staff_create, desk, json, w->other_head, sizeof w->other_head);

  snprintf(json, sizeof json,
           "{\"name\":\"Horns and Hooves\",\"taxId\":\"7707083893\","
           "\"tier\":\"CLIENT_TIER_PREMIUM\",\"centerId\":\"%s\"}",
           w->center);
  CHECK_STATUS(sd_organization_create(&out, desk, S(kAdmin), S(json),
                                      S(w->head), NULL, 0),
               SD_OK);
  CHECK(json_str(&out, "id", w->org, sizeof w->org));
  sd_buffer_free(&out);
  snprintf(json, sizeof json,
           "{\"name\":\"Roga Spb\",\"taxId\":\"7830002293\","
           "\"tier\":\"CLIENT_TIER_STANDARD\",\"centerId\":\"%s\"}",
           w->other_center);
  CHECK_STATUS(sd_organization_create(&out, desk, S(kAdmin), S(json),
                                      S(w->other_head), NULL, 0),
               SD_OK);
  CHECK(json_str(&out, "id", w->other_org, sizeof w->other_org));
  sd_buffer_free(&out);

  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"fullName\":\"Olga Client\","
           "\"email\":\"olga@horns.example\",\"phone\":\"+7 999 000-11-22\"}",
           w->org);
  create(sd_contact_create, desk, json, w->contact, sizeof w->contact);
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"fullName\":\"Oleg Other\","
           "\"email\":\"oleg@roga.example\",\"phone\":\"+7 999 000-11-33\"}",
           w->other_org);
  create(sd_contact_create, desk, json, w->other_contact,
         sizeof w->other_contact);

  snprintf(w->contact_actor, sizeof w->contact_actor, "{\"contactId\":\"%s\"}",
           w->contact);
  snprintf(w->other_contact_actor, sizeof w->other_contact_actor,
           "{\"contactId\":\"%s\"}", w->other_contact);
  snprintf(w->spec_actor, sizeof w->spec_actor, "{\"staffId\":\"%s\"}",
           w->spec);
  snprintf(w->engineer_actor, sizeof w->engineer_actor, "{\"staffId\":\"%s\"}",
           w->engineer);
}

/* open -> assigned -> respond -> wait on client -> resume -> resolve -> rate,
 * with a stale version, an illegal transition and refused calls. */
static void test_request_lifecycle(sd_desk *desk, sd_clock *clock,
                                   const struct world *w) {
  char json[1024], id[64], assignee[64];
  sd_buffer out = {0};
  int64_t v, stale;

  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_HOTLINE_"
           "QUESTION\",\"channel\":\"CHANNEL_PHONE_HOTLINE\","
           "\"subject\":\"How do I find the current Tax Code?\","
           "\"description\":\"The version in force from January.\"}",
           w->org);
  /* JSON that is not UTF-8 is refused naming the argument. */
  CHECK_STATUS(sd_request_open(&out, desk, S(w->contact_actor),
                               S("{\"subject\":\"bad \xff\"}")),
               SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "draft: is not valid UTF-8") != NULL);
  /* So is an id that is not text, or a NULL id with a length; the errors
     name the parameter as the header does. */
  CHECK_STATUS(
      sd_request_get(&out, desk, S(w->contact_actor), S("req-\xff\xfe")),
      SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "id: is not valid UTF-8") != NULL);
  CHECK(strchr(sd_last_error(), '\xff') == NULL);
  CHECK_STATUS(sd_request_get(&out, desk, S(w->contact_actor), NULL, 5),
               SD_INVALID_ARGUMENT);
  CHECK(strncmp(sd_last_error(), "id: NULL pointer", 16) == 0);
  CHECK_STATUS(sd_request_open(&out, desk, S(w->contact_actor), S(json)),
               SD_OK);
  CHECK(json_str(&out, "id", id, sizeof id));
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_ASSIGNED\""));
  CHECK(json_str(&out, "assigneeId", assignee, sizeof assignee));
  CHECK(strcmp(assignee, w->spec) == 0); /* the qualified specialist */
  CHECK(json_str(&out, "contactId", json, sizeof json) &&
        strcmp(json, w->contact) == 0);
  v = json_version(&out);
  CHECK(v >= 1);
  sd_buffer_free(&out);

  /* A contact of another organisation can neither see nor open it: to it,
   * the request and the organisation read as ids nobody has. */
  CHECK_STATUS(sd_request_get(&out, desk, S(w->other_contact_actor), S(id)),
               SD_NOT_FOUND);
  CHECK(out.data == NULL);
  snprintf(json, sizeof json, "{\"organizationId\":\"%s\"}", w->org);
  CHECK_STATUS(sd_request_list(&out, desk, S(w->other_contact_actor), S(json)),
               SD_PERMISSION_DENIED);
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_HOTLINE_"
           "QUESTION\",\"channel\":\"CHANNEL_PHONE_HOTLINE\","
           "\"subject\":\"Not mine\"}",
           w->org);
  CHECK_STATUS(sd_request_open(&out, desk, S(w->other_contact_actor), S(json)),
               SD_NOT_FOUND);
  /* ... and the contact may not work on it. */
  CHECK_STATUS(sd_request_respond(&out, desk, S(w->contact_actor), S(id), v,
                                  S("I answer myself")),
               SD_PERMISSION_DENIED);

  CHECK_STATUS(sd_clock_advance(clock, 5 * 60 * kSec), SD_OK);
  CHECK_STATUS(sd_request_respond(&out, desk, S(w->spec_actor), S(id), v,
                                  S("Use the systematized Tax Code.")),
               SD_OK);
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_IN_PROGRESS\""));
  CHECK(has(&out, "\"firstResponseAt\""));
  stale = v;
  v = json_version(&out);
  CHECK(v > stale);
  sd_buffer_free(&out);

  /* A stale version: ABORTED, nothing written. */
  CHECK_STATUS(sd_request_wait_on_client(&out, desk, S(w->spec_actor), S(id),
                                         stale, S("Which region?")),
               SD_ABORTED);
  CHECK(out.data == NULL);
  CHECK(strstr(sd_last_error(), "version") != NULL);

  CHECK_STATUS(sd_request_wait_on_client(&out, desk, S(w->spec_actor), S(id), v,
                                         S("Which region?")),
               SD_OK);
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_WAITING_ON_CLIENT\""));
  v = json_version(&out);
  sd_buffer_free(&out);

  CHECK_STATUS(sd_clock_advance(clock, 60 * 60 * kSec), SD_OK);
  CHECK_STATUS(
      sd_request_resume(&out, desk, S(w->contact_actor), S(id), v, S("Moscow")),
      SD_OK);
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_IN_PROGRESS\""));
  CHECK(has(&out, "Moscow"));
  v = json_version(&out);
  sd_buffer_free(&out);

  /* A hotline outcome: a document selection. */
  CHECK_STATUS(sd_request_record_outcome(
                   &out, desk, S(w->spec_actor), S(id), v,
                   S("{\"documentSelection\":{\"documents\":[{\"documentId\":"
                     "\"LAW-117\",\"title\":\"Tax Code, part 2\"}]}}")),
               SD_OK);
  CHECK(has(&out, "LAW-117"));
  v = json_version(&out);
  sd_buffer_free(&out);

  /* Rating before resolution: FAILED_PRECONDITION. */
  CHECK_STATUS(
      sd_request_rate(&out, desk, S(w->contact_actor), S(id), v, 5, NULL, 0),
      SD_FAILED_PRECONDITION);

  CHECK_STATUS(sd_request_resolve(&out, desk, S(w->spec_actor), S(id), v,
                                  S("Answered by phone")),
               SD_OK);
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_RESOLVED\""));
  CHECK(has(&out, "\"resolvedAt\""));
  v = json_version(&out);
  sd_buffer_free(&out);

  /* An illegal transition: RESOLVED -> WAITING_ON_CLIENT. */
  CHECK_STATUS(sd_request_wait_on_client(&out, desk, S(w->spec_actor), S(id), v,
                                         S("One more thing")),
               SD_FAILED_PRECONDITION);
  CHECK(strstr(sd_last_error(), "state") != NULL);
  CHECK(out.data == NULL);

  /* Only the request's contact rates; the score is checked. */
  CHECK_STATUS(
      sd_request_rate(&out, desk, S(w->spec_actor), S(id), v, 5, NULL, 0),
      SD_PERMISSION_DENIED);
  CHECK_STATUS(
      sd_request_rate(&out, desk, S(w->contact_actor), S(id), v, 9, NULL, 0),
      SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_request_rate(&out, desk, S(w->contact_actor), S(id), v, 5,
                               S("Quick and clear")),
               SD_OK);
  CHECK(has(&out, "\"score\":5"));
  v = json_version(&out);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_request_rate(&out, desk, S(w->contact_actor), S(id), v, 4, NULL, 0),
      SD_ALREADY_EXISTS);

  CHECK_STATUS(sd_request_close(&out, desk, S(w->contact_actor), S(id), v),
               SD_OK);
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_CLOSED\""));
  v = json_version(&out);
  sd_buffer_free(&out);

  /* Reopen within the window, then cancel. */
  CHECK_STATUS(sd_request_reopen(&out, desk, S(w->contact_actor), S(id), v,
                                 S("The link is broken")),
               SD_OK);
  CHECK(has(&out, "\"reopenCount\":1"));
  v = json_version(&out);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_request_change_priority(&out, desk, S(w->spec_actor), S(id), v, 99),
      SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_request_change_priority(&out, desk, S(w->spec_actor), S(id),
                                          v, 4 /* PRIORITY_URGENT */),
               SD_OK);
  CHECK(has(&out, "PRIORITY_URGENT"));
  v = json_version(&out);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_request_change_kind(&out, desk, S(w->spec_actor), S(id), v, -5),
      SD_INVALID_ARGUMENT);
  CHECK_STATUS(
      sd_request_cancel(&out, desk, S(w->contact_actor), S(id), v, NULL, 0),
      SD_INVALID_ARGUMENT); /* a reason is required */
  CHECK_STATUS(sd_request_cancel(&out, desk, S(w->contact_actor), S(id), v,
                                 S("Found it myself")),
               SD_OK);
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_CANCELLED\""));
  sd_buffer_free(&out);

  /* Lists: by organisation (as the contact) and by state. */
  snprintf(json, sizeof json, "{\"organizationId\":\"%s\"}", w->org);
  CHECK_STATUS(sd_request_list(&out, desk, S(w->contact_actor), S(json)),
               SD_OK);
  CHECK(count(&out, "\"subject\"") == 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_request_list(&out, desk, S(kAdmin),
                               S("{\"state\":\"REQUEST_STATE_CANCELLED\"}")),
               SD_OK);
  CHECK(count(&out, id) >= 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_request_list(&out, desk, S(kAdmin),
                               S("{\"state\":\"REQUEST_STATE_NEW\"}")),
               SD_OK);
  CHECK(count(&out, "\"subject\"") == 0);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_request_queue(&out, desk, S(kAdmin), S(w->center), NULL, 0),
               SD_OK);
  CHECK(count(&out, "\"subject\"") == 0);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_request_assign_queued(&out, desk, S(kAdmin), S(w->center)),
               SD_OK);
  CHECK(count(&out, "\"subject\"") == 0);
  sd_buffer_free(&out);
}

/* A page token continues only the query that returned it. */
static void test_page_token_bound_to_query(sd_desk *desk,
                                           const struct world *w) {
  char json[1024], token[512];
  sd_buffer out = {0};
  CHECK_STATUS(sd_request_list(&out, desk, S(kAdmin), S("{\"pageSize\":1}")),
               SD_OK);
  CHECK(count(&out, "\"subject\"") == 1);
  CHECK(json_str(&out, "nextPageToken", token, sizeof token));
  CHECK(token[0] != '\0');
  sd_buffer_free(&out);
  /* Another filter: refused, naming page_token. */
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"pageSize\":1,\"pageToken\":\"%s\"}",
           w->org, token);
  CHECK_STATUS(sd_request_list(&out, desk, S(kAdmin), S(json)),
               SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "page_token: does not belong to this query") !=
        NULL);
  CHECK(out.data == NULL);
  /* The same query: the next page. */
  snprintf(json, sizeof json, "{\"pageSize\":1,\"pageToken\":\"%s\"}", token);
  CHECK_STATUS(sd_request_list(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(count(&out, "\"subject\"") == 1);
  sd_buffer_free(&out);
}

/* A manager-contact request assigned by hand, then started. */
static void test_request_assign(sd_desk *desk, const struct world *w) {
  char json[1024], id[64], head_actor[128];
  sd_buffer out = {0};
  int64_t v;
  snprintf(head_actor, sizeof head_actor, "{\"staffId\":\"%s\"}", w->head);
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_SEARCH_"
           "CONSULTATION\",\"channel\":\"CHANNEL_EMAIL\","
           "\"subject\":\"Search by requisites\"}",
           w->org);
  CHECK_STATUS(sd_request_open(&out, desk, S(head_actor), S(json)), SD_OK);
  CHECK(json_str(&out, "id", id, sizeof id));
  v = json_version(&out);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_request_start(&out, desk, S(w->spec_actor), S(id), v), SD_OK);
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_IN_PROGRESS\""));
  v = json_version(&out);
  sd_buffer_free(&out);
  /* Handing it to an engineer (no hotline role) is refused. */
  CHECK_STATUS(sd_request_assign(&out, desk, S(head_actor), S(id), v,
                                 S(w->engineer), S("try him")),
               SD_FAILED_PRECONDITION);
  CHECK(strstr(sd_last_error(), "staff_id") != NULL);
  CHECK_STATUS(
      sd_request_cancel(&out, desk, S(head_actor), S(id), v, S("duplicate")),
      SD_OK);
  sd_buffer_free(&out);
}

/* A dialog: opened by the contact, its queue position, taken by the hotline
 * specialist, messages both ways, closed. */
static void test_dialog(sd_desk *desk, sd_clock *clock, const struct world *w) {
  char id[64], json[256], req_id[64];
  sd_buffer out = {0};

  CHECK_STATUS(
      sd_dialog_open(&out, desk, S(w->spec_actor), S("Topic"), S("Hello")),
      SD_PERMISSION_DENIED); /* contacts only */
  CHECK_STATUS(sd_dialog_open(&out, desk, S(w->contact_actor), S("VAT refunds"),
                              S("Where is the new VAT refund form?")),
               SD_OK);
  CHECK(json_str(&out, "id", id, sizeof id));
  CHECK(json_str(&out, "requestId", req_id, sizeof req_id));
  CHECK(has(&out, "\"state\":\"DIALOG_STATE_WAITING\""));
  sd_buffer_free(&out);

  CHECK_STATUS(sd_dialog_position(&out, desk, S(w->contact_actor), S(id)),
               SD_OK);
  CHECK(has(&out, "\"position\":1"));
  CHECK(has(&out, "\"waiting\":1"));
  CHECK(has(&out, "\"expectedWait\""));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_dialog_position(&out, desk, S(w->other_contact_actor), S(id)),
               SD_NOT_FOUND);

  /* The contact may write while waiting. */
  CHECK_STATUS(
      sd_dialog_post(&out, desk, S(w->contact_actor), S(id), S("It is urgent")),
      SD_OK);
  sd_buffer_free(&out);

  /* Its request belongs to the dialog: request calls refuse it. */
  CHECK_STATUS(sd_request_get(&out, desk, S(kAdmin), S(req_id)), SD_OK);
  sd_buffer_free(&out);

  CHECK_STATUS(sd_clock_advance(clock, 30 * kSec), SD_OK);
  CHECK_STATUS(sd_dialog_take(&out, desk, S(w->engineer_actor)),
               SD_PERMISSION_DENIED);
  /* An away specialist takes nothing until available again. */
  CHECK_STATUS(
      sd_dialog_set_available(&out, desk, S(w->contact_actor), S(w->spec), 0),
      SD_PERMISSION_DENIED);
  CHECK_STATUS(
      sd_dialog_set_available(&out, desk, S(w->spec_actor), S(w->spec), 0),
      SD_OK);
  CHECK(has(&out, "\"id\""));
  CHECK(!has(&out, "\"available\":true"));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_dialog_take(&out, desk, S(w->spec_actor)),
               SD_FAILED_PRECONDITION);
  CHECK(strstr(sd_last_error(), "away") != NULL);
  CHECK_STATUS(sd_dialog_set_available(&out, desk, S(kAdmin), S(w->spec), 1),
               SD_OK);
  CHECK(has(&out, "\"available\":true"));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_dialog_presence(&out, desk, S(w->spec_actor), S(w->spec)),
               SD_OK);
  CHECK(has(&out, "\"available\":true"));
  CHECK(has(&out, "\"version\":\"2\""));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_dialog_take(&out, desk, S(w->spec_actor)), SD_OK);
  CHECK(has(&out, "\"state\":\"DIALOG_STATE_ACTIVE\""));
  CHECK(json_str(&out, "specialistId", json, sizeof json) &&
        strcmp(json, w->spec) == 0);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_dialog_position(&out, desk, S(w->contact_actor), S(id)),
               SD_FAILED_PRECONDITION); /* no longer waiting */
  CHECK_STATUS(sd_dialog_take(&out, desk, S(w->spec_actor)),
               SD_NOT_FOUND); /* the queue is empty */

  CHECK_STATUS(sd_dialog_post(&out, desk, S(w->spec_actor), S(id),
                              S("Hello! The form is in the 'Forms' section.")),
               SD_OK);
  sd_buffer_free(&out);
  /* A handover to someone who is not a hotline specialist is refused. */
  CHECK_STATUS(sd_dialog_handover(&out, desk, S(w->spec_actor), S(id),
                                  S(w->engineer), S("end of shift")),
               SD_FAILED_PRECONDITION);
  CHECK(strstr(sd_last_error(), "to_staff_id") != NULL);
  CHECK_STATUS(sd_dialog_handover(&out, desk, S(w->contact_actor), S(id),
                                  S(w->spec), S("me")),
               SD_PERMISSION_DENIED);
  CHECK_STATUS(sd_dialog_post(&out, desk, S(w->contact_actor), S(id),
                              S("Found it, thanks")),
               SD_OK);
  CHECK(count(&out, "\"text\"") == 4);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_dialog_post(&out, desk, S(w->other_contact_actor), S(id), S("Hi")),
      SD_NOT_FOUND);

  snprintf(json, sizeof json, "{\"centerId\":\"%s\"}", w->center);
  CHECK_STATUS(sd_dialog_list(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(count(&out, id) >= 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_dialog_list(&out, desk, S(kAdmin),
                              S("{\"state\":\"DIALOG_STATE_WAITING\"}")),
               SD_OK);
  CHECK(count(&out, "\"topic\"") == 0);
  sd_buffer_free(&out);

  CHECK_STATUS(sd_dialog_close(&out, desk, S(w->contact_actor), S(id)), SD_OK);
  CHECK(has(&out, "\"state\":\"DIALOG_STATE_CLOSED\""));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_dialog_close(&out, desk, S(w->contact_actor), S(id)),
               SD_FAILED_PRECONDITION);
  CHECK_STATUS(sd_dialog_get(&out, desk, S(w->spec_actor), S(id)), SD_OK);
  CHECK(has(&out, "\"closedAt\""));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_request_get(&out, desk, S(kAdmin), S(req_id)), SD_OK);
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_RESOLVED\""));
  /* The transcript is part of the request. */
  CHECK(count(&out, "\"text\"") == 4);
  CHECK(has(&out, "Found it, thanks"));
  sd_buffer_free(&out);
}

/* An installation, a TECH_SETUP request, a visit and an overlapping one. */
static void test_techsupport(sd_desk *desk, sd_clock *clock,
                             const struct world *w) {
  char json[1024], inst[64], req[64], visit[64], other[64];
  sd_buffer out = {0};
  int64_t v, rv;

  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"productVersion\":\"2025.1\","
           "\"workstations\":12,\"network\":true,"
           "\"installedSets\":[\"federal-law\"],"
           "\"address\":\"Moscow, Tverskaya 1\"}",
           w->org);
  CHECK_STATUS(sd_installation_create(&out, desk, S(w->contact_actor), S(json)),
               SD_PERMISSION_DENIED);
  create(sd_installation_create, desk, json, inst, sizeof inst);
  CHECK_STATUS(sd_installation_get(&out, desk, S(w->contact_actor), S(inst)),
               SD_OK);
  CHECK(has(&out, "\"active\":true"));
  v = json_version(&out);
  sd_buffer_free(&out);
  snprintf(json, sizeof json,
           "{\"id\":\"%s\",\"version\":\"%lld\",\"organizationId\":\"%s\","
           "\"productVersion\":\"2025.2\",\"workstations\":14,"
           "\"network\":true,\"active\":true}",
           inst, (long long)v, w->org);
  CHECK_STATUS(sd_installation_update(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(has(&out, "2025.2"));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_installation_update(&out, desk, S(kAdmin), S(json)),
               SD_ABORTED); /* the same version again */
  CHECK_STATUS(sd_installation_list(&out, desk, S(kAdmin), S(w->org), NULL, 0),
               SD_OK);
  CHECK(count(&out, inst) == 1);
  sd_buffer_free(&out);

  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_TECH_SETUP\","
           "\"channel\":\"CHANNEL_PHONE_HOTLINE\","
           "\"subject\":\"Set up the new workstations\","
           "\"installationId\":\"%s\"}",
           w->org, inst);
  CHECK_STATUS(sd_request_open(&out, desk, S(w->contact_actor), S(json)),
               SD_OK);
  CHECK(json_str(&out, "id", req, sizeof req));
  CHECK(json_str(&out, "assigneeId", other, sizeof other) &&
        strcmp(other, w->engineer) == 0);
  sd_buffer_free(&out);

  /* Tuesday 10:00-12:00 Moscow. */
  snprintf(json, sizeof json,
           "{\"requestId\":\"%s\",\"engineerId\":\"%s\","
           "\"slotStart\":\"2025-03-04T07:00:00Z\","
           "\"slotEnd\":\"2025-03-04T09:00:00Z\",\"notes\":\"Bring a DVD\"}",
           req, w->engineer);
  CHECK_STATUS(sd_visit_schedule(&out, desk, S(w->engineer_actor), S(json)),
               SD_OK);
  CHECK(json_str(&out, "id", visit, sizeof visit));
  CHECK(has(&out, "\"state\":\"VISIT_STATE_SCHEDULED\""));
  CHECK(json_str(&out, "installationId", other, sizeof other) &&
        strcmp(other, inst) == 0);
  v = json_version(&out);
  sd_buffer_free(&out);

  /* 11:00-13:00 overlaps: refused, naming the visit. */
  snprintf(json, sizeof json,
           "{\"requestId\":\"%s\",\"engineerId\":\"%s\","
           "\"slotStart\":\"2025-03-04T08:00:00Z\","
           "\"slotEnd\":\"2025-03-04T10:00:00Z\"}",
           req, w->engineer);
  CHECK_STATUS(sd_visit_schedule(&out, desk, S(kAdmin), S(json)),
               SD_FAILED_PRECONDITION);
  CHECK(strstr(sd_last_error(), visit) != NULL);
  CHECK(out.data == NULL);
  /* A day and an hour: a visit is one working day at most. */
  snprintf(json, sizeof json,
           "{\"requestId\":\"%s\",\"engineerId\":\"%s\","
           "\"slotStart\":\"2025-03-06T07:00:00Z\","
           "\"slotEnd\":\"2025-03-07T08:00:00Z\"}",
           req, w->engineer);
  CHECK_STATUS(sd_visit_schedule(&out, desk, S(kAdmin), S(json)),
               SD_INVALID_ARGUMENT);
  CHECK(strncmp(sd_last_error(), "slot_end:", 9) == 0);
  CHECK(out.data == NULL);
  /* 12:00-13:00 touches it only: fine (half-open slots); then cancelled. */
  snprintf(json, sizeof json,
           "{\"requestId\":\"%s\",\"engineerId\":\"%s\","
           "\"slotStart\":\"2025-03-04T09:00:00Z\","
           "\"slotEnd\":\"2025-03-04T10:00:00Z\"}",
           req, w->engineer);
  CHECK_STATUS(sd_visit_schedule(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(json_str(&out, "id", other, sizeof other));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_visit_get(&out, desk, S(w->contact_actor), S(other)), SD_OK);
  CHECK_STATUS(sd_visit_cancel(&out, desk, S(kAdmin), S(other),
                               json_version(&out), S("not needed")),
               SD_INVALID_ARGUMENT); /* out not freed first */
  {
    int64_t ov = json_version(&out);
    sd_buffer_free(&out);
    CHECK_STATUS(
        sd_visit_cancel(&out, desk, S(kAdmin), S(other), ov, S("not needed")),
        SD_OK);
    CHECK(has(&out, "VISIT_STATE_CANCELLED"));
    sd_buffer_free(&out);
  }

  /* Not resolved while the visit is still scheduled. */
  CHECK_STATUS(sd_request_get(&out, desk, S(kAdmin), S(req)), SD_OK);
  rv = json_version(&out);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_request_start(&out, desk, S(w->engineer_actor), S(req), rv),
               SD_OK);
  rv = json_version(&out);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_request_resolve(&out, desk, S(w->engineer_actor), S(req), rv,
                                  S("set up")),
               SD_FAILED_PRECONDITION);
  CHECK(strncmp(sd_last_error(), "visits:", 7) == 0);
  CHECK(strstr(sd_last_error(), visit) != NULL);
  CHECK(out.data == NULL);

  CHECK_STATUS(sd_visit_complete(&out, desk, S(w->engineer_actor), S(visit),
                                 v + 1, NULL, 0),
               SD_ABORTED);
  /* Not done before it begins (Tuesday 10:00 Moscow). */
  CHECK_STATUS(sd_visit_complete(&out, desk, S(w->engineer_actor), S(visit), v,
                                 S("early")),
               SD_FAILED_PRECONDITION);
  CHECK(strstr(sd_last_error(), "slot_start") != NULL);
  {
    int64_t saved = 0;
    CHECK_STATUS(sd_clock_now(&saved, clock), SD_OK);
    CHECK_STATUS(sd_clock_set(clock, 1741071600LL * kSec), SD_OK);
    CHECK_STATUS(sd_visit_complete(&out, desk, S(w->engineer_actor), S(visit),
                                   v, S("Set up 14 workstations")),
                 SD_OK);
    CHECK_STATUS(sd_clock_set(clock, saved), SD_OK);
  }
  CHECK(has(&out, "\"state\":\"VISIT_STATE_DONE\""));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_visit_list(&out, desk, S(kAdmin), S(req), NULL, 0), SD_OK);
  CHECK(count(&out, "\"engineerId\"") == 2);
  sd_buffer_free(&out);
  /* Done (the other cancelled): now it is resolved. */
  CHECK_STATUS(sd_request_resolve(&out, desk, S(w->engineer_actor), S(req), rv,
                                  S("set up")),
               SD_OK);
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_RESOLVED\""));
  sd_buffer_free(&out);
}

static void test_report(sd_desk *desk, const struct world *w) {
  const char *query =
      "{\"from\":\"2025-03-01T00:00:00Z\",\"to\":\"2025-03-10T00:00:00Z\","
      "\"byCenter\":true,\"byKind\":true}";
  sd_buffer out = {0};
  const char *nl;

  CHECK_STATUS(sd_report_compliance(&out, desk, S(kAdmin), S(query)), SD_OK);
  CHECK(has(&out, "\"rows\""));
  CHECK(has(&out, "SERVICE_KIND_HOTLINE_QUESTION"));
  CHECK(has(&out, w->center));
  /* Without byPeriod every row spans the whole query. */
  CHECK(has(&out, "\"periodStart\":\"2025-03-01T00:00:00Z\""));
  CHECK(has(&out, "\"periodEnd\":\"2025-03-10T00:00:00Z\""));
  sd_buffer_free(&out);
  /* Pretty-printed JSON (newlines, CRs, tabs) is JSON too. */
  CHECK_STATUS(
      sd_report_compliance(&out, desk, S(kAdmin),
                           S("{\r\n\t\"from\": \"2025-03-01T00:00:00Z\""
                             ",\n\t\"to\": \"2025-03-10T00:00:00Z\"\n}\n")),
      SD_OK);
  CHECK(has(&out, "\"rows\""));
  sd_buffer_free(&out);

  /* Rows per ISO week in Moscow: 1-2 March is the end of a week starting in
   * February, so the first period is clipped to from; the requests of the
   * world were registered in the week from Monday 3 March 00:00 MSK. */
  CHECK_STATUS(
      sd_report_compliance(
          &out, desk, S(kAdmin),
          S("{\"from\":\"2025-03-01T00:00:00Z\",\"to\":\"2025-03-10T00:00:"
            "00Z\",\"byPeriod\":\"REPORT_PERIOD_WEEK\",\"timeZone\":"
            "\"Europe/Moscow\"}")),
      SD_OK);
  CHECK(has(&out, "\"periodStart\":\"2025-03-02T21:00:00Z\""));
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_report_compliance(
          &out, desk, S(kAdmin),
          S("{\"from\":\"2025-03-01T00:00:00Z\",\"to\":\"2025-03-10T00:00:"
            "00Z\",\"byPeriod\":\"REPORT_PERIOD_DAY\",\"timeZone\":"
            "\"Atlantis/Capital\"}")),
      SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "time_zone") != NULL);

  CHECK_STATUS(sd_report_compliance_csv(&out, desk, S(kAdmin), S(query)),
               SD_OK);
  CHECK(out.data != NULL && out.data[out.size] == '\0');
  nl = out.data ? strchr((const char *)out.data, '\n') : NULL;
  CHECK(nl != NULL);
  /* The header names the columns; data rows follow. */
  CHECK(out.data != NULL && strncmp((const char *)out.data,
                                    "period_start,period_end,center", 30) == 0);
  CHECK(count(&out, "\n") >= 2);
  sd_buffer_free(&out);

  /* The backlog's CSV straight from the desk: the same text as the report's
   * backlog through sd_report_backlog_to_csv. */
  {
    sd_buffer report = {0}, direct = {0};
    CHECK_STATUS(sd_report_compliance(&report, desk, S(kAdmin), S(query)),
                 SD_OK);
    CHECK_STATUS(sd_report_backlog_to_csv(&out, report.data, report.size,
                                          SD_FORMAT_JSON),
                 SD_OK);
    CHECK_STATUS(sd_report_backlog_csv(&direct, desk, S(kAdmin), S(query)),
                 SD_OK);
    CHECK(direct.data != NULL && out.data != NULL &&
          strcmp((const char *)direct.data, (const char *)out.data) == 0);
    CHECK(strncmp((const char *)direct.data,
                  "period_start,period_end,backlog_at,center_id", 44) == 0);
    sd_buffer_free(&direct);
    sd_buffer_free(&report);
    sd_buffer_free(&out);
    CHECK_STATUS(
        sd_report_backlog_csv(&direct, desk, S(w->contact_actor), S(query)),
        SD_PERMISSION_DENIED);
    CHECK(direct.data == NULL);
    CHECK_STATUS(sd_report_backlog_csv(&direct, desk, S(kAdmin), S("{bad")),
                 SD_INVALID_ARGUMENT);
    CHECK(strstr(sd_last_error(), "query") != NULL);
  }

  /* Contacts are refused; from >= to is invalid. */
  CHECK_STATUS(sd_report_compliance(&out, desk, S(w->contact_actor), S(query)),
               SD_PERMISSION_DENIED);
  CHECK_STATUS(sd_report_compliance(&out, desk, S(kAdmin),
                                    S("{\"from\":\"2025-03-10T00:00:00Z\","
                                      "\"to\":\"2025-03-01T00:00:00Z\"}")),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_report_compliance_csv(&out, desk, S(kAdmin), S("{bad")),
               SD_INVALID_ARGUMENT);
  /* A center_id naming no center is an error, not an empty report. */
  CHECK_STATUS(sd_report_compliance(&out, desk, S(kAdmin),
                                    S("{\"from\":\"2025-03-01T00:00:00Z\","
                                      "\"to\":\"2025-03-10T00:00:00Z\","
                                      "\"centerId\":\"nope\"}")),
               SD_NOT_FOUND);

  /* The standalone CSV of a report record. */
  CHECK_STATUS(sd_report_to_csv(&out,
                                S("{\"rows\":[{\"centerId\":\"c-1\","
                                  "\"requests\":\"3\"}]}"),
                                SD_FORMAT_JSON),
               SD_OK);
  CHECK(has(&out, "c-1"));
  CHECK(!has(&out, "backlog"));
  sd_buffer_free(&out);
  /* The backlog is a CSV table of its own. */
  CHECK_STATUS(
      sd_report_backlog_to_csv(&out,
                               S("{\"backlogAt\":\"2025-03-10T00:00:00Z\","
                                 "\"backlog\":[{\"centerId\":\"c-1\","
                                 "\"ageBucket\":\">7d\",\"count\":\"5\"}]}"),
                               SD_FORMAT_JSON),
      SD_OK);
  CHECK(out.data != NULL &&
        strcmp((const char *)out.data,
               "period_start,period_end,backlog_at,center_id,kind,channel,"
               "staff_id,age_bucket,count\r\n"
               ",,2025-03-10T00:00:00Z,c-1,,,,>7d,5\r\n") == 0);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_report_backlog_to_csv(&out, S("{\"backlog\":1}"), SD_FORMAT_JSON),
      SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "report") != NULL);
  CHECK_STATUS(sd_report_to_csv(&out, S("{\"rows\":7}"), SD_FORMAT_JSON),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_report_to_csv(&out, NULL, 0, (sd_format)7),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_report_to_csv(NULL, NULL, 0, SD_FORMAT_JSON),
               SD_INVALID_ARGUMENT);
}

/* NULL, unknown handles and malformed records: SD_INVALID_ARGUMENT. */
static void test_bad_input(sd_desk *json_desk) {
  sd_desk *desk = NULL;
  sd_buffer out = {0};
  const unsigned char garbage[] = {0xff, 0xff, 0xff, 0x07, 0x01};
  const unsigned char admin_pb[] = {0x1a, 0x04, 'r', 'o', 'o', 't'};
  struct {
    int dummy;
  } fake;
  sd_desk *bogus = (sd_desk *)(void *)&fake;

  CHECK_STATUS(sd_desk_open(&desk, S("memory:"), NULL, SD_FORMAT_PROTO), SD_OK);
  /* Sanity: the protobuf Actor{admin: "root"} (field 3) works. */
  CHECK_STATUS(sd_request_list(&out, desk, admin_pb, sizeof admin_pb, NULL, 0),
               SD_OK);
  sd_buffer_free(&out);

  CHECK_STATUS(sd_request_open(&out, desk, admin_pb, sizeof admin_pb, garbage,
                               sizeof garbage),
               SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "draft") != NULL);
  {
    /* ServiceRequest{subject (11): "bad \xff"}: the message names the
     * string field that is not UTF-8. */
    const unsigned char bad_subject[] = {0x5a, 0x05, 'b', 'a', 'd', ' ', 0xff};
    CHECK_STATUS(sd_request_open(&out, desk, admin_pb, sizeof admin_pb,
                                 bad_subject, sizeof bad_subject),
                 SD_INVALID_ARGUMENT);
    CHECK(strstr(sd_last_error(), "draft.subject: is not valid UTF-8") != NULL);
  }
  CHECK_STATUS(sd_request_list(&out, desk, admin_pb, sizeof admin_pb, garbage,
                               sizeof garbage),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(
      sd_request_record_outcome(&out, desk, admin_pb, sizeof admin_pb,
                                S("req-1"), 1, garbage, sizeof garbage),
      SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_dialog_list(&out, desk, admin_pb, sizeof admin_pb, garbage,
                              sizeof garbage),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_installation_create(&out, desk, admin_pb, sizeof admin_pb,
                                      garbage, sizeof garbage),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_installation_list(&out, desk, admin_pb, sizeof admin_pb,
                                    S("org-1"), garbage, sizeof garbage),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_visit_schedule(&out, desk, admin_pb, sizeof admin_pb, garbage,
                                 sizeof garbage),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_report_compliance(&out, desk, admin_pb, sizeof admin_pb,
                                    garbage, sizeof garbage),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_request_get(&out, desk, garbage, sizeof garbage, S("req-1")),
               SD_INVALID_ARGUMENT); /* a malformed actor */
  CHECK(out.data == NULL);

  /* NULL pointers with a length, NULL outputs, actors without a principal. */
  CHECK_STATUS(sd_request_get(&out, desk, admin_pb, sizeof admin_pb, NULL, 5),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(
      sd_dialog_post(&out, desk, admin_pb, sizeof admin_pb, S("d-1"), NULL, 3),
      SD_INVALID_ARGUMENT);
  CHECK_STATUS(
      sd_request_start(NULL, desk, admin_pb, sizeof admin_pb, S("req-1"), 1),
      SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_dialog_take(NULL, desk, admin_pb, sizeof admin_pb),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_request_get(&out, desk, NULL, 0, S("req-1")),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(
      sd_request_get(&out, desk, admin_pb, sizeof admin_pb, S("req-404")),
      SD_NOT_FOUND);
  CHECK_STATUS(
      sd_dialog_get(&out, desk, admin_pb, sizeof admin_pb, S("dialog-404")),
      SD_NOT_FOUND);
  CHECK_STATUS(
      sd_visit_get(&out, desk, admin_pb, sizeof admin_pb, S("visit-404")),
      SD_NOT_FOUND);

  /* NULL and unknown desk handles. */
  CHECK_STATUS(sd_request_get(&out, NULL, S(kAdmin), S("req-1")),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_request_open(&out, bogus, S(kAdmin), S("{}")),
               SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "desk") != NULL);
  CHECK_STATUS(sd_dialog_take(&out, bogus, S(kAdmin)), SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_dialog_position(&out, NULL, S(kAdmin), S("d-1")),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_installation_get(&out, bogus, S(kAdmin), S("i-1")),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_visit_list(&out, bogus, S(kAdmin), S("r-1"), NULL, 0),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_report_compliance_csv(&out, bogus, S(kAdmin), NULL, 0),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_request_assign_queued(&out, bogus, S(kAdmin), S("c-1")),
               SD_INVALID_ARGUMENT);

  CHECK_STATUS(sd_desk_close(&desk), SD_OK);
  /* A closed desk is an unknown handle too. */
  CHECK_STATUS(sd_request_list(&out, desk, S(kAdmin), NULL, 0),
               SD_INVALID_ARGUMENT);
  /* Malformed JSON on a JSON desk. */
  CHECK_STATUS(sd_request_open(&out, json_desk, S(kAdmin), S("{\"kind\":")),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_visit_schedule(&out, json_desk, S(kAdmin),
                                 S("{\"slotStart\":\"yesterday\"}")),
               SD_INVALID_ARGUMENT);
  CHECK(out.data == NULL);
}

/* A desk opened with options: a one-hour reopen window. */
static void test_reopen_window_option(void) {
  sd_clock *clock = NULL;
  sd_desk *desk = NULL;
  struct world w;
  char json[1024], id[64];
  sd_buffer out = {0};
  int64_t v;

  memset(&w, 0, sizeof w);
  CHECK_STATUS(sd_clock_create(&clock, kMonday1000Msk), SD_OK);
  /* Out of range: refused, naming the field. */
  CHECK_STATUS(
      sd_desk_open_with_options(&desk, S("memory:"), clock, SD_FORMAT_JSON,
                                S("{\"reopenWindow\":\"-1s\"}")),
      SD_INVALID_ARGUMENT);
  /* Named as in the DeskOptions message, not as the C++ struct member. */
  CHECK(strncmp(sd_last_error(), "options.reopen_window: ", 23) == 0);
  CHECK_STATUS(
      sd_desk_open_with_options(&desk, S("memory:"), clock, SD_FORMAT_JSON,
                                S("{\"dialogWaitSamples\":0}")),
      SD_INVALID_ARGUMENT);
  CHECK(strncmp(sd_last_error(), "options.dialog_wait_samples: ", 29) == 0);
  CHECK_STATUS(
      sd_desk_open_with_options(&desk, S("memory:"), clock, SD_FORMAT_JSON,
                                S("{\"sqliteBusyTimeoutMs\":-1}")),
      SD_INVALID_ARGUMENT);
  CHECK(strncmp(sd_last_error(), "options.sqlite_busy_timeout_ms: ", 32) == 0);
  /* Malformed JSON: one line, the parser's reason without its echo. */
  CHECK_STATUS(sd_desk_open_with_options(&desk, S("memory:"), clock,
                                         SD_FORMAT_JSON, S("{\"a\" 1}")),
               SD_INVALID_ARGUMENT);
  CHECK(strncmp(sd_last_error(), "options: malformed JSON", 23) == 0);
  CHECK(strchr(sd_last_error(), '\n') == NULL);
  CHECK_STATUS(sd_desk_open_with_options(&desk, S("memory:"), clock,
                                         SD_FORMAT_JSON, S("{\"nope\":1}")),
               SD_INVALID_ARGUMENT);
  CHECK(desk == NULL);

  CHECK_STATUS(sd_desk_open_with_options(
                   &desk, S("memory:"), clock, SD_FORMAT_JSON,
                   S("{\"reopenWindow\":\"3600s\",\"dialogWaitSamples\":5}")),
               SD_OK);
  seed(desk, &w);
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_HOTLINE_"
           "QUESTION\",\"channel\":\"CHANNEL_PHONE_HOTLINE\","
           "\"subject\":\"Where is the form?\"}",
           w.org);
  CHECK_STATUS(sd_request_open(&out, desk, S(w.contact_actor), S(json)), SD_OK);
  CHECK(json_str(&out, "id", id, sizeof id));
  v = json_version(&out);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_request_respond(&out, desk, S(w.spec_actor), S(id), v, S("Looking.")),
      SD_OK);
  v = json_version(&out);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_request_resolve(&out, desk, S(w.spec_actor), S(id), v,
                                  S("Sent the link.")),
               SD_OK);
  v = json_version(&out);
  sd_buffer_free(&out);
  /* Two hours later the one-hour window has passed (the default is 14 days). */
  CHECK_STATUS(sd_clock_advance(clock, 2 * 3600 * kSec), SD_OK);
  CHECK_STATUS(sd_request_reopen(&out, desk, S(w.contact_actor), S(id), v,
                                 S("One more question")),
               SD_FAILED_PRECONDITION);
  CHECK(strstr(sd_last_error(), "reopen_window") != NULL);
  CHECK(out.data == NULL);
  CHECK_STATUS(sd_desk_close(&desk), SD_OK);
  CHECK_STATUS(sd_clock_destroy(&clock), SD_OK);
}

/* A fresh desk (memory store, JSON records) on a fresh clock at Monday 10:00
 * Moscow, seeded. */
static void open_world(sd_clock **clock, sd_desk **desk, struct world *w) {
  memset(w, 0, sizeof *w);
  CHECK_STATUS(sd_clock_create(clock, kMonday1000Msk), SD_OK);
  CHECK_STATUS(sd_desk_open(desk, S("memory:"), *clock, SD_FORMAT_JSON), SD_OK);
  seed(*desk, w);
}

static void close_world(sd_clock **clock, sd_desk **desk) {
  CHECK_STATUS(sd_desk_close(desk), SD_OK);
  CHECK_STATUS(sd_clock_destroy(clock), SD_OK);
}

/* Opens a request from `draft_json` as `actor`; copies its id (and version). */
static void open_request(sd_desk *desk, const char *actor,
                         const char *draft_json, char *id, size_t cap,
                         int64_t *version) {
  sd_buffer out = {0};
  CHECK_STATUS(sd_request_open(&out, desk, S(actor), S(draft_json)), SD_OK);
  CHECK(json_str(&out, "id", id, cap));
  if (version != NULL) *version = json_version(&out);
  sd_buffer_free(&out);
}

/* The highest event seq the administrator sees (0 when none). */
static int64_t last_seq(sd_desk *desk) {
  sd_buffer out = {0};
  const char *p, *last = NULL;
  int64_t seq = 0;
  CHECK_STATUS(sd_event_list(&out, desk, S(kAdmin), 0, 0), SD_OK);
  for (p = (const char *)out.data; p != NULL && (p = strstr(p, "\"seq\":\""));
       p += 7)
    last = p;
  if (last != NULL) seq = strtoll(last + 7, NULL, 10);
  sd_buffer_free(&out);
  return seq;
}

/* Copies the string `field` of the first clock of kind `clock_kind` (e.g.
 * "CLOCK_KIND_FIRST_RESPONSE") in a v1.ClockList. */
static int clock_field(const sd_buffer *clocks, const char *clock_kind,
                       const char *field, char *out, size_t cap) {
  char pattern[96];
  const char *p;
  sd_buffer rest;
  out[0] = '\0';
  if (clocks->data == NULL) return 0;
  snprintf(pattern, sizeof pattern, "\"kind\":\"%s\"", clock_kind);
  p = strstr((const char *)clocks->data, pattern);
  if (p == NULL) return 0;
  rest.data = (uint8_t *)(uintptr_t)p;
  rest.size = strlen(p);
  return json_str(&rest, field, out, cap);
}

/* Checks `field` of the `clock_kind` clock in two ClockLists: the tighter
 * one's value `tight`, the other's `loose`, and the first tighter (a smaller
 * duration, an earlier RFC 3339 time of the same format). */
static void check_tighter(const sd_buffer *tighter, const sd_buffer *other,
                          const char *clock_kind, const char *field,
                          const char *tight, const char *loose) {
  char t[64], o[64];
  CHECK(clock_field(tighter, clock_kind, field, t, sizeof t));
  CHECK(clock_field(other, clock_kind, field, o, sizeof o));
  CHECK(strcmp(t, tight) == 0);
  CHECK(strcmp(o, loose) == 0);
  if (strcmp(field, "duration") == 0)
    CHECK(strtoll(t, NULL, 10) < strtoll(o, NULL, 10));
  else
    CHECK(strcmp(t, o) < 0);
}

/* The head of another center is refused every read and write of the first
 * center's requests, dialogs and reports; lists show only their own center. */
static void test_other_center_staff_refused(void) {
  sd_clock *clock = NULL;
  sd_desk *desk = NULL;
  struct world w;
  char json[1024], id[64], spb_id[64], dialog[64], head_actor[128],
      other_head_actor[128], center_field[128], other_center_field[128],
      report_query[256];
  sd_buffer out = {0};
  int64_t v, spb_v;

  open_world(&clock, &desk, &w);
  snprintf(head_actor, sizeof head_actor, "{\"staffId\":\"%s\"}", w.head);
  snprintf(other_head_actor, sizeof other_head_actor, "{\"staffId\":\"%s\"}",
           w.other_head);
  snprintf(center_field, sizeof center_field, "\"centerId\":\"%s\"", w.center);
  snprintf(other_center_field, sizeof other_center_field, "\"centerId\":\"%s\"",
           w.other_center);

  /* A Moscow hotline question, a Spb one, and a waiting Moscow dialog. */
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_HOTLINE_"
           "QUESTION\",\"channel\":\"CHANNEL_PHONE_HOTLINE\","
           "\"subject\":\"Moscow question\"}",
           w.org);
  open_request(desk, w.contact_actor, json, id, sizeof id, &v);
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_HOTLINE_"
           "QUESTION\",\"channel\":\"CHANNEL_PHONE_HOTLINE\","
           "\"subject\":\"Spb question\"}",
           w.other_org);
  open_request(desk, w.other_contact_actor, json, spb_id, sizeof spb_id,
               &spb_v);
  CHECK_STATUS(sd_dialog_open(&out, desk, S(w.contact_actor), S("VAT refunds"),
                              S("Where is the new VAT refund form?")),
               SD_OK);
  CHECK(json_str(&out, "id", dialog, sizeof dialog));
  sd_buffer_free(&out);
  snprintf(report_query, sizeof report_query,
           "{\"from\":\"2025-03-01T00:00:00Z\",\"to\":\"2025-03-10T00:00:00Z\","
           "\"centerId\":\"%s\"}",
           w.center);

  /* The Moscow head may do all of it (the refusals below are about the
   * center, not the calls). */
  CHECK_STATUS(sd_request_get(&out, desk, S(head_actor), S(id)), SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_request_queue(&out, desk, S(head_actor), S(w.center), NULL, 0), SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_dialog_get(&out, desk, S(head_actor), S(dialog)), SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_dialog_position(&out, desk, S(head_actor), S(dialog)), SD_OK);
  CHECK(has(&out, "\"position\":1"));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_report_compliance(&out, desk, S(head_actor), S(report_query)),
               SD_OK);
  sd_buffer_free(&out);

  /* The Spb head: requests. */
  CHECK_STATUS(sd_request_get(&out, desk, S(other_head_actor), S(id)),
               SD_PERMISSION_DENIED);
  CHECK(out.data == NULL);
  snprintf(json, sizeof json, "{\"centerId\":\"%s\"}", w.center);
  CHECK_STATUS(sd_request_list(&out, desk, S(other_head_actor), S(json)),
               SD_PERMISSION_DENIED);
  CHECK(out.data == NULL);
  /* Naming a Moscow organisation or staff member finds nothing. */
  snprintf(json, sizeof json, "{\"organizationId\":\"%s\"}", w.org);
  CHECK_STATUS(sd_request_list(&out, desk, S(other_head_actor), S(json)),
               SD_OK);
  CHECK(count(&out, "\"subject\"") == 0);
  sd_buffer_free(&out);
  snprintf(json, sizeof json, "{\"assigneeId\":\"%s\"}", w.spec);
  CHECK_STATUS(sd_request_list(&out, desk, S(other_head_actor), S(json)),
               SD_OK);
  CHECK(count(&out, "\"subject\"") == 0);
  sd_buffer_free(&out);
  /* Without a filter: only Spb's own request. */
  CHECK_STATUS(sd_request_list(&out, desk, S(other_head_actor), NULL, 0),
               SD_OK);
  CHECK(count(&out, "\"subject\"") == 1);
  CHECK(has(&out, spb_id));
  CHECK(!has(&out, id));
  CHECK(!has(&out, center_field));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_request_respond(&out, desk, S(other_head_actor), S(id), v,
                                  S("Answered from Spb")),
               SD_PERMISSION_DENIED);
  CHECK(out.data == NULL);
  CHECK_STATUS(
      sd_request_queue(&out, desk, S(other_head_actor), S(w.center), NULL, 0),
      SD_PERMISSION_DENIED);
  CHECK(out.data == NULL);

  /* Dialogs. */
  CHECK_STATUS(sd_dialog_get(&out, desk, S(other_head_actor), S(dialog)),
               SD_PERMISSION_DENIED);
  CHECK_STATUS(sd_dialog_take(&out, desk, S(other_head_actor)),
               SD_PERMISSION_DENIED);
  CHECK_STATUS(
      sd_dialog_take_specific(&out, desk, S(other_head_actor), S(dialog)),
      SD_PERMISSION_DENIED);
  CHECK_STATUS(sd_dialog_position(&out, desk, S(other_head_actor), S(dialog)),
               SD_PERMISSION_DENIED);
  CHECK(out.data == NULL);

  /* Reports: the first center's is refused; without a center, only Spb. */
  CHECK_STATUS(
      sd_report_compliance(&out, desk, S(other_head_actor), S(report_query)),
      SD_PERMISSION_DENIED);
  CHECK_STATUS(sd_report_compliance_csv(&out, desk, S(other_head_actor),
                                        S(report_query)),
               SD_PERMISSION_DENIED);
  CHECK(out.data == NULL);
  CHECK_STATUS(sd_report_compliance(
                   &out, desk, S(other_head_actor),
                   S("{\"from\":\"2025-03-01T00:00:00Z\","
                     "\"to\":\"2025-03-10T00:00:00Z\",\"byCenter\":true}")),
               SD_OK);
  CHECK(count(&out, "\"requests\"") == 1);
  CHECK(has(&out, other_center_field));
  CHECK(!has(&out, center_field));
  sd_buffer_free(&out);

  /* Nothing was written. */
  CHECK_STATUS(sd_request_get(&out, desk, S(kAdmin), S(id)), SD_OK);
  CHECK(json_version(&out) == v);
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_ASSIGNED\""));
  sd_buffer_free(&out);
  CHECK_STATUS(sd_dialog_get(&out, desk, S(kAdmin), S(dialog)), SD_OK);
  CHECK(has(&out, "\"state\":\"DIALOG_STATE_WAITING\""));
  sd_buffer_free(&out);
  close_world(&clock, &desk);
}

/* TECH_EMERGENCY (system down) has tighter targets than TECH_RECOVERY: 15
 * min / 4 h around the clock against 1 h / 8 business hours. */
static void test_emergency_target_is_tighter(void) {
  sd_clock *clock = NULL;
  sd_desk *desk = NULL;
  struct world w;
  char json[1024], inst[64], emergency[64], recovery[64];
  sd_buffer e_clocks = {0}, r_clocks = {0};

  open_world(&clock, &desk, &w);
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"productVersion\":\"2025.1\","
           "\"workstations\":3,\"address\":\"Moscow, Tverskaya 1\"}",
           w.org);
  create(sd_installation_create, desk, json, inst, sizeof inst);
  /* Both opened on Monday 10:00 Moscow (07:00Z). */
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_TECH_"
           "EMERGENCY\",\"channel\":\"CHANNEL_PHONE_HOTLINE\","
           "\"subject\":\"The system is down\",\"installationId\":\"%s\"}",
           w.org, inst);
  open_request(desk, w.contact_actor, json, emergency, sizeof emergency, NULL);
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_TECH_"
           "RECOVERY\",\"channel\":\"CHANNEL_PHONE_HOTLINE\","
           "\"subject\":\"Recover after a disk crash\","
           "\"installationId\":\"%s\"}",
           w.org, inst);
  open_request(desk, w.contact_actor, json, recovery, sizeof recovery, NULL);

  CHECK_STATUS(sd_sla_clocks(&e_clocks, desk, S(kAdmin), S(emergency)), SD_OK);
  CHECK_STATUS(sd_sla_clocks(&r_clocks, desk, S(kAdmin), S(recovery)), SD_OK);
  CHECK(count(&e_clocks, "\"kind\":\"CLOCK_KIND_") == 2);
  CHECK(count(&r_clocks, "\"kind\":\"CLOCK_KIND_") == 2);

  /* First response: 15 min against 1 h. */
  check_tighter(&e_clocks, &r_clocks, "CLOCK_KIND_FIRST_RESPONSE", "duration",
                "900s", "3600s");
  check_tighter(&e_clocks, &r_clocks, "CLOCK_KIND_FIRST_RESPONSE", "dueAt",
                "2025-03-03T07:15:00Z", "2025-03-03T08:00:00Z");
  /* Resolution: 4 h against 8 business hours (Monday 10:00-18:00). */
  check_tighter(&e_clocks, &r_clocks, "CLOCK_KIND_RESOLUTION", "duration",
                "14400s", "28800s");
  check_tighter(&e_clocks, &r_clocks, "CLOCK_KIND_RESOLUTION", "dueAt",
                "2025-03-03T11:00:00Z", "2025-03-03T15:00:00Z");
  sd_buffer_free(&e_clocks);
  sd_buffer_free(&r_clocks);
  close_world(&clock, &desk);
}

/* Nobody in the center may take a training request (no trainer): it is
 * queued, and a "queued" event names the center's head and why. */
static void test_queued_event_names_the_head(void) {
  sd_clock *clock = NULL;
  sd_desk *desk = NULL;
  struct world w;
  char json[1024], id[64], other_id[64], value[256];
  sd_buffer out = {0};
  int64_t seq;

  open_world(&clock, &desk, &w);
  seq = last_seq(desk);
  CHECK(seq > 0);
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_TRAINING_"
           "REQUEST\",\"channel\":\"CHANNEL_EMAIL\","
           "\"subject\":\"Train our new accountant\"}",
           w.org);
  CHECK_STATUS(sd_request_open(&out, desk, S(w.contact_actor), S(json)), SD_OK);
  CHECK(json_str(&out, "id", id, sizeof id));
  CHECK(has(&out, "\"state\":\"REQUEST_STATE_NEW\""));
  CHECK(!has(&out, "\"assigneeId\""));
  sd_buffer_free(&out);

  /* The events of that call: exactly one "queued", about the request. */
  CHECK_STATUS(sd_event_list(&out, desk, S(kAdmin), seq, 0), SD_OK);
  CHECK(count(&out, "\"action\":\"queued\"") == 1);
  CHECK(json_str(&out, "center_heads", value, sizeof value));
  CHECK(strcmp(value, w.head) == 0);
  CHECK(json_str(&out, "reason", value, sizeof value));
  CHECK(strstr(value, "STAFF_ROLE_TRAINER") != NULL);
  CHECK(strstr(value, "training") != NULL);
  {
    /* The entity of the queued event is the request. */
    const char *q = strstr((const char *)out.data, "\"action\":\"queued\"");
    const char *e = q;
    char eid[64];
    sd_buffer obj;
    while (e != NULL && e > (const char *)out.data &&
           strncmp(e, "\"entityId\"", 10) != 0)
      --e;
    obj.data = (uint8_t *)(uintptr_t)e;
    obj.size = e != NULL ? strlen(e) : 0;
    CHECK(e != NULL && json_str(&obj, "entityId", eid, sizeof eid) &&
          strcmp(eid, id) == 0);
  }
  sd_buffer_free(&out);

  /* In the queue; the Spb head is named for a Spb request. */
  CHECK_STATUS(sd_request_queue(&out, desk, S(kAdmin), S(w.center), NULL, 0),
               SD_OK);
  CHECK(count(&out, "\"subject\"") == 1 && has(&out, id));
  sd_buffer_free(&out);
  seq = last_seq(desk);
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"kind\":\"SERVICE_KIND_TRAINING_"
           "REQUEST\",\"channel\":\"CHANNEL_EMAIL\","
           "\"subject\":\"Train us too\"}",
           w.other_org);
  open_request(desk, w.other_contact_actor, json, other_id, sizeof other_id,
               NULL);
  CHECK_STATUS(sd_event_list(&out, desk, S(kAdmin), seq, 0), SD_OK);
  CHECK(count(&out, "\"action\":\"queued\"") == 1);
  CHECK(json_str(&out, "center_heads", value, sizeof value));
  CHECK(strcmp(value, w.other_head) == 0);
  sd_buffer_free(&out);
  close_world(&clock, &desk);
}

int main(void) {
  sd_clock *clock = NULL;
  sd_desk *desk = NULL;
  struct world w;

  memset(&w, 0, sizeof w);
  CHECK_STATUS(sd_clock_create(&clock, kMonday1000Msk), SD_OK);
  CHECK_STATUS(sd_desk_open(&desk, S("memory:"), clock, SD_FORMAT_JSON), SD_OK);
  seed(desk, &w);
  test_request_lifecycle(desk, clock, &w);
  test_request_assign(desk, &w);
  test_page_token_bound_to_query(desk, &w);
  test_dialog(desk, clock, &w);
  test_techsupport(desk, clock, &w);
  test_report(desk, &w);
  test_bad_input(desk);
  test_reopen_window_option();
  test_other_center_staff_refused();
  test_emergency_target_is_tighter();
  test_queued_event_names_the_head();
  CHECK_STATUS(sd_desk_close(&desk), SD_OK);
  CHECK_STATUS(sd_clock_destroy(&clock), SD_OK);

  if (g_failures > 0) {
    fprintf(stderr, "%d check(s) failed\n", g_failures);
    return 1;
  }
  puts("c_requests_test: all checks passed");
  return 0;
}
