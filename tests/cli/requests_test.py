#!/usr/bin/python3
"""End-to-end tests of sdctl's service-request commands: requests, dialogs,
technical support and the compliance report.

Usage: requests_test.py PATH/TO/sdctl [unittest args]

Same harness as sdctl_test.py: each test runs the built binary in a fresh
temporary folder on top of `sdctl demo` (seeded at Monday 3 March 2025,
09:00 Moscow). The tests' own requests are registered a week later, so that
a report over that week sees only them.
"""

import json
import csv
import io
import os
import sys
import unittest

import sdctl_test
from sdctl_test import SdctlTestCase

# Monday 10 March 2025, Moscow (UTC+3): a working day on the demo calendar.
MON_10 = "2025-03-10T10:00:00+03:00"


def at(hhmm, day="2025-03-10"):
    return ["--now", f"{day}T{hhmm}:00+03:00"]


class RequestsTestCase(SdctlTestCase):
    def setUp(self):
        super().setUp()
        self.net = self.demo()
        self.staff = {s["fullName"]: s["id"] for s in self.net["staff"]}
        self.hotline = self.staff["Sergey Ivanov"]
        self.engineer = self.staff["Pavel Kuznetsov"]
        self.orgs = {o["name"]: o["id"] for o in self.net["organizations"]}
        self.contacts = {c["fullName"]: c for c in self.net["contacts"]}
        self.orlova = self.contacts["Maria Orlova"]["id"]  # Romashka LLC

    def req(self, *args, actor=None, now=None):
        """`sdctl --json requests ARGS...` that must succeed; the record."""
        pre = ["--json"]
        if actor:
            pre += ["--as", actor]
        if now:
            pre += now
        return self.ok(*pre, "requests", *args).json()

    def open_question(self, now=None, subject="How is VAT on advances paid?"):
        return self.req("open", "--org", self.orgs["Romashka LLC"],
                        "--kind", "HOTLINE_QUESTION", "--channel", "phone",
                        "--subject", subject,
                        actor="contact:" + self.orlova, now=now or at("10:00"))


class DemoRequestsTest(RequestsTestCase):
    def test_demo_seeds_requests_in_various_states_idempotently(self):
        states = {r["subject"]: r for r in self.net["requests"]}
        self.assertGreaterEqual(len(states), 4)
        by_state = {}
        for r in self.net["requests"]:
            by_state.setdefault(r["state"], []).append(r)
        resolved = by_state["REQUEST_STATE_RESOLVED"][0]
        self.assertEqual(resolved["rating"]["score"], 5)
        self.assertIn("REQUEST_STATE_WAITING_ON_CLIENT", by_state)
        queued = by_state["REQUEST_STATE_NEW"][0]
        self.assertEqual(queued["assigneeId"], "")
        channels = {r["channel"] for r in self.net["requests"]}
        self.assertGreaterEqual(len(channels), 3)
        self.assertEqual(self.net["dialogs"][0]["state"],
                         "DIALOG_STATE_WAITING")
        self.assertEqual(len(self.net["visits"]), 1)

        again = self.demo()
        self.assertFalse(again["created"])
        for key in ("requests", "dialogs", "visits", "installations"):
            self.assertEqual(sorted(x["id"] for x in again[key]),
                             sorted(x["id"] for x in self.net[key]), key)
        # The dialog has its own request (kind online-dialog).
        self.assertEqual(len(self.req("list")),
                         len(self.net["requests"]) + len(self.net["dialogs"]))
        text = self.ok("demo").out
        self.assertIn("\nRequests\nID ", text)
        self.assertIn("waiting-on-client", text)


