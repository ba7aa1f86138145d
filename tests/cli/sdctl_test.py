#!/usr/bin/python3
"""End-to-end tests of sdctl, run the way a user runs it: as a process.

Usage: sdctl_test.py PATH/TO/sdctl [unittest args]

Each test works in its own temporary folder, so the default database
(servicedesk.db in the current folder) is fresh. Runs on Debian's
/usr/bin/python3 with the standard library only.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

SDCTL = None  # set from argv in main

# A plain Moscow office calendar: Mon-Fri 09:00-18:00, no holidays. Moscow was
# UTC+3 in January 2007, so 09:00 local is 06:00Z.
OFFICE_CALENDAR = "zone Europe/Moscow\nname Moscow office\nmon-fri 09:00-18:00\n"


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"exit {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}"


class SdctlTestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="sdctl-test-")
        self.dir = self._tmp.name
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("SDCTL_")}
        self.env["USER"] = "tester"

    def tearDown(self):
        self._tmp.cleanup()

    def run_sdctl(self, *args, stdin=None):
        proc = subprocess.run([SDCTL, *args], cwd=self.dir, env=self.env,
                              input=stdin, capture_output=True, text=True,
                              timeout=60)
        return Result(proc)

    def ok(self, *args, **kw):
        r = self.run_sdctl(*args, **kw)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.err, "", r)
        return r

    def fails(self, code, *args, **kw):
        r = self.run_sdctl(*args, **kw)
        self.assertEqual(r.code, code, r)
        # Failures are exactly one line on stderr, prefixed "sdctl: ".
        self.assertTrue(r.err.startswith("sdctl: "), r)
        self.assertEqual(r.err.count("\n"), 1, r)
        return r

    def write(self, name, text):
        with open(os.path.join(self.dir, name), "w", encoding="utf-8") as f:
            f.write(text)

    def demo(self):
        return self.ok("--now", "2025-03-03T09:00:00+03:00", "--json",
                       "demo").json()


class HelpTest(SdctlTestCase):
    def commands_under(self, prefix):
        """Command paths listed by `sdctl PREFIX --help`, recursively."""
        r = self.ok(*prefix, "--help")
        section = r.out.split("\nCommands:\n", 1)[1].split("\n\n", 1)[0]
        paths = []
        for line in section.splitlines():
            word = line.split()[0]
            if line.split()[1:2] == ["..."]:
                paths += self.commands_under(prefix + [word])
            else:
                paths.append(prefix + [word])
        return paths

    def test_every_command_has_help(self):
        paths = self.commands_under([])
        self.assertIn(["sla", "clocks", "start"], paths)
        self.assertIn(["managers", "at"], paths)
        self.assertIn(["demo"], paths)
        for path in paths:
            r = self.ok(*path, "--help")
            self.assertTrue(r.out.startswith("Usage: sdctl " + " ".join(path)),
                            r)
            self.assertIn("--db URI", r.out)  # global flags are listed
        # --help must not open (and so create) the database.
        self.assertFalse(os.path.exists(os.path.join(self.dir,
                                                     "servicedesk.db")))

    def test_help_command_and_group_help(self):
        self.assertIn("sdctl centers create", self.ok("help", "centers",
                                                      "create").out)
        self.assertIn("policy ...", self.ok("sla", "--help").out)

    def test_no_command_is_a_usage_error(self):
        r = self.run_sdctl()
        self.assertEqual(r.code, 2, r)
        self.assertIn("Commands:", r.err)


class UsageErrorTest(SdctlTestCase):
    def test_usage_errors_exit_2_and_name_the_problem(self):
        cases = [
            (["bogus"], "unknown command 'bogus'"),
            (["centers", "bogus"], "unknown command 'centers bogus'"),
            (["centers", "list", "--bogus"], "unknown flag --bogus"),
            (["centers", "create", "--code", "AB"], "--name is required"),
            (["centers", "get"], "takes CENTER, got 0 arguments"),
            (["centers", "get", "a", "b"], "got 2 arguments"),
            (["--as", "root", "centers", "list"], "--as: expected admin:NAME"),
            (["--now", "yesterday", "tick"], "--now: not an RFC 3339 time"),
            (["calendars", "due", "--file", "x", "2025-01-01T00:00:00Z",
              "2d"], "DURATION: not a duration"),
            (["calendars", "due", "2025-01-01T00:00:00Z", "1h"],
             "name exactly one calendar"),
            (["orgs", "list", "--tier", "gold"],
             "--tier: unknown value 'gold' (one of: standard, premium, vip)"),
            (["events", "--limit"], "--limit needs a value"),
            (["--json=yes", "centers", "list"], "--json takes no value"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = self.fails(2, *args)
                self.assertIn(message, r.err)
                self.assertTrue(r.err.startswith("sdctl: usage: "), r)
                self.assertEqual(r.out, "")


class DemoTest(SdctlTestCase):
    def test_demo_seeds_a_network_and_is_idempotent(self):
        first = self.demo()
        self.assertTrue(first["created"])
        self.assertEqual(first["center"]["code"], "MSK-01")
        self.assertEqual(first["center"]["timeZone"], "Europe/Moscow")
        self.assertEqual(first["center"]["calendarId"],
                         first["calendar"]["id"])
        self.assertEqual(first["calendar"]["timeZone"], "Europe/Moscow")
        # Russia's production calendar: holidays with their decrees.
        self.assertGreater(len(first["calendar"]["holidays"]), 10)
        self.assertTrue(all(h["source"] for h in first["calendar"]["holidays"]))
        # The hotline's own longer hours, with the same holidays.
        hotline = first["hotline_calendar"]
        self.assertEqual(first["center"]["hotlineCalendarId"], hotline["id"])
        self.assertEqual(hotline["holidays"], first["calendar"]["holidays"])
        self.assertEqual(
            [(i["startSeconds"], i["endSeconds"])
             for i in hotline["weekly"][0]["intervals"]], [(8 * 3600, 20 * 3600)])
        self.assertGreaterEqual(len(first["staff"]), 4)
        self.assertGreaterEqual(len(first["organizations"]), 3)
        self.assertGreaterEqual(len(first["contacts"]), 3)
        for org in first["organizations"]:
            self.assertTrue(inn_is_valid(org["taxId"]), org)
            self.assertTrue(org["managerId"], org)

        second = self.demo()
        self.assertFalse(second["created"])
        for key in ("center", "staff", "organizations", "contacts"):
            self.assertEqual(ids(second[key]), ids(first[key]), key)

        # A network seeded before the demo had hotline hours gets them.
        self.ok("centers", "update", "MSK-01", "--hotline-calendar", "")
        third = self.demo()
        self.assertFalse(third["created"])  # updated, nothing created
        self.assertEqual(third["center"]["hotlineCalendarId"], hotline["id"])
        self.assertEqual(ids(third["staff"]), ids(first["staff"]))

        # Human output: a heading and aligned tables.
        text = self.ok("demo").out
        self.assertTrue(text.startswith("Demo network already in "
                                        "servicedesk.db"), text)
        self.assertRegex(text, r"\nID +CENTER +NAME +ROLES")
        # The database is the default one, in the current folder.
        self.assertTrue(os.path.exists(os.path.join(self.dir,
                                                    "servicedesk.db")))


def ids(items):
    if isinstance(items, dict):
        return items["id"]
    return sorted(i["id"] for i in items)


def inn_is_valid(inn):
    """The Russian INN checksum (10 digits: legal entity, 12: individual)."""
    d = [int(c) for c in inn]

    def check(weights):
        return sum(w * x for w, x in zip(weights, d)) % 11 % 10

    if len(d) == 10:
        return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[9]
    if len(d) == 12:
        return (check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[10] and
                check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[11])
    return False


class OrgTest(SdctlTestCase):
    def setUp(self):
        super().setUp()
        self.net = self.demo()
        self.center = self.net["center"]

    def test_lists_as_tables_and_json(self):
        table = self.ok("centers", "list").out.splitlines()
        self.assertRegex(table[0], r"^ID +CODE +NAME +REGION +TIME_ZONE")
        self.assertIn("MSK-01", table[1])
        # Columns are aligned: every row puts CODE at the header's offset.
        col = table[0].index("CODE")
        self.assertTrue(all(row[col:].startswith("MSK-01") for row in table[1:]))

        orgs = self.ok("--json", "orgs", "list").json()
        self.assertEqual(sorted(o["id"] for o in orgs),
                         ids(self.net["organizations"]))
        vip = self.ok("--json", "orgs", "list", "--tier", "vip").json()
        self.assertTrue(vip)
        self.assertTrue(all(o["tier"] == "CLIENT_TIER_VIP" for o in vip))
        managers = self.ok("--json", "staff", "list", "--role",
                           "personal-manager").json()
        self.assertTrue(all("STAFF_ROLE_PERSONAL_MANAGER" in s["roles"]
                            for s in managers))
        org = self.net["organizations"][0]["id"]
        contacts = self.ok("--json", "contacts", "list", org).json()
        self.assertTrue(contacts)
        self.assertTrue(all(c["organizationId"] == org for c in contacts))
        # A center code works where a center id does.
        by_code = self.ok("--json", "centers", "get", "MSK-01").json()
        self.assertEqual(by_code["id"], self.center["id"])

    def test_create_update_deactivate_round_trip(self):
        now = ["--now", "2025-04-01T10:00:00Z"]
        staff = self.ok(*now, "--json", "staff", "create", "--center",
                        "MSK-01", "--name", "Kirill Zaitsev", "--email",
                        "k.zaitsev@msk01.example.ru", "--role",
                        "personal-manager", "--role", "trainer", "--qual",
                        "training:2026-03-31", "--qual", "documents").json()
        self.assertEqual(staff["roles"], ["STAFF_ROLE_PERSONAL_MANAGER",
                                          "STAFF_ROLE_TRAINER"])
        quals = {q["code"]: q.get("validUntil") for q in
                 staff["qualifications"]}
        # A date means "valid through that day".
        self.assertEqual(quals["training"], "2026-04-01T00:00:00Z")
        self.assertIsNone(quals["documents"])

        org = self.ok(*now, "--json", "orgs", "create", "--name",
                      "Kolos Farm LLC", "--inn", "5003123458", "--tier",
                      "standard", "--center", self.center["id"], "--manager",
                      staff["id"], "--topic", "accounting").json()
        self.assertEqual(org["managerId"], staff["id"])
        self.assertEqual(org["topics"], ["PROFILE_TOPIC_ACCOUNTING"])
        self.assertEqual(self.ok("--json", "orgs", "get", org["id"]).json(),
                         org)

        contact = self.ok(*now, "--json", "contacts", "create", "--org",
                          org["id"], "--name", "Vera Kolosova", "--email",
                          "vera@kolos.example.ru", "--phone",
                          "+7 495 123-45-67").json()
        updated = self.ok("--json", "contacts", "update", contact["id"],
                          "--position", "Director").json()
        self.assertEqual(updated["position"], "Director")
        self.assertEqual(int(updated["version"]), int(contact["version"]) + 1)

        renamed = self.ok("--json", "centers", "update", "MSK-01", "--name",
                          "Moscow Center No. 1").json()
        self.assertEqual(renamed["name"], "Moscow Center No. 1")
        self.assertEqual(renamed["code"], "MSK-01")

        # Manager history: reassign later, then ask who it was and when.
        other = self.net["organizations"][0]["managerId"]
        self.ok("--now", "2025-06-01T10:00:00Z", "managers", "reassign",
                org["id"], "--to", other, "--reason", "vacation")
        history = self.ok("--json", "managers", "history", org["id"]).json()
        self.assertEqual([a["managerId"] for a in history],
                         [staff["id"], other])
        self.assertEqual(history[0]["validTo"], "2025-06-01T10:00:00Z")
        self.assertEqual(history[0]["endReason"], "vacation")
        at = self.ok("--json", "managers", "at", org["id"],
                     "2025-05-01").json()
        self.assertEqual(at["managerId"], staff["id"])
        current = self.ok("--json", "managers", "current", org["id"]).json()
        self.assertEqual(current["managerId"], other)
        r = self.fails(1, "managers", "at", org["id"], "2025-01-01")
        self.assertTrue(r.err.startswith("sdctl: NOT_FOUND: "), r)
        clients = self.ok("--json", "managers", "clients", other).json()
        self.assertIn(org["id"], ids(clients))

        gone = self.ok("--json", "orgs", "deactivate", org["id"], "--reason",
                       "contract ended").json()
        self.assertFalse(gone["active"])  # printed although false: JSON has
        # every field, so scripts need no defaults
        self.assertNotIn(org["id"], ids(self.ok("--json", "orgs",
                                                "list").json()))
        self.assertIn(org["id"], ids(self.ok("--json", "orgs", "list",
                                             "--all").json()))

    def test_staff_qualification_filter_respects_expiry(self):
        # The demo's hotline specialist holds "documents" expired in 2024.
        def holders(at):
            return ids(self.ok("--json", "staff", "list", "--qual",
                               "documents", "--at", at).json())
        self.assertGreater(len(holders("2024-01-01")),
                           len(holders("2025-01-01")))

    def test_update_that_changes_nothing_writes_nothing(self):
        contact = self.net["contacts"][0]
        before = self.ok("--json", "events").json()
        same = self.ok("--now", "2030-01-01T00:00:00Z", "--json", "contacts",
                       "update", contact["id"], "--position",
                       contact.get("position", "")).json()
        self.assertEqual(same["version"], contact["version"])
        self.assertEqual(same["updatedAt"], contact["updatedAt"])
        self.assertEqual(self.ok("--json", "events").json(), before)
        # A real change is still a new version and an event.
        changed = self.ok("--json", "contacts", "update", contact["id"],
                          "--position", "Deputy head of accounts").json()
        self.assertEqual(int(changed["version"]), int(contact["version"]) + 1)
        self.assertEqual(len(self.ok("--json", "events").json()),
                         len(before) + 1)

    def test_refused_call_writes_nothing(self):
        contact = self.net["contacts"][0]["id"]
        before = self.ok("--json", "events").json()
        r = self.fails(1, "--as", "contact:" + contact, "centers", "create",
                       "--code", "SPB-01", "--name", "St Petersburg",
                       "--region", "St Petersburg", "--zone",
                       "Europe/Moscow")
        self.assertTrue(r.err.startswith("sdctl: PERMISSION_DENIED: "), r)
        self.assertEqual(self.ok("--json", "events").json(), before)
        r = self.fails(1, "--as", "contact:" + contact, "staff", "list")
        self.assertIn("PERMISSION_DENIED", r.err)
        # What a contact may see: its own organisation only.
        own = self.ok("--as", "contact:" + contact, "--json", "orgs",
                      "list").json()
        self.assertEqual(ids(own), [self.net["contacts"][0]["organizationId"]])

    def test_staff_actors(self):
        staff = {s["fullName"]: s["id"] for s in self.net["staff"]}
        head = staff["Irina Volkova"]
        hotline = staff["Sergey Ivanov"]
        org = self.net["organizations"][1]
        other = [s["id"] for s in self.net["staff"]
                 if "STAFF_ROLE_PERSONAL_MANAGER" in s["roles"] and
                 s["id"] != org["managerId"]][0]
        r = self.fails(1, "--as", "staff:" + hotline, "managers", "reassign",
                       org["id"], "--to", other, "--reason", "x")
        self.assertIn("PERMISSION_DENIED", r.err)
        moved = self.ok("--as", "staff:" + head, "--json", "managers",
                        "reassign", org["id"], "--to", other, "--reason",
                        "rebalancing").json()
        self.assertEqual(moved["managerId"], other)
        # Staff see their own center's records.
        self.assertEqual(len(self.ok("--as", "staff:" + hotline, "--json",
                                     "staff", "list").json()),
                         len(self.net["staff"]))
        r = self.fails(1, "--as", "staff:nobody", "centers", "list")
        self.assertIn("PERMISSION_DENIED", r.err)

    def test_bad_input_names_the_field(self):
        cases = [
            (["orgs", "create", "--name", "X", "--inn", "7705123453",
              "--tier", "standard", "--center", "MSK-01", "--manager",
              self.net["organizations"][0]["managerId"]], "tax_id"),
            (["contacts", "create", "--org",
              self.net["organizations"][0]["id"], "--name", "X", "--email",
              "not-an-email"], "email"),
            (["centers", "create", "--code", "x", "--name", "X", "--region",
              "R", "--zone", "Europe/Moscow"], "code"),
            (["centers", "create", "--code", "NSK-01", "--name", "X",
              "--region", "R", "--zone", "Mars/Olympus"], "time_zone"),
        ]
        for args, field in cases:
            with self.subTest(field=field):
                r = self.fails(1, *args)
                self.assertRegex(r.err, r"^sdctl: INVALID_ARGUMENT: .*" + field)
        # A refused value is echoed with its control characters shown, not
        # sent to the terminal (ESC starts an escape sequence).
        r = self.fails(1, "centers", "create", "--code", "A\x1b[2J",
                       "--name", "X", "--region", "R", "--zone",
                       "Europe/Moscow")
        self.assertNotIn("\x1b", r.err)
        self.assertIn("A\\x1b[2J", r.err)

    def test_not_found_is_one_line(self):
        r = self.fails(1, "centers", "get", "x")
        self.assertEqual(r.err, "sdctl: NOT_FOUND: id: center 'x' not found\n")


class CalendarTest(SdctlTestCase):
    def setUp(self):
        super().setUp()
        self.write("office.cal", OFFICE_CALENDAR)

    def due(self, *args):
        return self.ok("calendars", "due", *args).out.strip()

    def test_due_and_between_on_a_text_file(self):
        f = ["--file", "office.cal"]
        # Tuesday 01:00 local: the clock starts at 09:00 (06:00Z).
        self.assertEqual(self.due(*f, "2007-01-01T22:00:00Z", "120m"),
                         "2007-01-02T08:00:00Z")
        self.assertEqual(self.due(*f, "2007-01-01T22:00:00Z", "2h", "--local"),
                         "2007-01-02T11:00:00+03:00")
        # --local shows the JSON's times in the calendar's zone too.
        j = self.ok("--json", "calendars", "due", *f, "2007-01-01T22:00:00Z",
                    "2h", "--local").json()
        self.assertEqual(j, {"start": "2007-01-02T01:00:00+03:00",
                             "duration": "7200s",
                             "due": "2007-01-02T11:00:00+03:00"})
        j = self.ok("--json", "calendars", "due", *f, "2007-01-01T22:00:00Z",
                    "2h").json()
        self.assertEqual(j, {"start": "2007-01-01T22:00:00Z",
                             "duration": "7200s",
                             "due": "2007-01-02T08:00:00Z"})
        # A deadline on the closing instant stays there (Monday 18:00).
        self.assertEqual(self.due(*f, "2007-01-01T06:00:00Z", "9h"),
                         "2007-01-01T15:00:00Z")
        # Friday 17:00 + 1h30m: 1h on Friday, 30m on Monday.
        self.assertEqual(self.due(*f, "2007-01-05T14:00:00Z", "1h30m"),
                         "2007-01-08T06:30:00Z")
        # Zero: the next opening.
        self.assertEqual(self.due(*f, "2007-01-06T12:00:00Z", "0"),
                         "2007-01-08T06:00:00Z")
        between = self.ok("calendars", "between", *f, "2007-01-01T22:00:00Z",
                          "2007-01-02T08:00:00Z").out
        self.assertEqual(between, "2h\n")
        self.assertEqual(self.ok("calendars", "between", *f,
                                 "2007-01-02T08:00:00Z",
                                 "2007-01-01T22:00:00Z").out, "-2h\n")
        j = self.ok("--json", "calendars", "between", *f,
                    "2007-01-05T06:00:00Z", "2007-01-09T06:00:00Z").json()
        self.assertEqual(j["seconds"], 2 * 9 * 3600)  # Fri + Mon
        self.assertEqual(j["business"], "64800s")
        # Pure arithmetic never creates a database.
        self.assertFalse(os.path.exists(os.path.join(self.dir,
                                                     "servicedesk.db")))

    def test_calendar_from_standard_input(self):
        r = self.ok("calendars", "due", "--file", "-", "2007-01-01T22:00:00Z",
                    "2h", stdin=OFFICE_CALENDAR)
        self.assertEqual(r.out, "2007-01-02T08:00:00Z\n")
        r = self.fails(1, "calendars", "due", "--file", "missing.cal",
                       "2007-01-01T22:00:00Z", "2h")
        self.assertIn("missing.cal", r.err)

    def test_russia_production_calendar(self):
        ru = ["--russia", "Europe/Moscow"]
        # 2025-03-07 is a shortened pre-holiday day (until 17:00 local);
        # 16:00 + 2h = 1h on Friday + 1h on Monday 10 March.
        self.assertEqual(self.due(*ru, "2025-03-07T13:00:00Z", "2h"),
                         "2025-03-10T07:00:00Z")
        # New Year holidays: 31 Dec 2025 18:00 local, next opening 12 Jan.
        self.assertEqual(self.due(*ru, "2025-12-31T15:00:00Z", "1h"),
                         "2026-01-12T07:00:00Z")
        # Other zones: Vladivostok is UTC+10.
        self.assertEqual(self.due("--russia", "Asia/Vladivostok",
                                  "2025-03-03T00:00:00Z", "0"),
                         "2025-03-03T00:00:00Z")
        text = self.ok("calendars", "get", *ru).out
        self.assertIn("zone Europe/Moscow", text)
        self.assertRegex(text, r"holiday 2025-01-01 ")
        years = self.ok("--json", "calendars", "years").json()
        self.assertIn(2025, years)
        r = self.fails(1, "calendars", "due", "--russia", "Mars/Olympus",
                       "2025-01-01T00:00:00Z", "1h")
        self.assertIn("INVALID_ARGUMENT", r.err)

    def test_stored_calendars(self):
        made = self.ok("--json", "calendars", "create", "office.cal", "--id",
                       "office").json()
        self.assertEqual(made["id"], "office")
        self.assertEqual(made["timeZone"], "Europe/Moscow")
        ru = self.ok("--json", "calendars", "create", "--russia",
                     "Asia/Yekaterinburg", "--id", "ru-ekb", "--week",
                     "mon-fri 09:00-13:00 14:00-18:00").json()
        self.assertEqual(len(ru["weekly"]), 5)
        self.assertEqual(len(ru["weekly"][0]["intervals"]), 2)
        listed = self.ok("--json", "calendars", "list").json()
        self.assertEqual(ids(listed), ["office", "ru-ekb"])
        self.assertEqual(self.due("office", "2007-01-01T22:00:00Z", "120m"),
                         "2007-01-02T08:00:00Z")
        # The text form of a stored calendar is again a valid input.
        self.write("copy.cal", self.ok("calendars", "get", "office").out)
        self.assertEqual(self.due("--file", "copy.cal",
                                  "2007-01-01T22:00:00Z", "120m"),
                         "2007-01-02T08:00:00Z")
        r = self.fails(1, "calendars", "create", "office.cal", "--id",
                       "office")
        self.assertIn("ALREADY_EXISTS", r.err)
        self.write("bad.cal", "zone Europe/Moscow\nname x\nmon-fri 18:00-09:00\n")
        r = self.fails(1, "calendars", "create", "bad.cal")
        self.assertIn("bad.cal", r.err)
        self.assertIn("INVALID_ARGUMENT", r.err)


class SlaTest(SdctlTestCase):
    POLICY = {
        "name": "Test policy",
        "rules": [{
            "name": "vip hotline",
            "kinds": ["SERVICE_KIND_HOTLINE_QUESTION"],
            "tiers": [3],
            "firstResponse": {"duration": "600s"},
            "resolution": {"duration": "7200s"},
        }],
    }

    def setUp(self):
        super().setUp()
        self.net = self.demo()

    def test_catalog(self):
        catalog = self.ok("--json", "sla", "catalog").json()
        kinds = [s["kind"] for s in catalog]
        self.assertIn("SERVICE_KIND_HOTLINE_QUESTION", kinds)
        self.assertTrue(all("duration" in s["firstResponse"] for s in catalog))
        self.assertIn("hotline-question", self.ok("sla", "catalog").out)
        # Online dialogs are measured on the hotline's own hours.
        self.assertRegex(self.ok("sla", "catalog").out,
                         r"online-dialog .* 1m0?s? hotline")

    def test_a_center_may_have_its_own_hotline_hours(self):
        center = self.ok("--json", "centers", "update", "MSK-01",
                         "--hotline-calendar", "ru-msk").json()
        self.assertEqual(center["hotlineCalendarId"], "ru-msk")
        self.assertIn("hotline_calendar: ru-msk",
                      self.ok("centers", "get", "MSK-01").out)
        r = self.fails(1, "centers", "update", "MSK-01", "--hotline-calendar",
                       "no-such")
        self.assertIn("NOT_FOUND", r.err)
        self.assertIn("hotline_calendar_id", r.err)
        center = self.ok("--json", "centers", "update", "MSK-01",
                         "--hotline-calendar", "").json()
        self.assertEqual(center["hotlineCalendarId"], "")

    def test_policy_targets_clocks_tick_and_events(self):
        self.assertEqual(self.ok("--json", "sla", "policy", "show").json()
                         ["version"], "0")
        self.write("policy.json", json.dumps(self.POLICY))
        self.ok("sla", "policy", "set", "policy.json")
        shown = self.ok("--json", "sla", "policy", "show").json()
        self.assertEqual(shown["name"], "Test policy")
        self.assertEqual(shown["rules"][0]["resolution"]["duration"], "7200s")
        # Setting the policy as read back changes nothing: same version.
        self.write("shown.json", json.dumps(shown))
        same = self.ok("--json", "sla", "policy", "set", "shown.json").json()
        self.assertEqual(same["version"], shown["version"])
        # A changed policy read back with its version is accepted once, then
        # stale.
        shown["name"] = "Test policy, revised"
        self.write("shown.json", json.dumps(shown))
        self.ok("sla", "policy", "set", "shown.json")
        r = self.fails(1, "sla", "policy", "set", "shown.json")
        self.assertIn("ABORTED", r.err)
        # Refused for non-administrators.
        staff = self.net["staff"][0]["id"]
        r = self.fails(1, "--as", "staff:" + staff, "sla", "policy", "set",
                       "policy.json")
        self.assertIn("PERMISSION_DENIED", r.err)
        self.write("broken.json", "{\"rules\": [")
        r = self.fails(1, "sla", "policy", "set", "broken.json")
        self.assertIn("broken.json", r.err)

        vip = self.ok("--json", "sla", "targets", "--kind", "hotline-question",
                      "--tier", "vip").json()
        self.assertEqual(vip["ruleName"], "vip hotline")
        self.assertEqual(vip["firstResponse"]["duration"], "600s")
        default = self.ok("--json", "sla", "targets", "--kind",
                          "hotline-question", "--tier", "standard").json()
        self.assertEqual(default["ruleName"], "")
        self.assertEqual(default["firstResponse"]["duration"], "900s")

        # Monday 3 March 2025, 17:00 Moscow (14:00Z): 10 business minutes.
        subject = ["REQ-1", "--kind", "hotline-question", "--tier", "vip",
                   "--center", "MSK-01"]
        clocks = self.ok("--json", "sla", "clocks", "start", *subject,
                         "--at", "2025-03-03T17:00:00+03:00").json()
        due = {c["kind"]: c["dueAt"] for c in clocks}
        self.assertEqual(due["CLOCK_KIND_FIRST_RESPONSE"],
                         "2025-03-03T14:10:00Z")
        # 2h: 1h on Monday, 1h on Tuesday from 09:00 local.
        self.assertEqual(due["CLOCK_KIND_RESOLUTION"], "2025-03-04T07:00:00Z")
        r = self.fails(1, "sla", "clocks", "start", *subject)
        self.assertIn("ALREADY_EXISTS", r.err)

        # Waiting on the client from 17:05 Monday to 09:30 Tuesday: 1h25m of
        # business time paused (55m + 30m); the due times move by as much.
        self.ok("sla", "clocks", "pause", "REQ-1", "--at",
                "2025-03-03T17:05:00+03:00")
        resumed = self.ok("--json", "sla", "clocks", "resume", "REQ-1",
                          "--at", "2025-03-04T09:30:00+03:00").json()
        due = {c["kind"]: c["dueAt"] for c in resumed}
        self.assertEqual(due["CLOCK_KIND_FIRST_RESPONSE"],
                         "2025-03-04T06:35:00Z")
        self.assertEqual(due["CLOCK_KIND_RESOLUTION"], "2025-03-04T08:25:00Z")
        # Answered at 09:33: 5m on Monday + 3m on Tuesday, within 10m.
        stopped = self.ok("--json", "sla", "clocks", "stop", "REQ-1",
                          "--clock", "first-response", "--at",
                          "2025-03-04T09:33:00+03:00").json()
        self.assertEqual(stopped["state"], "CLOCK_STATE_STOPPED")
        self.assertTrue(stopped["met"])
        self.assertEqual(stopped["businessElapsed"], "480s")
        r = self.fails(1, "sla", "clocks", "stop", "REQ-1", "--clock",
                       "first-response")
        self.assertIn("FAILED_PRECONDITION", r.err)

        # Tick after the resolution deadline raises the breach once. (The
        # demo's own requests, seeded on Monday, breach too: count REQ-1's.)
        def breaches(tick):
            return [e for e in tick["events"] if e["action"] == "sla.breached"
                    and e["details"]["subject_id"] == "REQ-1"]
        first = self.ok("--json", "--now", "2025-03-05T12:00:00+03:00",
                        "tick").json()
        self.assertEqual(len(breaches(first)), 1)
        self.assertGreaterEqual(first["breaches"], 1)
        again = self.ok("--json", "--now", "2025-03-05T12:05:00+03:00",
                        "tick").json()
        self.assertEqual(again["breaches"], 0)
        self.assertEqual(breaches(again), [])
        self.assertIn("0 breaches", self.ok("--now", "2025-03-05T12:10:00Z",
                                            "tick").out)
        listed = self.ok("--json", "sla", "clocks", "list", "REQ-1").json()
        self.assertEqual(len(listed), 2)

        # A standard-tier question upgraded to VIP an hour later: its targets
        # are recomputed from the original start (15m -> 10m first response).
        self.ok("sla", "clocks", "start", "REQ-2", "--kind",
                "hotline-question", "--tier", "standard", "--center", "MSK-01",
                "--at", "2025-03-06T10:00:00+03:00")
        clocks = self.ok("--json", "sla", "clocks", "recompute", "REQ-2",
                         "--kind", "hotline-question", "--tier", "vip",
                         "--center", "MSK-01").json()
        first = [c for c in clocks
                 if c["kind"] == "CLOCK_KIND_FIRST_RESPONSE"][0]
        self.assertEqual(first["ruleName"], "vip hotline")
        self.assertEqual(first["dueAt"], "2025-03-06T07:10:00Z")

        events = self.ok("--json", "events").json()
        seqs = [int(e["seq"]) for e in events]
        self.assertEqual(seqs, sorted(seqs))
        self.assertIn("sla.breached", [e["action"] for e in events])
        tail = self.ok("--json", "events", "--after", str(seqs[-3])).json()
        self.assertEqual([int(e["seq"]) for e in tail], seqs[-2:])
        self.assertEqual(len(self.ok("--json", "events", "--limit",
                                     "2").json()), 2)
        followed = self.ok("--json", "events", "--follow", "--after",
                           str(seqs[-3]), "--limit", "2").out.splitlines()
        self.assertEqual([int(json.loads(l)["seq"]) for l in followed],
                         seqs[-2:])


class StoreUriTest(SdctlTestCase):
    def test_memory_and_sqlite_uris(self):
        self.assertEqual(self.ok("--db", "memory:", "centers", "list").out,
                         "(none)\n")
        path = os.path.join(self.dir, "sub.db")
        self.ok("--db", "sqlite:" + path, "--json", "demo")
        self.assertTrue(os.path.exists(path))
        self.env["SDCTL_DB"] = path
        self.assertIn("MSK-01", self.ok("centers", "list").out)
        self.assertFalse(os.path.exists(os.path.join(self.dir,
                                                     "servicedesk.db")))
        r = self.fails(1, "--db", "ftp://x", "centers", "list")
        self.assertIn("uri", r.err)
        # SQLite options ride in the URI's query.
        self.assertIn("MSK-01", self.ok(
            "--db", "sqlite:" + path + "?busy_timeout_ms=250",
            "centers", "list").out)
        r = self.fails(1, "--db", "sqlite:" + path + "?cache=big",
                       "centers", "list")
        self.assertIn("cache", r.err)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: sdctl_test.py PATH/TO/sdctl [unittest args]")
    SDCTL = os.path.abspath(sys.argv.pop(1))
    unittest.main()
