/* End-to-end test of the servicedesk C ABI, compiled as C11 and linked
 * against the shared libservicedesk. Runs under valgrind in ctest. */
/* mkdtemp */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test_util.h"
#include "servicedesk/c.h"

/* 2025-03-03 (a Monday) 09:00 Moscow time = 06:00 UTC. */
static const int64_t kMonday0900Msk = 1740981600LL * 1000000000LL;

static void on_event(const void *event, size_t len, void *payload) {
  int *counter = (int *)payload;
  /* JSON desk: the event is a JSON object. */
  if (len > 0 && ((const char *)event)[0] == '{') ++*counter;
}

static const char *kAdmin = "{\"admin\":\"root\"}";

static void test_versions(void) {
  int major = -1, minor = -1, patch = -1;
  char expected[32];
  sd_version_numbers(&major, &minor, &patch);
  CHECK(major == SD_VERSION_MAJOR);
  CHECK(minor == SD_VERSION_MINOR);
  CHECK(patch == SD_VERSION_PATCH);
  snprintf(expected, sizeof expected, "%d.%d.%d", major, minor, patch);
  CHECK(strcmp(sd_version(), expected) == 0);
  CHECK(strcmp(sd_version(), SD_VERSION_STRING) == 0);
  CHECK(strcmp(sd_status_name(SD_OK), "OK") == 0);
  CHECK(strcmp(sd_status_name(SD_ABORTED), "ABORTED") == 0);
  CHECK(strcmp(sd_status_name(SD_UNAUTHENTICATED), "UNAUTHENTICATED") == 0);
  CHECK(strcmp(sd_status_name(99), "UNKNOWN_STATUS") == 0);
  CHECK(sd_last_error() != NULL);
  sd_version_numbers(NULL, NULL, NULL);
}

static void test_clock(void) {
  sd_clock *clock = NULL;
  int64_t now = 0;
  CHECK_STATUS(sd_clock_create(&clock, kMonday0900Msk), SD_OK);
  CHECK_STATUS(sd_clock_now(&now, clock), SD_OK);
  CHECK(now == kMonday0900Msk);
  CHECK_STATUS(sd_clock_advance(clock, 90 * kSec), SD_OK);
  CHECK_STATUS(sd_clock_now(&now, clock), SD_OK);
  CHECK(now == kMonday0900Msk + 90 * kSec);
  CHECK_STATUS(sd_clock_set(clock, 5), SD_OK);
  CHECK_STATUS(sd_clock_now(&now, clock), SD_OK);
  CHECK(now == 5);
  /* The clock cannot leave int64 nanoseconds: it would wrap to the other
   * end; refused, it stays where it was. */
  CHECK_STATUS(sd_clock_set(clock, INT64_MAX - 5), SD_OK);
  CHECK_STATUS(sd_clock_advance(clock, 100), SD_OUT_OF_RANGE);
  CHECK(strstr(sd_last_error(), "nanos") != NULL);
  CHECK_STATUS(sd_clock_now(&now, clock), SD_OK);
  CHECK(now == INT64_MAX - 5);
  CHECK_STATUS(sd_clock_advance(clock, 5), SD_OK);
  CHECK_STATUS(sd_clock_now(&now, clock), SD_OK);
  CHECK(now == INT64_MAX);
  CHECK_STATUS(sd_clock_set(clock, INT64_MIN + 5), SD_OK);
  CHECK_STATUS(sd_clock_advance(clock, -6), SD_OUT_OF_RANGE);
  CHECK_STATUS(sd_clock_now(&now, clock), SD_OK);
  CHECK(now == INT64_MIN + 5);
  CHECK_STATUS(sd_clock_destroy(&clock), SD_OK);
  CHECK(clock == NULL);
  CHECK_STATUS(sd_clock_destroy(&clock), SD_OK); /* *clock == NULL */
  CHECK_STATUS(sd_clock_destroy(NULL), SD_OK);
}