class LifecycleTest(RequestsTestCase):
    def test_reopen_window_is_a_global_flag(self):
        me = "staff:" + self.hotline
        client = "contact:" + self.orlova
        rid = self.open_question()["id"]
        self.req("respond", rid, "--text", "Looking.", actor=me,
                 now=at("10:05"))
        self.req("resolve", rid, "--resolution", "sent", actor=me,
                 now=at("10:10"))
        # Two hours later: inside the default 14 days, outside a 1h window.
        late = at("12:10")
        r = self.fails(1, "--reopen-window", "1h", "--as", client, *late,
                       "requests", "reopen", rid, "--reason", "again")
        self.assertIn("reopen_window", r.err)
        self.env["SDCTL_REOPEN_WINDOW"] = "90m"
        r = self.fails(1, "--as", client, *late, "requests", "reopen", rid,
                       "--reason", "again")
        self.assertIn("reopen_window", r.err)
        del self.env["SDCTL_REOPEN_WINDOW"]
        r = self.req("reopen", rid, "--reason", "again", actor=client,
                     now=late)
        self.assertEqual(r["reopenCount"], 1)
        # Bad values: a usage error for the text, the desk's error for the
        # range.
        r = self.fails(2, "--reopen-window", "soon", "requests", "list")
        self.assertIn("--reopen-window", r.err)
        # Out of range: a usage error naming the flag (or the variable), as
        # typed, not the library's field.
        for value in ("0", "1001", "-3", "99999999999"):
            r = self.fails(2, "--dialog-wait-samples", value, "requests",
                           "list")
            self.assertIn(f"--dialog-wait-samples: must be 1..1000, got {value}",
                          r.err)
            self.assertNotIn("requests.dialog_wait_samples", r.err)
        self.env["SDCTL_DIALOG_WAIT_SAMPLES"] = "0"
        r = self.fails(2, "requests", "list")
        self.assertIn("$SDCTL_DIALOG_WAIT_SAMPLES: must be 1..1000, got 0",
                      r.err)
        del self.env["SDCTL_DIALOG_WAIT_SAMPLES"]
        self.ok("--dialog-wait-samples", "50", "requests", "list")
        self.ok("--dialog-wait-samples=1000", "requests", "list")

    def test_request_lifecycle(self):
        # Online dialogs are not opened here, and help does not offer them.
        help_text = self.ok("requests", "open", "--help").out
        self.assertIn("hotline-question", help_text)
        self.assertNotIn("online-dialog", help_text)
        r = self.open_question()
        self.assertEqual(r["state"], "REQUEST_STATE_ASSIGNED")
        self.assertEqual(r["assigneeId"], self.hotline)
        self.assertEqual(r["kind"], "SERVICE_KIND_HOTLINE_QUESTION")
        self.assertEqual(r["channel"], "CHANNEL_PHONE_HOTLINE")
        self.assertEqual(r["priority"], "PRIORITY_NORMAL")
        self.assertEqual(r["contactId"], self.orlova)
        rid = r["id"]
        me = "staff:" + self.hotline
        client = "contact:" + self.orlova

        r = self.req("respond", rid, "--text", "Looking into it.",
                     "--version", r["version"], actor=me, now=at("10:05"))
        self.assertEqual(r["state"], "REQUEST_STATE_IN_PROGRESS")
        self.assertEqual(r["firstResponseAt"], "2025-03-10T07:05:00Z")
        self.assertEqual(r["history"][-1]["reason"], "responded")
        r = self.req("wait", rid, "--reason", "Which tax period?",
                     "--version", r["version"], actor=me, now=at("10:10"))
        self.assertEqual(r["state"], "REQUEST_STATE_WAITING_ON_CLIENT")
        card = self.ok("--as", me, "requests", "get", rid).out
        self.assertRegex(card, r"\nwaiting_for: +Which tax period\?\n")
        r = self.req("resume", rid, "--text", "Q1 2025", actor=client,
                     now=at("11:00"))
        self.assertEqual(r["state"], "REQUEST_STATE_IN_PROGRESS")
        res = self.fails(2, "--as", me, "requests", "outcome", rid,
                         "--documents", "NK-154Tax Code")
        self.assertIn("is not ID:TITLE", res.err)
        r = self.req("outcome", rid, "--documents",
                     "NK-154:Tax Code art. 154,LT-2025-1:Ministry letter",
                     "--note", "read art. 154 first", actor=me,
                     now=at("11:10"))
        docs = r["outcomes"][0]["documentSelection"]
        self.assertEqual([d["documentId"] for d in docs["documents"]],
                         ["NK-154", "LT-2025-1"])
        self.assertEqual(docs["documents"][0]["title"], "Tax Code art. 154")
        self.assertEqual(docs["note"], "read art. 154 first")
        self.assertEqual(r["outcomes"][0]["recordedBy"], self.hotline)
        r = self.req("priority", rid, "urgent", actor=me, now=at("11:15"))
        self.assertEqual(r["priority"], "PRIORITY_URGENT")
        r = self.req("resolve", rid, "--resolution", "documents sent",
                     actor=me, now=at("11:20"))
        self.assertEqual(r["state"], "REQUEST_STATE_RESOLVED")
        r = self.req("rate", rid, "--score", "4", "--comment", "good",
                     actor=client, now=at("11:30"))
        self.assertEqual(r["rating"]["score"], 4)
        r = self.req("close", rid, actor=client, now=at("12:00"))
        self.assertEqual(r["state"], "REQUEST_STATE_CLOSED")
        r = self.req("reopen", rid, "--reason", "one more question",
                     actor=client, now=at("12:30"))
        self.assertEqual(r["state"], "REQUEST_STATE_IN_PROGRESS")
        self.assertEqual(r["reopenCount"], 1)
        r = self.req("cancel", rid, "--reason", "asked on the phone instead",
                     actor=me, now=at("12:40"))
        self.assertEqual(r["state"], "REQUEST_STATE_CANCELLED")

        got = self.req("get", rid)
        self.assertEqual(got["version"], r["version"])
        self.assertEqual([h["to"] for h in got["history"]][-3:],
                         ["REQUEST_STATE_CLOSED", "REQUEST_STATE_IN_PROGRESS",
                          "REQUEST_STATE_CANCELLED"])
        # Human output: a card, and with --history the state changes.
        card = self.ok("requests", "get", rid, "--history").out
        self.assertRegex(card, r"(?m)^state: +cancelled$")
        self.assertRegex(card, r"(?m)^rating: +4/5 \"good\"$")
        self.assertIn("\nHistory\nAT ", card)
        mine = self.req("list", "--assignee", self.hotline, "--kind",
                        "hotline-question", "--state", "cancelled")
        self.assertEqual([x["id"] for x in mine], [rid])
        table = self.ok("requests", "list", "--channel", "phone").out
        self.assertRegex(table.splitlines()[0], r"^ID +STATE +KIND +CHANNEL")
        self.assertIn(rid, table)
        # The cancelled request's clocks are neither met nor breached.
        clocks = self.ok("sla", "clocks", "list", rid).out.splitlines()
        self.assertRegex(clocks[0], r" OUTCOME ")
        col = clocks[0].index("OUTCOME")
        self.assertGreater(len(clocks), 1)
        for line in clocks[1:]:
            self.assertEqual(line[col:].split()[0], "cancelled", line)

    def test_event_details_with_spaces_and_line_breaks_stay_one_line(self):
        rid = self.open_question()["id"]
        reason = 'he said "no"\tthen\nhung up'
        self.req("cancel", rid, "--reason", reason, now=at("10:05"))
        events = self.ok("--json", "events").json()
        mine = [e for e in events if e["action"] == "cancelled"
                and e.get("details", {}).get("reason") == reason]
        self.assertEqual(len(mine), 1, events[-3:])
        seq = int(mine[0]["seq"])
        quoted = 'reason="he said \\"no\\"\\tthen\\nhung up"'
        table = self.ok("events", "--after", str(seq - 1), "--limit",
                        "1").out.splitlines()
        self.assertEqual(len(table), 2, table)  # header and one row
        self.assertIn(quoted, table[1])
        lines = self.ok("events", "--follow", "--after", str(seq - 1),
                        "--limit", "1").out.splitlines()
        self.assertEqual(len(lines), 2, lines)
        header, row = lines[0].split("\t"), lines[1].split("\t")
        self.assertEqual(len(row), len(header))
        # The TSV layer escapes the logfmt layer's backslashes once more.
        details = row[header.index("details")]
        self.assertIn(quoted.replace("\\", "\\\\"), details)

    def test_a_contact_opens_without_naming_its_organization(self):
        r = self.req("open", "--kind", "HOTLINE_QUESTION", "--channel",
                     "phone", "--subject", "Where is the form?",
                     actor="contact:" + self.orlova, now=at("10:00"))
        self.assertEqual(r["organizationId"], self.orgs["Romashka LLC"])
        res = self.fails(2, "--as", "staff:" + self.hotline, "requests",
                         "open", "--kind", "HOTLINE_QUESTION", "--channel",
                         "phone", "--subject", "Where is the form?")
        self.assertIn("--org is required", res.err)

    def test_answer_and_enrollment_outcomes(self):
        r = self.open_question()
        me = "staff:" + self.hotline
        r = self.req("outcome", r["id"], "--answer", "Art. 154 applies.",
                     actor=me)
        self.assertEqual(r["outcomes"][0]["answer"], "Art. 154 applies.")
        r = self.req("outcome", r["id"], "--enrollment", "seminar:sem-12",
                     actor=me)
        self.assertEqual(r["outcomes"][1]["enrollment"],
                         {"kind": "seminar", "referenceId": "sem-12",
                          "note": ""})
        selection = json.dumps({"documents": [
            {"documentId": "NK-154", "title": "Tax Code, art. 154: VAT base",
             "note": "read first"},
            {"documentId": "LT-1", "title": "Letter"}],
            "note": "both, in order"})
        r = self.req("outcome", r["id"], "--selection", selection, actor=me)
        docs = r["outcomes"][2]["documentSelection"]
        self.assertEqual(docs["documents"][0]["title"],
                         "Tax Code, art. 154: VAT base")
        self.assertEqual(docs["documents"][0]["note"], "read first")
        self.assertEqual(docs["note"], "both, in order")
        bad = self.fails(2, "requests", "outcome", r["id"], "--selection",
                         "{not json")
        self.assertIn("--selection", bad.err)
        r = self.fails(2, "requests", "outcome", r["id"], "--answer", "x",
                       "--enrollment", "seminar:1")
        self.assertIn("exactly one of", r.err)

    def test_stale_version_is_aborted(self):
        r = self.open_question()
        stale = r["version"]
        me = "staff:" + self.hotline
        self.req("start", r["id"], "--version", stale, actor=me)
        before = self.ok("--json", "events").json()
        res = self.fails(1, "--as", me, "requests", "respond", r["id"],
                         "--text", "hello", "--version", stale)
        self.assertTrue(res.err.startswith("sdctl: ABORTED: "), res)
        self.assertEqual(self.ok("--json", "events").json(), before)
        # Without --version the current one is read first.
        self.req("respond", r["id"], "--text", "hello", actor=me)

    def test_illegal_transition_names_both_states(self):
        r = self.open_question()
        me = "staff:" + self.hotline
        self.req("respond", r["id"], "--text", "answer", actor=me)
        self.req("resolve", r["id"], "--resolution", "done", actor=me)
        res = self.fails(1, "--as", me, "requests", "wait", r["id"],
                         "--reason", "more details please")
        self.assertTrue(res.err.startswith("sdctl: FAILED_PRECONDITION: "),
                        res)
        self.assertIn("RESOLVED", res.err)
        self.assertIn("WAITING_ON_CLIENT", res.err)

    def test_refused_calls_for_contacts(self):
        r = self.open_question()
        client = "contact:" + self.orlova
        before = self.ok("--json", "events").json()
        res = self.fails(1, "--as", client, "requests", "respond", r["id"],
                         "--text", "I answer myself", "--version",
                         r["version"])
        self.assertTrue(res.err.startswith("sdctl: PERMISSION_DENIED: "), res)
        other = self.contacts["Elena Kozlova"]["id"]  # Vector Engineering
        res = self.fails(1, "--as", "contact:" + other, "requests", "get",
                         r["id"])
        self.assertEqual(res.err, f"sdctl: NOT_FOUND: id: request "
                                  f"'{r['id']}' not found\n")
        # Staff-only commands refuse any contact before looking the id up,
        # as from C and Python: also when sdctl reads the current version or
        # record first (no --version), which the contact may not read.
        for args in (["requests", "start", r["id"]],
                     ["requests", "respond", r["id"], "--text", "Mine"],
                     ["orgs", "update", r["organizationId"], "--name", "X"],
                     ["staff", "update", r["assigneeId"], "--name", "X"]):
            with self.subTest(args=args):
                res = self.fails(1, "--as", "contact:" + other, *args)
                self.assertTrue(
                    res.err.startswith("sdctl: PERMISSION_DENIED: "), res)
        # Rating is for the request's contact only, and only once resolved.
        res = self.fails(1, "requests", "rate", r["id"], "--score", "5")
        self.assertIn("PERMISSION_DENIED", res.err)
        self.assertEqual(self.ok("--json", "events").json(), before)
        # A contact lists only its own organisation's requests.
        own = self.req("list", actor=client)
        self.assertTrue(own)
        self.assertTrue(all(x["organizationId"] == self.orgs["Romashka LLC"]
                            for x in own))

    def test_friendly_enums_and_usage_errors(self):
        r = self.req("open", "--org", self.orgs["Vector Engineering JSC"],
                     "--kind", "hotline_question", "--channel", "EMAIL",
                     "--priority", "urgent", "--subject", "Question")
        self.assertEqual(r["channel"], "CHANNEL_EMAIL")
        self.assertEqual(r["priority"], "PRIORITY_URGENT")
        cases = [
            (["requests", "open", "--org", "org-1", "--kind", "tech",
              "--channel", "email", "--subject", "x"],
             "--kind: 'tech' is ambiguous (tech-installation, tech-setup"),
            (["requests", "open", "--org", "org-1", "--kind", "hotline",
              "--channel", "pigeon", "--subject", "x"],
             "--channel: unknown value 'pigeon'"),
            (["requests", "start", "req-1", "--version", "soon"],
             "--version: not an integer"),
            (["requests", "priority", "req-1", "asap"],
             "PRIORITY: unknown value 'asap'"),
            (["report", "--from", "2025-03-01", "--to", "2025-04-01", "--by",
              "region"], "--by: unknown group 'region'"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                res = self.fails(2, *args)
                self.assertIn(message, res.err)

    def test_queue_and_assign_queued(self):
        # The demo's archival order waits: nobody holds a valid "documents".
        queued = self.req("queue", "MSK-01")
        self.assertEqual(len(queued), 1)
        self.assertEqual(queued[0]["kind"],
                         "SERVICE_KIND_DOCUMENT_ORDER_ARCHIVAL")
        self.assertEqual(self.req("assign-queued", "MSK-01"), [])
        self.ok("staff", "update", self.hotline, "--add-qual",
                "documents:2027-12-31")
        assigned = self.req("assign-queued", "MSK-01")
        self.assertEqual([x["id"] for x in assigned], [queued[0]["id"]])
        self.assertEqual(assigned[0]["assigneeId"], self.hotline)
        self.assertEqual(self.ok("requests", "queue", "MSK-01").out,
                         "(none)\n")
        # Manual assignment by an administrator, with a reason.
        other = self.staff["Dmitry Sokolov"]
        res = self.fails(1, "requests", "assign", queued[0]["id"], "--to",
                         other, "--reason", "knows archives")
        self.assertIn("FAILED_PRECONDITION", res.err)  # not a hotline role
        self.assertIn("staff_id", res.err)


class DialogsTest(RequestsTestCase):
    def test_dialog_queue_position_take_post_close(self):
        tatiana = "contact:" + self.contacts["Tatiana Morozova"]["id"]
        d = self.ok("--json", "--as", tatiana, *at("10:00"), "dialogs",
                    "open", "--topic", "Holiday pay",
                    "--message", "How is holiday pay computed?").json()
        self.assertEqual(d["state"], "DIALOG_STATE_WAITING")
        # The demo's dialog waits ahead of it.
        pos = self.ok("--json", "--as", tatiana, "dialogs", "position",
                      d["id"]).json()
        self.assertEqual(pos["position"], 2)
        self.assertEqual(pos["waiting"], 2)
        self.assertTrue(pos["expectedWait"].endswith("s"))
        self.assertTrue(pos["expectedAt"].endswith("Z"))
        self.assertGreaterEqual(pos["availableSpecialists"], 1)
        card = self.ok("--as", tatiana, "dialogs", "position", d["id"]).out
        self.assertRegex(card, r"(?m)^position: +2$")
        self.assertRegex(card, r"(?m)^available: +[1-9]")

        me = "staff:" + self.hotline
        first = self.ok("--json", "--as", me, *at("10:01"), "dialogs",
                        "take").json()
        self.assertEqual(first["id"], self.net["dialogs"][0]["id"])
        self.assertEqual(first["state"], "DIALOG_STATE_ACTIVE")
        pos = self.ok("--json", "dialogs", "position", d["id"]).json()
        self.assertEqual(pos["position"], 1)

        away = self.ok("--json", "--as", me, "dialogs", "away").json()
        self.assertIs(away["available"], False)
        res = self.fails(1, "--as", me, "dialogs", "take", d["id"])
        self.assertIn("away", res.err)
        shown = self.ok("dialogs", "presence", self.hotline).out
        self.assertIn("no (away)", shown)
        self.ok("--as", me, "dialogs", "available")
        # Without STAFF and not acting as a staff member: a usage error.
        for cmd in ("available", "away", "presence"):
            res = self.fails(2, "dialogs", cmd)
            self.assertIn("usage: STAFF", res.err)
        taken = self.ok("--json", "--as", me, *at("10:02"), "dialogs", "take",
                        d["id"]).json()
        self.assertEqual(taken["specialistId"], self.hotline)
        # A message may run over several lines.
        self.ok("--as", me, *at("10:03"), "dialogs", "post", d["id"],
                "--text", "Hello!\nSee art. 139 of the Labour Code.")
        self.ok("--as", tatiana, *at("10:04"), "dialogs", "post", d["id"],
                "--text", "Thank you!")
        closed = self.ok("--json", "--as", tatiana, *at("10:05"), "dialogs",
                         "close", d["id"]).json()
        self.assertEqual(closed["state"], "DIALOG_STATE_CLOSED")
        self.assertEqual(len(closed["messages"]), 3)
        request = self.req("get", closed["requestId"])
        self.assertEqual(request["state"], "REQUEST_STATE_RESOLVED")
        self.assertEqual(request["kind"], "SERVICE_KIND_ONLINE_DIALOG")
        # The transcript is part of the request.
        self.assertEqual([m["text"] for m in request["messages"]],
                         [m["text"] for m in closed["messages"]])
        history = self.ok("requests", "get", closed["requestId"],
                          "--history").out
        self.assertIn("See art. 139 of the Labour Code.", history)
        shown = self.ok("dialogs", "get", d["id"]).out
        self.assertIn("Thank you!", shown)
        listed = self.ok("--json", "dialogs", "list", "--state",
                         "closed").json()
        self.assertEqual([x["id"] for x in listed], [d["id"]])
        res = self.fails(1, "dialogs", "position", d["id"])
        self.assertIn("FAILED_PRECONDITION", res.err)
        res = self.fails(1, "--as", me, "dialogs", "take")
        self.assertIn("NOT_FOUND", res.err)
        res = self.fails(1, "dialogs", "open", "--topic", "x", "--message",
                         "y")
        self.assertIn("PERMISSION_DENIED", res.err)

    def test_expected_wait_counts_the_available_specialists(self):
        tatiana = "contact:" + self.contacts["Tatiana Morozova"]["id"]
        d = self.ok("--json", "--as", tatiana, *at("10:00"), "dialogs",
                    "open", "--topic", "Holiday pay",
                    "--message", "How is holiday pay computed?").json()

        def position():
            return self.ok("--json", "--as", tatiana, *at("10:01"),
                           "dialogs", "position", d["id"]).json()

        # Second in the queue, one specialist: two rounds of the dialog's
        # 60-second first-response target (no dialog taken yet).
        one = position()
        self.assertEqual(one["position"], 2)
        self.assertEqual(one["availableSpecialists"], 1)
        self.assertEqual(one["expectedWait"], "120s")
        card = self.ok("--as", tatiana, *at("10:01"), "dialogs", "position",
                       d["id"]).out
        self.assertRegex(card, r"(?m)^expected_wait: +2m$")
        # Two more: the three take both waiting dialogs in one round.
        for name in ("Anna Lebedeva", "Oleg Popov"):
            email = name.lower().replace(" ", ".") + "@msk01.example.ru"
            self.ok("staff", "create", "--center", "MSK-01", "--name", name,
                    "--email", email, "--role", "hotline-specialist",
                    "--qual", "hotline")
        three = position()
        self.assertEqual(three["availableSpecialists"], 3)
        self.assertEqual(three["expectedWait"], "60s")
        card = self.ok("--as", tatiana, *at("10:01"), "dialogs", "position",
                       d["id"]).out
        self.assertRegex(card, r"(?m)^expected_wait: +1m$")


class MoreLifecycleTest(RequestsTestCase):
    def test_rating_before_resolution_and_twice_is_refused(self):
        r = self.open_question()
        me = "staff:" + self.hotline
        client = "contact:" + self.orlova
        r = self.req("respond", r["id"], "--text", "Looking.", actor=me,
                     now=at("10:05"))
        before = self.ok("--json", "events").json()
        res = self.fails(1, "--as", client, *at("10:10"), "requests", "rate",
                         r["id"], "--score", "5")
        self.assertTrue(res.err.startswith("sdctl: FAILED_PRECONDITION: "),
                        res)
        self.assertEqual(self.ok("--json", "events").json(), before)
        self.req("resolve", r["id"], "--resolution", "answered", actor=me,
                 now=at("10:20"))
        rated = self.req("rate", r["id"], "--score", "4", actor=client,
                         now=at("10:30"))
        self.assertEqual(rated["rating"]["score"], 4)
        before = self.ok("--json", "events").json()
        res = self.fails(1, "--as", client, *at("10:40"), "requests", "rate",
                         r["id"], "--score", "5", "--comment", "again")
        self.assertTrue(res.err.startswith("sdctl: ALREADY_EXISTS: "), res)
        self.assertEqual(self.ok("--json", "events").json(), before)
        got = self.req("get", r["id"])
        self.assertEqual(got["rating"]["score"], 4)
        self.assertEqual(got["version"], rated["version"])

    def test_kind_change_recomputes_the_clocks(self):
        r = self.open_question()  # Monday 10 March, 10:00 Moscow (07:00Z)
        clocks = {c["kind"]: c for c in self.ok(
            "--json", "sla", "clocks", "list", r["id"]).json()}
        first = clocks["CLOCK_KIND_FIRST_RESPONSE"]
        self.assertEqual(first["target"]["duration"], "900s")
        self.assertEqual(first["dueAt"], "2025-03-10T07:15:00Z")
        # A document selection: 30 minutes and 8 business hours.
        changed = self.req("kind", r["id"], "document-selection",
                           "--version", r["version"],
                           actor="staff:" + self.hotline, now=at("10:05"))
        self.assertEqual(changed["kind"], "SERVICE_KIND_DOCUMENT_SELECTION")
        self.assertGreater(int(changed["version"]), int(r["version"]))
        self.assertEqual(self.req("get", r["id"])["kind"],
                         "SERVICE_KIND_DOCUMENT_SELECTION")
        clocks = {c["kind"]: c for c in self.ok(
            "--json", "sla", "clocks", "list", r["id"]).json()}
        first = clocks["CLOCK_KIND_FIRST_RESPONSE"]
        self.assertEqual(first["target"]["duration"], "1800s")
        self.assertEqual(first["dueAt"], "2025-03-10T07:30:00Z")
        resolution = clocks["CLOCK_KIND_RESOLUTION"]
        self.assertEqual(resolution["target"]["duration"], "28800s")
        self.assertEqual(resolution["dueAt"], "2025-03-10T15:00:00Z")
        # A contact may not change it.
        res = self.fails(1, "--as", "contact:" + self.orlova, "requests",
                         "kind", r["id"], "hotline-question")
        self.assertIn("PERMISSION_DENIED", res.err)

    def test_emergency_target_is_tighter_than_recovery(self):
        org = self.orgs["Romashka LLC"]
        inst = self.ok("--json", "tech", "installations", "create", "--org",
                       org, "--product-version", "2025.1", "--workstations",
                       "4", "--address", "Moscow, Lenina 5").json()

        def clocks(kind):
            r = self.req("open", "--org", org, "--kind", kind, "--channel",
                         "phone", "--installation", inst["id"], "--subject",
                         "Help with " + kind, now=at("10:00"))
            self.assertEqual(r["assigneeId"], self.engineer)
            return {c["kind"]: c for c in self.ok(
                "--json", "sla", "clocks", "list", r["id"]).json()}

        emergency = clocks("tech-emergency")
        recovery = clocks("tech-recovery")
        fr, res = "CLOCK_KIND_FIRST_RESPONSE", "CLOCK_KIND_RESOLUTION"
        # Opened Monday 10:00 Moscow (07:00Z): 15 min / 4 h around the clock
        # against 1 h / 8 business hours.
        self.assertEqual(emergency[fr]["target"]["duration"], "900s")
        self.assertEqual(recovery[fr]["target"]["duration"], "3600s")
        self.assertEqual(emergency[res]["target"]["duration"], "14400s")
        self.assertEqual(recovery[res]["target"]["duration"], "28800s")
        self.assertEqual(emergency[fr]["dueAt"], "2025-03-10T07:15:00Z")
        self.assertEqual(recovery[fr]["dueAt"], "2025-03-10T08:00:00Z")
        self.assertEqual(emergency[res]["dueAt"], "2025-03-10T11:00:00Z")
        self.assertEqual(recovery[res]["dueAt"], "2025-03-10T15:00:00Z")
        for kind in (fr, res):
            self.assertLess(int(emergency[kind]["target"]["duration"][:-1]),
                            int(recovery[kind]["target"]["duration"][:-1]))
            self.assertLess(emergency[kind]["dueAt"], recovery[kind]["dueAt"])

    def test_queued_event_names_the_center_head(self):
        head = self.staff["Irina Volkova"]
        seq = int(self.ok("--json", "events").json()[-1]["seq"])
        # Nobody holds a valid "documents" qualification as a hotline
        # specialist: an archival order is queued.
        r = self.req("open", "--org", self.orgs["Romashka LLC"], "--kind",
                     "document-order-archival", "--channel", "email",
                     "--subject", "The 1998 edition of the Tax Code",
                     actor="contact:" + self.orlova, now=at("10:00"))
        self.assertEqual(r["state"], "REQUEST_STATE_NEW")
        self.assertEqual(r["assigneeId"], "")
        events = self.ok("--json", "events", "--after", str(seq)).json()
        queued = [e for e in events if e["action"] == "queued"]
        self.assertEqual(len(queued), 1, events)
        self.assertEqual(queued[0]["entityType"], "request")
        self.assertEqual(queued[0]["entityId"], r["id"])
        self.assertEqual(queued[0]["details"]["center_heads"], head)
        self.assertIn("documents", queued[0]["details"]["reason"])
        self.assertIn(r["id"], [x["id"] for x in self.req("queue", "MSK-01")])


class HandoverTest(RequestsTestCase):
    def test_dialog_handover_moves_the_dialog_and_its_request(self):
        other = self.ok("--json", "staff", "create", "--center", "MSK-01",
                        "--name", "Anna Lebedeva", "--email",
                        "a.lebedeva@msk01.example.ru", "--role",
                        "hotline-specialist", "--qual", "hotline").json()["id"]
        me = "staff:" + self.hotline
        d = self.net["dialogs"][0]
        taken = self.ok("--json", "--as", me, *at("10:01"), "dialogs", "take",
                        d["id"]).json()
        self.assertEqual(taken["specialistId"], self.hotline)
        # Only a hotline specialist of the center can receive it.
        res = self.fails(1, "--as", me, "dialogs", "handover", d["id"],
                         "--to", self.engineer, "--reason", "tech question")
        self.assertIn("FAILED_PRECONDITION", res.err)
        self.assertIn("to_staff_id", res.err)
        moved = self.ok("--json", "--as", me, *at("10:05"), "dialogs",
                        "handover", d["id"], "--to", other, "--reason",
                        "end of shift").json()
        self.assertEqual(moved["specialistId"], other)
        self.assertEqual(moved["handovers"][-1]["staffId"], other)
        self.assertEqual(moved["handovers"][-1]["reason"], "end of shift")
        self.assertEqual(moved["state"], "DIALOG_STATE_ACTIVE")
        self.assertEqual(self.req("get", d["requestId"])["assigneeId"], other)
        # The new specialist writes; the previous one no longer may.
        self.ok("--as", "staff:" + other, *at("10:06"), "dialogs", "post",
                d["id"], "--text", "Hello, I am taking over.")
        res = self.fails(1, "--as", me, *at("10:07"), "dialogs", "post",
                         d["id"], "--text", "Still here?")
        self.assertIn("PERMISSION_DENIED", res.err)
        shown = self.ok("--json", "dialogs", "get", d["id"]).json()
        self.assertEqual(shown["messages"][-1]["staffId"], other)


class OtherCenterTest(RequestsTestCase):
    def test_staff_of_another_center_and_other_contacts_are_refused(self):
        self.ok("centers", "create", "--code", "SPB-01", "--name",
                "Saint Petersburg Service Center", "--region",
                "Saint Petersburg", "--zone", "Europe/Moscow", "--calendar",
                "ru-msk")
        spb_head = "staff:" + self.ok(
            "--json", "staff", "create", "--center", "SPB-01", "--name",
            "Petr Sidorov", "--email", "p.sidorov@spb01.example.ru",
            "--role", "center-head").json()["id"]
        msk_head = "staff:" + self.staff["Irina Volkova"]
        msk = self.net["center"]["id"]
        r = self.open_question()
        d = self.net["dialogs"][0]  # waiting in MSK-01
        period = ["--from", "2025-03-01", "--to", "2025-03-31"]
        # The Moscow head may make the calls below.
        self.assertEqual(self.req("get", r["id"], actor=msk_head)["id"],
                         r["id"])
        self.ok("--as", msk_head, "dialogs", "get", d["id"])
        self.ok("--as", msk_head, "dialogs", "position", d["id"])
        self.ok("--as", msk_head, "requests", "queue", msk)
        self.ok("--as", msk_head, "report", *period, "--center", msk)

        before = self.ok("--json", "events").json()
        refused = [
            ["requests", "get", r["id"]],
            ["requests", "get", d["requestId"]],
            ["requests", "list", "--center", msk],
            ["requests", "respond", r["id"], "--text", "From Spb",
             "--version", r["version"]],
            ["requests", "queue", msk],
            ["dialogs", "get", d["id"]],
            ["dialogs", "take", d["id"]],
            ["dialogs", "take"],
            ["dialogs", "position", d["id"]],
            ["dialogs", "list", "--center", msk],
            ["report", *period, "--center", msk],
        ]
        for args in refused:
            with self.subTest(args=args):
                res = self.fails(1, "--as", spb_head, *at("10:30"), *args)
                self.assertTrue(
                    res.err.startswith("sdctl: PERMISSION_DENIED: "), res)
        # Unfiltered lists show nothing of Moscow.
        self.assertEqual(self.req("list", actor=spb_head), [])
        self.assertEqual(self.ok("--json", "--as", spb_head, "dialogs",
                                 "list").json(), [])

        # A contact of another organisation cannot read the dialog: to it,
        # the dialog and its request read as ids nobody has.
        other_org = [c for c in self.net["contacts"]
                     if c["organizationId"] != d["organizationId"]][0]
        who = "contact:" + other_org["id"]
        for args in (["dialogs", "get", d["id"]],
                     ["dialogs", "position", d["id"]],
                     ["dialogs", "post", d["id"], "--text", "Hi"],
                     ["requests", "get", d["requestId"]]):
            with self.subTest(args=args):
                res = self.fails(1, "--as", who, *args)
                self.assertTrue(res.err.startswith("sdctl: NOT_FOUND: "),
                                res)
                self.assertIn("not found", res.err)
        self.assertEqual(self.ok("--json", "events").json(), before)
        self.assertEqual(self.req("get", r["id"])["version"], r["version"])


class TechTest(RequestsTestCase):
    def test_installations_and_overlapping_visits(self):
        org = self.orgs["Vector Engineering JSC"]
        inst = self.ok("--json", "tech", "installations", "create", "--org",
                       org, "--product-version", "2024.2", "--workstations",
                       "3", "--set", "federal-law", "--address",
                       "Moscow, Lenina 5").json()
        self.assertFalse(inst["network"])
        self.assertEqual(inst["installedSets"], ["federal-law"])
        up = self.ok("--json", "tech", "installations", "update", inst["id"],
                     "--network", "yes", "--workstations", "5", "--version",
                     inst["version"]).json()
        self.assertTrue(up["network"])
        self.assertEqual(up["workstations"], 5)
        res = self.fails(1, "tech", "installations", "update", inst["id"],
                         "--address", "x", "--version", inst["version"])
        self.assertIn("ABORTED", res.err)
        res = self.fails(2, "tech", "installations", "update", inst["id"],
                         "--no-sets", "--set", "x")
        self.assertIn("exclusive", res.err)
        self.assertEqual(ids(self.ok("--json", "tech", "installations",
                                     "list", org).json()), [inst["id"]])

        r = self.req("open", "--org", org, "--kind", "tech-recovery",
                     "--channel", "phone", "--priority", "high",
                     "--installation", inst["id"], "--subject",
                     "The server does not start", now=at("10:00"))
        self.assertEqual(r["assigneeId"], self.engineer)
        visit = ["tech", "visits", "schedule", "--request", r["id"],
                 "--engineer", self.engineer]
        v1 = self.ok("--json", *visit, "--from", "2025-03-11T10:00:00+03:00",
                     "--to", "2025-03-11T12:00:00+03:00").json()
        self.assertEqual(v1["state"], "VISIT_STATE_SCHEDULED")
        self.assertEqual(v1["installationId"], inst["id"])
        res = self.fails(1, *visit, "--from", "2025-03-11T11:00:00+03:00",
                         "--to", "2025-03-11T13:00:00+03:00")
        self.assertTrue(res.err.startswith("sdctl: FAILED_PRECONDITION: "),
                        res)
        self.assertIn(v1["id"], res.err)
        # Back to back is fine: slots are half-open.
        v2 = self.ok("--json", *visit, "--from", "2025-03-11T12:00:00+03:00",
                     "--to", "2025-03-11T13:00:00+03:00").json()
        self.ok("tech", "visits", "cancel", v1["id"], "--reason",
                "client asked for the afternoon")
        v3 = self.ok("--json", *visit, "--from", "2025-03-11T11:00:00+03:00",
                     "--to", "2025-03-11T12:00:00+03:00").json()
        done = self.ok("--json", "tech", "visits", "complete", v3["id"],
                       "--notes", "server restarted").json()
        self.assertEqual(done["state"], "VISIT_STATE_DONE")
        listed = self.ok("--json", "tech", "visits", "list", r["id"]).json()
        self.assertEqual([v["id"] for v in listed],
                         [v1["id"], v3["id"], v2["id"]])
        self.assertIn("done", self.ok("tech", "visits", "get",
                                      v3["id"]).out)


    def test_visits_are_settled_before_resolving_or_deactivating(self):
        org = self.orgs["Vector Engineering JSC"]
        inst = self.ok("--json", "tech", "installations", "create", "--org",
                       org, "--product-version", " 2024.2 ", "--workstations",
                       "3", "--set", "federal-law  ").json()
        self.assertEqual(inst["productVersion"], "2024.2")
        self.assertEqual(inst["installedSets"], ["federal-law"])
        res = self.fails(1, "tech", "installations", "create", "--org", org,
                         "--product-version", "   ", "--workstations", "3")
        self.assertTrue(res.err.startswith(
            "sdctl: INVALID_ARGUMENT: product_version: "), res)
        r = self.req("open", "--org", org, "--kind", "tech-recovery",
                     "--channel", "phone", "--installation", inst["id"],
                     "--subject", "The server does not start",
                     now=at("10:00"))
        self.assertEqual(r["assigneeId"], self.engineer)
        # Another engineer goes on site; the request stays with its assignee.
        visiting = self.ok("--json", "staff", "create", "--center", "MSK-01",
                           "--name", "Vera Visiting", "--email",
                           "v.visiting@msk01.example.ru", "--role",
                           "engineer", "--qual", "tech-support").json()["id"]
        visit = ["tech", "visits", "schedule", "--request", r["id"],
                 "--engineer", visiting]
        res = self.fails(1, *visit, "--from", "2025-03-11T10:00:00+03:00",
                         "--to", "2025-03-12T12:00:00+03:00")
        self.assertTrue(res.err.startswith(
            "sdctl: INVALID_ARGUMENT: slot_end: "), res)
        res = self.fails(1, *visit, "--from", "2025-03-07T10:00:00+03:00",
                         "--to", "2025-03-07T12:00:00+03:00")
        self.assertTrue(res.err.startswith(
            "sdctl: INVALID_ARGUMENT: slot_start: "), res)
        v = self.ok("--json", *visit, "--from", "2025-03-11T10:00:00+03:00",
                    "--to", "2025-03-11T12:00:00+03:00").json()
        me = "staff:" + self.engineer
        self.req("start", r["id"], actor=me, now=at("10:10"))
        res = self.fails(1, "--as", me, *at("10:20"), "requests", "resolve",
                         r["id"], "--resolution", "restarted")
        self.assertTrue(res.err.startswith(
            "sdctl: FAILED_PRECONDITION: visits: "), res)
        self.assertIn(v["id"], res.err)
        res = self.fails(1, *at("10:30"), "staff", "deactivate", visiting)
        self.assertTrue(res.err.startswith("sdctl: FAILED_PRECONDITION: id: "),
                        res)
        self.assertIn(v["id"], res.err)
        self.ok("--as", "staff:" + visiting, *at("10:00", "2025-03-11"),
                "tech", "visits", "complete", v["id"], "--notes", "restarted")
        done = self.req("resolve", r["id"], "--resolution", "restarted",
                        actor=me, now=at("12:00", "2025-03-11"))
        self.assertEqual(done["state"], "REQUEST_STATE_RESOLVED")
        self.ok(*at("12:00", "2025-03-11"), "staff", "deactivate", visiting)

    def test_cards_show_versions_and_keep_one_line_per_field(self):
        org = self.orgs["Vector Engineering JSC"]
        inst = self.ok("--json", "tech", "installations", "create", "--org",
                       org, "--product-version", "2024.2", "--workstations",
                       "1", "--address", "Moscow, Lenina 5\r\nroom 12").json()
        card = self.ok("tech", "installations", "get", inst["id"]).out
        self.assertRegex(card, r"(?m)^version: +1$")
        self.assertRegex(card, r"(?m)^address: +Moscow, Lenina 5  room 12$")
        self.assertNotIn("\r", card)
        r = self.req("open", "--org", org, "--kind", "tech-setup",
                     "--channel", "phone", "--subject", "Set up",
                     "--installation", inst["id"],
                     "--description", "Two PCs\nand a printer",
                     now=at("10:00"))
        self.assertRegex(self.ok("requests", "get", r["id"]).out,
                         r"(?m)^description: +Two PCs and a printer$")
        v = self.ok("--json", "tech", "visits", "schedule", "--request",
                    r["id"], "--engineer", self.engineer, "--from",
                    "2025-03-12T10:00:00+03:00", "--to",
                    "2025-03-12T11:00:00+03:00").json()
        self.assertRegex(self.ok("tech", "visits", "get", v["id"]).out,
                         r"(?m)^version: +1$")
        # Inactive installations are listed with --all only, as in every list.
        self.ok("tech", "installations", "update", inst["id"], "--active",
                "no")
        self.assertNotIn(inst["id"], ids(self.ok(
            "--json", "tech", "installations", "list", org).json()))
        self.assertIn(inst["id"], ids(self.ok(
            "--json", "tech", "installations", "list", org, "--all").json()))

    def test_odd_global_input_is_a_one_line_usage_error(self):
        res = self.fails(2, "--now", "9999-12-31T23:59:59Z", "centers",
                         "list")
        self.assertIn("--now: '9999-12-31T23:59:59Z' is outside", res.err)
        self.env["SDCTL_NOW"] = "yesterday"
        res = self.fails(2, "centers", "list")
        self.assertIn("$SDCTL_NOW", res.err)
        del self.env["SDCTL_NOW"]
        res = self.fails(2, "requests", "list", "--state", "new\nx")
        self.assertEqual(len(res.err.splitlines()), 1, res.err)
        self.fails(2, "events", "--after", "-1")
        # Years below 1000 keep four digits (RFC 3339).
        csv = self.ok("report", "--from", "0001-01-01", "--to",
                      "2026-01-01", "--csv").out
        self.assertIn("0001-01-01T00:00:00Z", csv)


class ReportTest(RequestsTestCase):
    def test_report_csv_json_and_table(self):
        # One hotline question answered in 5 and resolved in 30 minutes: met.
        r = self.open_question(now=at("10:00"))
        me = "staff:" + self.hotline
        self.req("respond", r["id"], "--text", "On it.", actor=me,
                 now=at("10:05"))
        self.req("resolve", r["id"], "--resolution", "answered", actor=me,
                 now=at("10:30"))
        self.req("rate", r["id"], "--score", "5",
                 actor="contact:" + self.orlova, now=at("10:40"))
        period = ["--from", "2025-03-10", "--to", "2025-03-11"]
        now = at("12:00", day="2025-03-11")

        out = self.ok(*now, "report", *period, "--csv").out
        lines = out.splitlines()
        header = lines[0].split(",")
        for column in ("requests", "met", "breached"):
            self.assertIn(column, header)
        rows = list(csv.DictReader(io.StringIO(out.split("\n\n")[0])))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["requests"], "1")
        self.assertEqual(rows[0]["met"], "1")
        self.assertEqual(rows[0]["breached"], "0")

        report = self.ok(*now, "--json", "report", *period, "--by",
                         "kind,channel", "--center", "MSK-01").json()
        self.assertEqual(report["from"], "2025-03-10T00:00:00Z")
        self.assertEqual(report["to"], "2025-03-11T00:00:00Z")
        self.assertEqual(len(report["rows"]), 1)
        row = report["rows"][0]
        self.assertEqual(row["kind"], "SERVICE_KIND_HOTLINE_QUESTION")
        self.assertEqual(row["channel"], "CHANNEL_PHONE_HOTLINE")
        self.assertEqual(row["requests"], "1")
        self.assertEqual(row["met"], "1")
        self.assertEqual(row["breached"], "0")
        self.assertEqual(row["compliancePct"], 100)
        self.assertEqual(row["satisfactionCount"], "1")
        self.assertEqual(row["firstResponseP50"], "300s")

        table = self.ok(*now, "report", *period, "--by", "kind").out
        self.assertTrue(table.startswith("Compliance 2025-03-10T00:00:00Z "
                                         ".. 2025-03-11T00:00:00Z\n"), table)
        self.assertRegex(table, r"\nKIND +REQUESTS +MET +BREACHED +COMPLIANCE")
        self.assertRegex(table, r"\nhotline-question +1 +1 +0 +100\.0%")
        self.assertIn("\nBacklog at 2025-03-11T00:00:00Z\n", table)

        # Rows per day at Moscow midnights, across two days: Monday's row
        # starts at Sunday 21:00 UTC.
        two_days = ["--from", "2025-03-09T21:00:00Z", "--to",
                    "2025-03-11T21:00:00Z"]
        out = self.ok(*now, "report", *two_days, "--period", "day",
                      "--time-zone", "Europe/Moscow", "--csv").out
        rows = list(csv.DictReader(io.StringIO(out.split("\n\n")[0])))
        self.assertEqual([(r["period_start"], r["period_end"], r["requests"])
                          for r in rows],
                         [("2025-03-09T21:00:00Z", "2025-03-10T21:00:00Z",
                           "1")])
        table = self.ok(*now, "report", *two_days, "--period", "day",
                        "--time-zone", "Europe/Moscow").out
        self.assertRegex(table, r"\nPERIOD +REQUESTS +MET")
        self.assertRegex(table, r"\n2025-03-10 +1 +1 +0 +100\.0%")
        # The backlog per begun day: Monday's at its Moscow midnight,
        # Tuesday's now (12:00 Moscow), with the rows' grouping columns.
        backlog = table[table.index("\nBacklog at each period's end"):]
        self.assertRegex(backlog, r"\nPERIOD +AT +AGE +COUNT\n")
        self.assertRegex(backlog, r"\n2025-03-10 +2025-03-10T21:00:00Z +\S+ +\d+")
        self.assertRegex(backlog, r"\n2025-03-11 +2025-03-11T09:00:00Z +\S+ +\d+")
        table = self.ok(*now, "report", *two_days, "--period", "day",
                        "--time-zone", "Europe/Moscow", "--by", "kind").out
        backlog = table[table.index("\nBacklog at each period's end"):]
        self.assertRegex(backlog, r"\nPERIOD +AT +KIND +AGE +COUNT\n")
        self.assertRegex(backlog, r"\n2025-03-11 +2025-03-11T09:00:00Z +"
                         r"document-selection +\S+ +1\n")
        res = self.fails(2, *now, "report", *two_days, "--period", "year")
        self.assertIn("--period", res.err)
        res = self.fails(2, *now, "report", *two_days, "--time-zone", "UTC")
        self.assertIn("--period", res.err)
        res = self.fails(1, *now, "report", *two_days, "--period", "week",
                         "--time-zone", "Nowhere/Special")
        self.assertIn("time_zone", res.err)
        # The rows' CSV is one table: every line has the header's fields.
        out = self.ok(*now, "report", *two_days, "--by", "staff",
                      "--csv").out
        table = list(csv.reader(io.StringIO(out)))
        self.assertTrue(all(len(line) == len(table[0]) for line in table))
        # The backlog is a table of its own, by the assignee here.
        out = self.ok(*now, "report", *two_days, "--by", "staff",
                      "--backlog-csv").out
        backlog = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual(out.splitlines()[0],
                         "period_start,period_end,backlog_at,center_id,kind,"
                         "channel,staff_id,age_bucket,count")
        self.assertTrue(backlog)
        # Taken now (12:00 in Moscow), the period not being over.
        self.assertEqual({b["backlog_at"] for b in backlog},
                         {"2025-03-11T09:00:00Z"})
        self.assertIn("staff-4", {b["staff_id"] for b in backlog})
        res = self.fails(2, *now, "report", *two_days, "--csv",
                         "--backlog-csv")
        self.assertIn("exclusive", res.err)

        # Contacts may not see reports.
        res = self.fails(1, "--as", "contact:" + self.orlova, "report",
                         *period)
        self.assertIn("PERMISSION_DENIED", res.err)
        res = self.fails(1, "report", "--from", "2025-03-11", "--to",
                         "2025-03-10")
        self.assertIn("INVALID_ARGUMENT", res.err)

    def test_report_to_date_shows_no_figure_as_a_dash(self):
        # Wednesday 10:00: a question nobody has answered yet, due at 14:00.
        self.open_question(now=at("10:00", day="2025-03-12"))
        now = at("11:00", day="2025-03-12")
        month = ["--from", "2025-03-12", "--to", "2025-04-01", "--by", "kind"]
        table = self.ok(*now, "report", *month).out
        # The first response (due 10:15) is overdue; the resolution (due
        # 14:00) is not yet; nothing stopped: no figures, not zeros.
        self.assertRegex(table, r"\nhotline-question +1 +0 +0 +- +0 +1 +- +- "
                         r"+- +- +-\n")
        # The backlog is taken now, not at the end of the month.
        self.assertIn("\nBacklog at 2025-03-12T08:00:00Z\n", table)
        out = self.ok(*now, "report", *month, "--csv").out
        row = next(r for r in csv.DictReader(io.StringIO(out.split("\n\n")[0]))
                   if r["kind"] == "SERVICE_KIND_HOTLINE_QUESTION")
        self.assertEqual(row["compliance_pct"], "")
        self.assertEqual(row["resolution_p50_s"], "")
        self.assertEqual(row["satisfaction_avg"], "")
        res = self.fails(1, *now, "report", *month, "--center", "nope")
        self.assertIn("NOT_FOUND", res.err)
        self.assertIn("center_id", res.err)
        res = self.fails(1, *now, "report", *month, "--center", "NOPE-01")
        self.assertIn("NOT_FOUND: center_id: no center with code 'NOPE-01'",
                      res.err)
        self.assertIn("center_id", res.err)


def ids(items):
    return sorted(i["id"] for i in items)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: requests_test.py PATH/TO/sdctl [unittest args]")
    sdctl_test.SDCTL = os.path.abspath(sys.argv.pop(1))
    unittest.main()