/* Everything a desk does, through JSON records. */
static void test_desk_json(void) {
  sd_clock *clock = NULL;
  sd_desk *desk = NULL;
  sd_buffer out = {0};
  char center_id[64], head_id[64], manager2_id[64], org_id[64], contact_id[64],
      cal_id[64], version[16];
  char contact_actor[128], json[1024];
  int events_seen = 0;
  int64_t sub = 0, now = 0;
  size_t before_len;

  CHECK_STATUS(sd_clock_create(&clock, kMonday0900Msk), SD_OK);
  CHECK_STATUS(sd_desk_open(&desk, S("memory:"), clock, SD_FORMAT_JSON), SD_OK);
  CHECK(desk != NULL);
  /* The desk shares the clock: it may be destroyed first. */
  CHECK_STATUS(sd_clock_advance(clock, 60 * kSec), SD_OK);
  CHECK_STATUS(sd_desk_now(&now, desk), SD_OK);
  CHECK(now == kMonday0900Msk + 60 * kSec);

  CHECK_STATUS(sd_event_subscribe(&sub, desk, on_event, &events_seen), SD_OK);

  /* Centers. */
  CHECK_STATUS(sd_center_create(&out, desk, S(kAdmin),
                                S("{\"code\":\"MSK-01\",\"name\":\"Moscow\","
                                  "\"region\":\"Moscow\","
                                  "\"timeZone\":\"Europe/Moscow\"}")),
               SD_OK);
  CHECK(json_str(&out, "id", center_id, sizeof center_id));
  CHECK(strstr((const char *)out.data, "\"code\":\"MSK-01\"") != NULL);
  CHECK(out.data[out.size] == '\0');
  sd_buffer_free(&out);
  CHECK(out.data == NULL && out.size == 0);
  CHECK(events_seen == 1);

  CHECK_STATUS(sd_center_get_by_code(&out, desk, S(kAdmin), S("MSK-01")),
               SD_OK);
  CHECK(count(&out, center_id) == 1);
  sd_buffer_free(&out);
  /* A NUL inside a text argument is refused naming it, not cut short. */
  CHECK_STATUS(sd_center_get_by_code(&out, desk, S(kAdmin), "MSK\0-01", 7),
               SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "code: must not contain NUL") != NULL);
  {
    sd_desk *other = NULL;
    CHECK_STATUS(
        sd_desk_open(&other, "memory:ab\0cd", 12, NULL, SD_FORMAT_JSON),
        SD_INVALID_ARGUMENT);
    CHECK(strstr(sd_last_error(), "uri: must not contain NUL") != NULL);
    CHECK(other == NULL);
  }

  /* Invalid input names the field and writes nothing. */
  CHECK_STATUS(sd_center_create(&out, desk, S(kAdmin),
                                S("{\"code\":\"bad code\",\"name\":\"X\","
                                  "\"region\":\"X\","
                                  "\"timeZone\":\"Europe/Moscow\"}")),
               SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "code") != NULL);
  CHECK(out.data == NULL);
  CHECK_STATUS(sd_center_list(&out, desk, S(kAdmin), NULL, 0), SD_OK);
  CHECK(count(&out, "\"code\":") == 1);
  sd_buffer_free(&out);
  CHECK(events_seen == 1);

  /* Staff: a center head who is also a personal manager, and a second
   * manager. */
  snprintf(json, sizeof json,
           "{\"centerId\":\"%s\",\"fullName\":\"Anna Head\","
           "\"email\":\"anna@example.com\",\"phone\":\"+7 495 111-22-33\","
           "\"roles\":[\"STAFF_ROLE_CENTER_HEAD\","
           "\"STAFF_ROLE_PERSONAL_MANAGER\"]}",
           center_id);
  CHECK_STATUS(sd_staff_create(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(json_str(&out, "id", head_id, sizeof head_id));
  sd_buffer_free(&out);
  snprintf(json, sizeof json,
           "{\"centerId\":\"%s\",\"fullName\":\"Boris Manager\","
           "\"email\":\"boris@example.com\",\"phone\":\"+7 495 111-22-44\","
           "\"roles\":[\"STAFF_ROLE_PERSONAL_MANAGER\"]}",
           center_id);
  CHECK_STATUS(sd_staff_create(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(json_str(&out, "id", manager2_id, sizeof manager2_id));
  sd_buffer_free(&out);
  snprintf(json, sizeof json, "{\"centerId\":\"%s\"}", center_id);
  CHECK_STATUS(sd_staff_list(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(count(&out, "\"fullName\"") == 2);
  sd_buffer_free(&out);

  /* Organisation with its first manager, then a contact. */
  snprintf(json, sizeof json,
           "{\"name\":\"Horns and Hooves\",\"taxId\":\"7707083893\","
           "\"tier\":\"CLIENT_TIER_PREMIUM\",\"centerId\":\"%s\","
           "\"topics\":[\"PROFILE_TOPIC_ACCOUNTING\"]}",
           center_id);
  CHECK_STATUS(sd_organization_create(&out, desk, S(kAdmin), S(json),
                                      S(head_id), NULL, 0),
               SD_OK);
  CHECK(json_str(&out, "id", org_id, sizeof org_id));
  sd_buffer_free(&out);
  snprintf(json, sizeof json,
           "{\"organizationId\":\"%s\",\"fullName\":\"Olga Client\","
           "\"email\":\"olga@horns.example\",\"phone\":\"+7 999 000-11-22\"}",
           org_id);
  CHECK_STATUS(sd_contact_create(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(json_str(&out, "id", contact_id, sizeof contact_id));
  sd_buffer_free(&out);
  snprintf(json, sizeof json, "{\"organizationId\":\"%s\"}", org_id);
  CHECK_STATUS(sd_contact_list(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(count(&out, contact_id) == 1);
  sd_buffer_free(&out);

  /* A client contact may not create centers: refused, nothing written. */
  snprintf(contact_actor, sizeof contact_actor, "{\"contactId\":\"%s\"}",
           contact_id);
  CHECK_STATUS(sd_center_create(&out, desk, S(contact_actor),
                                S("{\"code\":\"SPB-01\",\"name\":\"Spb\","
                                  "\"region\":\"Spb\","
                                  "\"timeZone\":\"Europe/Moscow\"}")),
               SD_PERMISSION_DENIED);
  CHECK(out.data == NULL);
  CHECK_STATUS(sd_center_get_by_code(&out, desk, S(kAdmin), S("SPB-01")),
               SD_NOT_FOUND);
  /* The contact sees its own organisation. */
  CHECK_STATUS(sd_organization_get(&out, desk, S(contact_actor), S(org_id)),
               SD_OK);
  sd_buffer_free(&out);

  /* Optimistic versions: a stale update is ABORTED. */
  CHECK_STATUS(sd_center_get(&out, desk, S(kAdmin), S(center_id)), SD_OK);
  CHECK(json_str(&out, "version", version, sizeof version));
  CHECK(strcmp(version, "1") == 0);
  sd_buffer_free(&out);
  snprintf(json, sizeof json,
           "{\"id\":\"%s\",\"version\":\"1\",\"code\":\"MSK-01\","
           "\"name\":\"Moscow center\",\"region\":\"Moscow\","
           "\"timeZone\":\"Europe/Moscow\"}",
           center_id);
  CHECK_STATUS(sd_center_update(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(json_str(&out, "version", version, sizeof version));
  CHECK(strcmp(version, "2") == 0);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_center_update(&out, desk, S(kAdmin), S(json)), SD_ABORTED);

  /* Managers: reassign, current, at, history, clients. */
  CHECK_STATUS(sd_clock_advance(clock, 3600 * kSec), SD_OK);
  CHECK_STATUS(sd_manager_reassign(&out, desk, S(kAdmin), S(org_id),
                                   S(manager2_id), S("")),
               SD_INVALID_ARGUMENT); /* empty reason */
  CHECK(strstr(sd_last_error(), "reason") != NULL);
  CHECK_STATUS(sd_manager_reassign(&out, desk, S(kAdmin), S(org_id),
                                   S(manager2_id), S("vacation")),
               SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_manager_current(&out, desk, S(kAdmin), S(org_id)), SD_OK);
  CHECK(count(&out, manager2_id) == 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_manager_at(&out, desk, S(kAdmin), S(org_id),
                             kMonday0900Msk + 120 * kSec),
               SD_OK);
  CHECK(count(&out, head_id) == 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_manager_history(&out, desk, S(kAdmin), S(org_id)), SD_OK);
  CHECK(count(&out, "\"managerId\"") == 2);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_manager_clients(&out, desk, S(kAdmin), S(manager2_id), NULL, 0),
      SD_OK);
  CHECK(count(&out, org_id) >= 1);
  sd_buffer_free(&out);

  /* Events: the subscription saw every commit; the log lists them. */
  CHECK(events_seen >= 6);
  CHECK_STATUS(sd_event_list(&out, desk, S(kAdmin), 0, 0), SD_OK);
  CHECK(count(&out, "\"seq\"") == events_seen);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_event_unsubscribe(desk, sub), SD_OK);
  before_len = (size_t)events_seen;
  snprintf(json, sizeof json,
           "{\"id\":\"%s\",\"version\":\"2\",\"code\":\"MSK-01\","
           "\"name\":\"Moscow\",\"region\":\"Moscow\","
           "\"timeZone\":\"Europe/Moscow\"}",
           center_id);

  /* Stored calendars, then the center uses one. */
  CHECK_STATUS(
      sd_stored_calendar_create(
          &out, desk, S(kAdmin),
          S("{\"id\":\"msk-5x8\",\"name\":\"Moscow 5x8\","
            "\"timeZone\":\"Europe/Moscow\",\"weekly\":["
            "{\"weekday\":\"MONDAY\",\"intervals\":[{\"startSeconds\":32400,"
            "\"endSeconds\":64800}]},"
            "{\"weekday\":\"TUESDAY\",\"intervals\":[{\"startSeconds\":32400,"
            "\"endSeconds\":64800}]},"
            "{\"weekday\":\"WEDNESDAY\",\"intervals\":[{\"startSeconds\":"
            "32400,\"endSeconds\":64800}]},"
            "{\"weekday\":\"THURSDAY\",\"intervals\":[{\"startSeconds\":32400,"
            "\"endSeconds\":64800}]},"
            "{\"weekday\":\"FRIDAY\",\"intervals\":[{\"startSeconds\":32400,"
            "\"endSeconds\":64800}]},"
            "{\"weekday\":\"SATURDAY\"},{\"weekday\":\"SUNDAY\"}]}")),
      SD_OK);
  CHECK(json_str(&out, "id", cal_id, sizeof cal_id));
  CHECK(strcmp(cal_id, "msk-5x8") == 0);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_stored_calendar_get(&out, desk, S(kAdmin), S(cal_id)), SD_OK);
  CHECK(count(&out, "MONDAY") == 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_stored_calendar_list(&out, desk, S(kAdmin), NULL, 0), SD_OK);
  CHECK(count(&out, "msk-5x8") == 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_stored_calendar_update(
                   &out, desk, S(kAdmin),
                   S("{\"id\":\"msk-5x8\",\"version\":\"7\",\"name\":\"x\","
                     "\"timeZone\":\"Europe/Moscow\",\"alwaysOpen\":true}")),
               SD_ABORTED);
  /* Only administrators write calendars. */
  CHECK_STATUS(
      sd_stored_calendar_create(&out, desk, S(contact_actor),
                                S("{\"name\":\"x\",\"timeZone\":\"UTC\","
                                  "\"alwaysOpen\":true}")),
      SD_PERMISSION_DENIED);
  {
    sd_calendar *loaded = NULL;
    int64_t due = 0;
    CHECK_STATUS(sd_stored_calendar_load(&loaded, desk, S(kAdmin), S(cal_id)),
                 SD_OK);
    /* Monday 17:00 MSK + 2h business = Tuesday 10:00 MSK. */
    CHECK_STATUS(sd_calendar_add(&due, loaded, kMonday0900Msk + 8 * 3600 * kSec,
                                 2 * 3600 * kSec),
                 SD_OK);
    CHECK(due == kMonday0900Msk + 25 * 3600 * kSec);
    CHECK_STATUS(sd_calendar_destroy(&loaded), SD_OK);
  }
  snprintf(json, sizeof json,
           "{\"id\":\"%s\",\"version\":\"2\",\"code\":\"MSK-01\","
           "\"name\":\"Moscow\",\"region\":\"Moscow\","
           "\"timeZone\":\"Europe/Moscow\",\"calendarId\":\"%s\"}",
           center_id, cal_id);
  CHECK_STATUS(sd_center_update(&out, desk, S(kAdmin), S(json)), SD_OK);
  sd_buffer_free(&out);
  CHECK(events_seen == (int)before_len); /* unsubscribed */
  /* The hotline's own hours must name a stored calendar. */
  snprintf(json, sizeof json,
           "{\"id\":\"%s\",\"version\":\"3\",\"code\":\"MSK-01\","
           "\"name\":\"Moscow\",\"region\":\"Moscow\","
           "\"timeZone\":\"Europe/Moscow\",\"calendarId\":\"%s\","
           "\"hotlineCalendarId\":\"%s\"}",
           center_id, cal_id, "no-such-calendar");
  CHECK_STATUS(sd_center_update(&out, desk, S(kAdmin), S(json)), SD_NOT_FOUND);
  CHECK(strstr(sd_last_error(), "hotline_calendar_id") != NULL);
  snprintf(json, sizeof json,
           "{\"id\":\"%s\",\"version\":\"3\",\"code\":\"MSK-01\","
           "\"name\":\"Moscow\",\"region\":\"Moscow\","
           "\"timeZone\":\"Europe/Moscow\",\"calendarId\":\"%s\","
           "\"hotlineCalendarId\":\"%s\"}",
           center_id, cal_id, cal_id);
  CHECK_STATUS(sd_center_update(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(out.data != NULL &&
        strstr((const char *)out.data, "hotlineCalendarId") != NULL);
  sd_buffer_free(&out);

  /* SLA: catalog, policy, targets, clocks, tick. */
  CHECK_STATUS(sd_sla_catalog(&out, SD_FORMAT_JSON), SD_OK);
  CHECK(count(&out, "SERVICE_KIND_HOTLINE_QUESTION") == 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_sla_get_policy(&out, desk, S(kAdmin)), SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_sla_set_policy(&out, desk, S(contact_actor),
                        S("{\"name\":\"p\",\"rules\":[{\"name\":\"r\","
                          "\"resolution\":{\"duration\":\"3600s\"},"
                          "\"firstResponse\":{\"duration\":\"60s\"}}]}")),
      SD_PERMISSION_DENIED);
  CHECK_STATUS(
      sd_sla_set_policy(&out, desk, S(kAdmin),
                        S("{\"name\":\"p\",\"rules\":[{\"name\":\"urgent\","
                          "\"priorities\":[\"PRIORITY_URGENT\"],"
                          "\"firstResponse\":{\"duration\":\"-60s\"},"
                          "\"resolution\":{\"duration\":\"3600s\"}}]}")),
      SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "rules[0]") != NULL);
  CHECK_STATUS(sd_sla_get_policy(&out, desk, S(kAdmin)), SD_OK);
  CHECK(count(&out, "urgent") == 0); /* nothing written */
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_sla_set_policy(&out, desk, S(kAdmin),
                        S("{\"name\":\"p\",\"rules\":[{\"name\":\"urgent\","
                          "\"priorities\":[\"PRIORITY_URGENT\"],"
                          "\"firstResponse\":{\"duration\":\"600s\"},"
                          "\"resolution\":{\"duration\":\"7200s\"}}]}")),
      SD_OK);
  sd_buffer_free(&out);
  snprintf(json, sizeof json,
           "{\"kind\":\"SERVICE_KIND_HOTLINE_QUESTION\","
           "\"channel\":\"CHANNEL_PHONE_HOTLINE\","
           "\"priority\":\"PRIORITY_URGENT\",\"tier\":2,\"centerId\":\"%s\","
           "\"organizationId\":\"%s\"}",
           center_id, org_id);
  CHECK_STATUS(sd_sla_resolve_targets(&out, desk, S(kAdmin), S(json)), SD_OK);
  CHECK(count(&out, "\"ruleName\":\"urgent\"") == 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_sla_start_clocks(&out, desk, S(kAdmin), S("case-1"), S(json),
                                   kMonday0900Msk),
               SD_OK);
  CHECK(count(&out, "CLOCK_KIND_FIRST_RESPONSE") == 1);
  CHECK(count(&out, "CLOCK_KIND_RESOLUTION") == 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_sla_start_clocks(&out, desk, S(kAdmin), S("case-1"), S(json),
                                   kMonday0900Msk),
               SD_ALREADY_EXISTS);
  CHECK_STATUS(sd_sla_pause(&out, desk, S(kAdmin), S("case-1"),
                            kMonday0900Msk + 300 * kSec),
               SD_OK);
  CHECK(count(&out, "CLOCK_STATE_PAUSED") >= 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_sla_resume(&out, desk, S(kAdmin), S("case-1"),
                             kMonday0900Msk + 600 * kSec),
               SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_sla_stop(&out, desk, S(kAdmin), S("case-1"),
                           1 /* CLOCK_KIND_FIRST_RESPONSE */,
                           kMonday0900Msk + 700 * kSec),
               SD_OK);
  CHECK(count(&out, "\"met\":true") == 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_sla_stop(&out, desk, S(kAdmin), S("case-1"), 42, 0),
               SD_INVALID_ARGUMENT);
  snprintf(json, sizeof json,
           "{\"kind\":\"SERVICE_KIND_HOTLINE_QUESTION\","
           "\"channel\":\"CHANNEL_PHONE_HOTLINE\","
           "\"priority\":\"PRIORITY_NORMAL\",\"tier\":2,\"centerId\":\"%s\","
           "\"organizationId\":\"%s\"}",
           center_id, org_id);
  CHECK_STATUS(sd_sla_recompute(&out, desk, S(kAdmin), S("case-1"), S(json)),
               SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_sla_clocks(&out, desk, S(kAdmin), S("case-1")), SD_OK);
  CHECK(count(&out, "\"subjectId\":\"case-1\"") >= 2);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_sla_tick(&out, desk, S(contact_actor), kMonday0900Msk, 0),
               SD_PERMISSION_DENIED);
  CHECK_STATUS(sd_sla_tick(&out, desk, S("{\"system\":\"scheduler\"}"),
                           kMonday0900Msk + 7 * 24 * 3600 * kSec, 0),
               SD_OK);
  CHECK(count(&out, "sla.") >= 1); /* the resolution clock breached */
  sd_buffer_free(&out);
  /* The infinite future is no instant anything happens at. */
  CHECK_STATUS(
      sd_sla_tick(&out, desk, S("{\"system\":\"scheduler\"}"), INT64_MAX, 0),
      SD_INVALID_ARGUMENT);
  CHECK(strncmp(sd_last_error(), "now:", 4) == 0);
  CHECK_STATUS(sd_sla_pause(&out, desk, S(kAdmin), S("case-1"), INT64_MAX),
               SD_INVALID_ARGUMENT);
  CHECK(strncmp(sd_last_error(), "at:", 3) == 0);

  /* Deactivations. */
  CHECK_STATUS(sd_contact_deactivate(&out, desk, S(kAdmin), S(contact_id)),
               SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_organization_deactivate(&out, desk, S(kAdmin), S(org_id), NULL, 0),
      SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_staff_deactivate(&out, desk, S(kAdmin), S(manager2_id)),
               SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_staff_deactivate(&out, desk, S(kAdmin), S(head_id)), SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_center_deactivate(&out, desk, S(kAdmin), S(center_id)),
               SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_organization_list(&out, desk, S(kAdmin), NULL, 0), SD_OK);
  CHECK(count(&out, org_id) == 0);
  sd_buffer_free(&out);

  CHECK_STATUS(sd_clock_destroy(&clock), SD_OK);
  CHECK_STATUS(sd_desk_now(&now, desk), SD_OK); /* clock still alive */
  CHECK_STATUS(sd_desk_close(&desk), SD_OK);
  CHECK(desk == NULL);
}

static void test_calendars(void) {
  sd_calendar *cal = NULL, *russia = NULL, *always = NULL, *text = NULL;
  sd_buffer out = {0};
  int64_t t = 0;
  int open = -1;
  int32_t years[64];
  size_t n = 0, i;
  const int64_t h = 3600 * kSec;
  const char *spec =
      "{\"timeZone\":\"Europe/Moscow\",\"weekly\":["
      "{\"weekday\":\"MONDAY\",\"intervals\":[{\"startSeconds\":32400,"
      "\"endSeconds\":46800},{\"startSeconds\":50400,\"endSeconds\":64800}]},"
      "{\"weekday\":\"TUESDAY\",\"intervals\":[{\"startSeconds\":32400,"
      "\"endSeconds\":64800}]},"
      "{\"weekday\":\"WEDNESDAY\"},{\"weekday\":\"THURSDAY\"},"
      "{\"weekday\":\"FRIDAY\"},{\"weekday\":\"SATURDAY\"},"
      "{\"weekday\":\"SUNDAY\"}]}";

  CHECK_STATUS(sd_calendar_create(&cal, S(spec), SD_FORMAT_JSON), SD_OK);
  /* Monday 09:00 + 5h with a 13:00-14:00 break = 15:00. */
  CHECK_STATUS(sd_calendar_add(&t, cal, kMonday0900Msk, 5 * h), SD_OK);
  CHECK(t == kMonday0900Msk + 6 * h);
  /* A deadline that lands on a closing instant is that instant. */
  CHECK_STATUS(sd_calendar_add(&t, cal, kMonday0900Msk, 8 * h), SD_OK);
  CHECK(t == kMonday0900Msk + 9 * h);
  CHECK_STATUS(
      sd_calendar_between(&t, cal, kMonday0900Msk, kMonday0900Msk + 25 * h),
      SD_OK);
  CHECK(t == 9 * h);
  CHECK_STATUS(
      sd_calendar_between(&t, cal, kMonday0900Msk + 25 * h, kMonday0900Msk),
      SD_OK);
  CHECK(t == -9 * h);
  /* INT64_MAX and INT64_MIN are the infinite future and past, going in as
     coming out: an open calendar has infinite business time up to either,
     and an infinite start is returned unchanged. */
  CHECK_STATUS(sd_calendar_between(&t, cal, kMonday0900Msk, INT64_MAX), SD_OK);
  CHECK(t == INT64_MAX);
  CHECK_STATUS(sd_calendar_between(&t, cal, kMonday0900Msk, INT64_MIN), SD_OK);
  CHECK(t == INT64_MIN);
  CHECK_STATUS(sd_calendar_add(&t, cal, INT64_MIN, 5 * h), SD_OK);
  CHECK(t == INT64_MIN);
  CHECK_STATUS(sd_calendar_add(&t, cal, INT64_MAX, 5 * h), SD_OK);
  CHECK(t == INT64_MAX);
  CHECK_STATUS(sd_calendar_is_open(&open, cal, kMonday0900Msk + 4 * h + 1),
               SD_OK);
  CHECK(open == 0); /* 13:00 break */
  CHECK_STATUS(sd_calendar_is_open(&open, cal, kMonday0900Msk), SD_OK);
  CHECK(open == 1);
  CHECK_STATUS(sd_calendar_next_opening(&t, cal, kMonday0900Msk + 4 * h),
               SD_OK);
  CHECK(t == kMonday0900Msk + 5 * h);
  CHECK_STATUS(sd_calendar_add(&t, cal, kMonday0900Msk, -1),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_calendar_spec(&out, cal, SD_FORMAT_JSON), SD_OK);
  CHECK(count(&out, "Europe/Moscow") == 1);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_calendar_text_format(&out, S(spec), SD_FORMAT_JSON), SD_OK);
  CHECK(count(&out, "zone Europe/Moscow") == 1);
  CHECK_STATUS(
      sd_calendar_create_from_text(&text, (const char *)out.data, out.size),
      SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(
      sd_calendar_between(&t, text, kMonday0900Msk, kMonday0900Msk + 25 * h),
      SD_OK);
  CHECK(t == 9 * h);
  CHECK_STATUS(sd_calendar_text_parse(&out, S("zone Nowhere/Atlantis\n"),
                                      SD_FORMAT_JSON),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(
      sd_calendar_text_parse(&out, S("bogus line here\n"), SD_FORMAT_JSON),
      SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "1") != NULL); /* the line number */

  /* Invalid specs name the field. */
  CHECK_STATUS(sd_calendar_create(&always, S("{\"timeZone\":\"Mars/Base\"}"),
                                  SD_FORMAT_JSON),
               SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "time_zone") != NULL);
  CHECK(always == NULL);

  /* Russia's production calendar: 2025-03-07 is a shortened Friday (until
   * 17:00), 8 March a holiday: Friday 16:00 + 2h = Monday 10 March 10:00. */
  CHECK_STATUS(sd_calendar_create_russia(&russia, S("Europe/Moscow"), NULL, 0,
                                         SD_FORMAT_JSON),
               SD_OK);
  {
    const int64_t fri1600 = kMonday0900Msk + (4 * 24 + 7) * h;
    CHECK_STATUS(sd_calendar_add(&t, russia, fri1600, 2 * h), SD_OK);
    CHECK(t == kMonday0900Msk + (7 * 24 + 1) * h);
    CHECK_STATUS(sd_calendar_is_open(&open, russia, fri1600 + h), SD_OK);
    CHECK(open == 0);
  }
  CHECK_STATUS(sd_calendar_russia_spec(&out, S("Europe/Moscow"), NULL, 0,
                                       SD_FORMAT_JSON),
               SD_OK);
  CHECK(count(&out, "SPECIAL_DAY_KIND_SHORTENED") > 0);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_calendar_russia_years(&n, NULL, 0), SD_OK);
  CHECK(n > 0 && n <= 64);
  CHECK_STATUS(sd_calendar_russia_years(&n, years, 64), SD_OK);
  for (i = 0; i < n; ++i) CHECK(years[i] >= 2000 && years[i] < 2100);
  CHECK(n > 0);
  for (i = 1; i < n; ++i) CHECK(years[i] > years[i - 1]);

  CHECK_STATUS(sd_calendar_create_always_open(&always), SD_OK);
  CHECK_STATUS(sd_calendar_add(&t, always, 17, 5 * h), SD_OK);
  CHECK(t == 17 + 5 * h);

  CHECK_STATUS(sd_calendar_destroy(&cal), SD_OK);
  CHECK_STATUS(sd_calendar_destroy(&text), SD_OK);
  CHECK_STATUS(sd_calendar_destroy(&russia), SD_OK);
  CHECK_STATUS(sd_calendar_destroy(&always), SD_OK);
  CHECK(cal == NULL && russia == NULL && always == NULL);
}

/* Garbage in: NULL pointers, wrong lengths, malformed bytes, bad handles. */
static void test_bad_input(void) {
  sd_desk *desk = NULL, *stale = NULL;
  sd_calendar *cal = NULL, *stale_cal = NULL;
  sd_buffer out = {0};
  int64_t t = 0;
  long junk[8] = {0};
  sd_desk *garbage = (sd_desk *)(void *)junk;
  /* Actor {"admin":"root"} as protobuf bytes: field 3, length 4. */
  const char admin_pb[] = {0x1a, 0x04, 'r', 'o', 'o', 't'};
  const char bad_pb[] = {0x1a, 0x7f, 'r', 'o'}; /* length past the end */
  const char center_pb_garbage[] = {(char)0xff, (char)0xff, (char)0xff,
                                    (char)0xff, 0x0f};

  CHECK_STATUS(sd_desk_open(&desk, S("memory:"), NULL, SD_FORMAT_PROTO), SD_OK);
  CHECK_STATUS(sd_center_list(&out, desk, admin_pb, sizeof admin_pb, NULL, 0),
               SD_OK);
  sd_buffer_free(&out);
  CHECK_STATUS(sd_center_list(&out, desk, bad_pb, sizeof bad_pb, NULL, 0),
               SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "actor") != NULL);
  CHECK_STATUS(sd_center_create(&out, desk, admin_pb, sizeof admin_pb,
                                center_pb_garbage, sizeof center_pb_garbage),
               SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "center") != NULL);
  /* JSON on a protobuf desk is malformed bytes. */
  CHECK_STATUS(sd_center_create(&out, desk, S(kAdmin), S("{}")),
               SD_INVALID_ARGUMENT);
  {
    /* A message quoting a value with a NUL or a line break comes whole, on
     * one line: code "A\0B" then "A\nB" (field 5 of ServiceCenter). */
    const char nul_code[] = {0x2a, 0x03, 'A', 0x00, 'B'};
    const char nl_code[] = {0x2a, 0x03, 'A', '\n', 'B'};
    CHECK_STATUS(sd_center_create(&out, desk, admin_pb, sizeof admin_pb,
                                  nul_code, sizeof nul_code),
                 SD_INVALID_ARGUMENT);
    CHECK(strstr(sd_last_error(), "'A\\0B'") != NULL);
    CHECK(strstr(sd_last_error(), "must be") != NULL);
    CHECK_STATUS(sd_center_create(&out, desk, admin_pb, sizeof admin_pb,
                                  nl_code, sizeof nl_code),
                 SD_INVALID_ARGUMENT);
    CHECK(strstr(sd_last_error(), "'A\\nB'") != NULL);
    CHECK(strchr(sd_last_error(), '\n') == NULL);
    {
      /* A backslash typed in a value is doubled: "A\nB" typed as text
       * reads apart from a line break. */
      const char bs_code[] = {0x2a, 0x04, 'A', '\\', 'n', 'B'};
      CHECK_STATUS(sd_center_create(&out, desk, admin_pb, sizeof admin_pb,
                                    bs_code, sizeof bs_code),
                   SD_INVALID_ARGUMENT);
      CHECK(strstr(sd_last_error(), "'A\\\\nB'") != NULL);
    }
  }
  /* An actor with no principal. */
  CHECK_STATUS(sd_center_list(&out, desk, NULL, 0, NULL, 0),
               SD_INVALID_ARGUMENT);
  /* NULL pointer with a length. */
  CHECK_STATUS(sd_center_get(&out, desk, admin_pb, sizeof admin_pb, NULL, 5),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_center_list(&out, desk, NULL, 6, NULL, 0),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(
      sd_center_list(&out, desk, admin_pb, sizeof admin_pb, NULL, (size_t)-1),
      SD_INVALID_ARGUMENT);
  /* NULL output. */
  CHECK_STATUS(sd_center_list(NULL, desk, admin_pb, sizeof admin_pb, NULL, 0),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_desk_now(NULL, desk), SD_INVALID_ARGUMENT);
  /* A non-empty output buffer. */
  CHECK_STATUS(sd_center_list(&out, desk, admin_pb, sizeof admin_pb, NULL, 0),
               SD_OK);
  CHECK_STATUS(sd_center_list(&out, desk, admin_pb, sizeof admin_pb, NULL, 0),
               SD_INVALID_ARGUMENT);
  sd_buffer_free(&out);
  sd_buffer_free(NULL);
  /* Unknown handles. */
  CHECK_STATUS(sd_center_list(&out, NULL, admin_pb, sizeof admin_pb, NULL, 0),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(
      sd_center_list(&out, garbage, admin_pb, sizeof admin_pb, NULL, 0),
      SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "desk") != NULL);
  CHECK_STATUS(sd_desk_close(&garbage), SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_calendar_add(&t, (sd_calendar *)(void *)junk, 0, 0),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_clock_advance((sd_clock *)(void *)junk, 1),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_event_subscribe(&t, desk, NULL, NULL), SD_INVALID_ARGUMENT);
  /* Stale handles. */
  stale = desk;
  CHECK_STATUS(sd_desk_close(&desk), SD_OK);
  CHECK_STATUS(sd_center_list(&out, stale, admin_pb, sizeof admin_pb, NULL, 0),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_desk_close(&stale), SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_calendar_create_always_open(&cal), SD_OK);
  stale_cal = cal;
  CHECK_STATUS(sd_calendar_destroy(&cal), SD_OK);
  CHECK_STATUS(sd_calendar_between(&t, stale_cal, 0, 1), SD_INVALID_ARGUMENT);
  /* Bad formats and URIs. */
  CHECK_STATUS(sd_desk_open(&desk, S("memory:"), NULL, (sd_format)7),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_desk_open(&desk, S("nosuch://x"), NULL, SD_FORMAT_JSON),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_desk_open(&desk, S("sqlite:unused.db?cache=big"), NULL,
                            SD_FORMAT_JSON),
               SD_INVALID_ARGUMENT);
  CHECK(strstr(sd_last_error(), "cache") != NULL);
  CHECK_STATUS(
      sd_desk_open(&desk, S("memory:?busy_timeout_ms=1"), NULL, SD_FORMAT_JSON),
      SD_INVALID_ARGUMENT);
  {
    /* A closed handle stays dead: its address is not handed to a desk opened
     * later, so a stale pointer cannot reach that desk. */
    sd_desk *first = NULL, *stale = NULL, *second = NULL;
    sd_buffer out = {0};
    CHECK_STATUS(sd_desk_open(&first, S("memory:"), NULL, SD_FORMAT_JSON),
                 SD_OK);
    stale = first;
    CHECK_STATUS(sd_desk_close(&first), SD_OK);
    CHECK_STATUS(sd_desk_open(&second, S("memory:"), NULL, SD_FORMAT_JSON),
                 SD_OK);
    CHECK(second != stale);
    CHECK_STATUS(sd_center_list(&out, stale, S(kAdmin), NULL, 0),
                 SD_INVALID_ARGUMENT);
    CHECK(strstr(sd_last_error(), "not a live desk handle") != NULL);
    sd_buffer_free(&out);
    CHECK_STATUS(sd_desk_close(&second), SD_OK);
  }
  {
    /* SQLite options in the URI's query; the file name stops at '?'. */
    char dir[] = "/tmp/sd_c_uri_XXXXXX", uri[256], file[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(file, sizeof file, "%s/d.db", dir);
    snprintf(uri, sizeof uri, "sqlite:%s?busy_timeout_ms=100", file);
    CHECK_STATUS(sd_desk_open(&desk, S(uri), NULL, SD_FORMAT_JSON), SD_OK);
    CHECK_STATUS(sd_desk_close(&desk), SD_OK);
    FILE *f = fopen(file, "rb");
    CHECK(f != NULL);
    if (f) fclose(f);
    static const char *const kSuffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof kSuffixes / sizeof kSuffixes[0]; ++i) {
      char p[96];
      snprintf(p, sizeof p, "%s%s", file, kSuffixes[i]);
      remove(p);
    }
    remove(dir);
  }
  CHECK_STATUS(sd_desk_open(&desk, NULL, 0, NULL, SD_FORMAT_JSON),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_desk_open(NULL, S("memory:"), NULL, SD_FORMAT_JSON),
               SD_INVALID_ARGUMENT);
  CHECK(desk == NULL);
  CHECK_STATUS(sd_calendar_create(&cal, S("{not json"), SD_FORMAT_JSON),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_calendar_create(&cal, bad_pb, sizeof bad_pb, SD_FORMAT_PROTO),
               SD_INVALID_ARGUMENT);
  CHECK_STATUS(sd_calendar_russia_years(NULL, NULL, 0), SD_INVALID_ARGUMENT);
  CHECK(cal == NULL);
}

int main(void) {
  test_versions();
  test_clock();
  test_desk_json();
  test_calendars();
  test_bad_input();
  if (g_failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", g_failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
