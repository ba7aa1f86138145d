// `sdctl demo`: seeds a small demo network so that every other command has
// something to work on.
//
// Every step is "ensure", not "create": a record that already exists (found by
// its natural key — calendar id, center code, e-mail, INN) is reused. So
// running the demo twice, or after an interrupted run, completes the network
// instead of failing with ALREADY_EXISTS.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sdctl/cli.h"
#include "sdctl/org_util.h"
#include "sdctl/output.h"
#include "sdctl/values.h"
#include "servicedesk/calendar.h"
#include "servicedesk/centers.h"
#include "servicedesk/clients.h"
#include "servicedesk/dialogs.h"
#include "servicedesk/requests.h"
#include "servicedesk/sla.h"
#include "servicedesk/staff.h"
#include "servicedesk/techsupport.h"

namespace sdctl {
namespace v1 = servicedesk::v1;
namespace {

constexpr char kCalendarId[] = "ru-msk";
constexpr char kHotlineCalendarId[] = "ru-msk-hotline";
constexpr char kCenterCode[] = "MSK-01";
constexpr char kZone[] = "Europe/Moscow";

struct DemoStaff {
  const char* name;
  const char* email;
  const char* phone;
  std::vector<v1::StaffRole> roles;
  std::vector<const char*> qualifications;  // code[:valid-until]
};

struct DemoContact {
  const char* name;
  const char* position;
  const char* email;
  const char* phone;
};

struct DemoOrg {
  const char* name;
  const char* inn;  // checksum-valid, fictional
  v1::ClientTier tier;
  std::vector<v1::ProfileTopic> topics;
  int manager;  // index into the staff list
  std::vector<DemoContact> contacts;
};

const std::vector<DemoStaff>& Staff() {
  static const auto* staff = new std::vector<DemoStaff>{
      {"Irina Volkova",
       "i.volkova@msk01.example.ru",
       "+7 495 100-00-01",
       {v1::STAFF_ROLE_CENTER_HEAD, v1::STAFF_ROLE_PERSONAL_MANAGER},
       {}},
      {"Dmitry Sokolov",
       "d.sokolov@msk01.example.ru",
       "+7 495 100-00-02",
       {v1::STAFF_ROLE_PERSONAL_MANAGER},
       {"documents:2027-12-31"}},
      {"Anna Petrova",
       "a.petrova@msk01.example.ru",
       "+7 495 100-00-03",
       {v1::STAFF_ROLE_PERSONAL_MANAGER},
       {}},
      {"Sergey Ivanov",
       "s.ivanov@msk01.example.ru",
       "+7 495 100-00-04",
       {v1::STAFF_ROLE_HOTLINE_SPECIALIST},
       // An expired qualification, so that `staff list --qual documents`
       // shows the difference between holding and holding a valid one.
       {"hotline:2027-12-31", "documents:2024-06-30"}},
      {"Olga Smirnova",
       "o.smirnova@msk01.example.ru",
       "+7 495 100-00-05",
       {v1::STAFF_ROLE_TRAINER},
       {"training"}},
      {"Pavel Kuznetsov",
       "p.kuznetsov@msk01.example.ru",
       "+7 495 100-00-06",
       {v1::STAFF_ROLE_ENGINEER},
       {"tech-support:2026-12-31"}},
  };
  return *staff;
}

const std::vector<DemoOrg>& Orgs() {
  static const auto* orgs = new std::vector<DemoOrg>{
      {"Romashka LLC",
       "7705123452",
       v1::CLIENT_TIER_PREMIUM,
       {v1::PROFILE_TOPIC_ACCOUNTING, v1::PROFILE_TOPIC_TAXES},
       1,
       {{"Maria Orlova", "Chief accountant", "m.orlova@romashka.example.ru",
         "+7 495 200-00-01"},
        {"Igor Belov", "Lawyer", "i.belov@romashka.example.ru",
         "+7 495 200-00-02"}}},
      {"Vector Engineering JSC",
       "7728345677",
       v1::CLIENT_TIER_STANDARD,
       {v1::PROFILE_TOPIC_LEGAL, v1::PROFILE_TOPIC_PROCUREMENT},
       2,
       {{"Elena Kozlova", "Procurement manager", "e.kozlova@vector.example.ru",
         "+7 495 300-00-01"}}},
      {"School No. 1234",
       "7712345671",
       v1::CLIENT_TIER_VIP,
       {v1::PROFILE_TOPIC_BUDGET_SECTOR, v1::PROFILE_TOPIC_HR},
       1,
       {{"Tatiana Morozova", "Head of HR", "t.morozova@school1234.example.ru",
         "+7 495 400-00-01"}}},
      {"Nikolai Petrov, sole proprietor",
       "771234567859",
       v1::CLIENT_TIER_STANDARD,
       {v1::PROFILE_TOPIC_TAXES},
       2,
       {{"Nikolai Petrov", "Owner", "n.petrov@example.ru",
         "+7 916 500-00-01"}}},
  };
  return *orgs;
}

// The production calendar `id` over Monday-Friday `open`-`close` (local
// hours): the offices' calendar, and the hotline's longer one.
absl::StatusOr<v1::BusinessCalendar> EnsureCalendar(Context& ctx,
                                                    servicedesk::Desk& desk,
                                                    const char* id,
                                                    const char* name, int open,
                                                    int close, bool* created) {
  absl::StatusOr<v1::BusinessCalendar> found =
      desk.calendars().Get(ctx.actor, id);
  if (found.ok() || !absl::IsNotFound(found.status())) return found;
  std::vector<v1::WeekdaySchedule> weekly;
  for (v1::Weekday d :
       {v1::MONDAY, v1::TUESDAY, v1::WEDNESDAY, v1::THURSDAY, v1::FRIDAY}) {
    v1::WeekdaySchedule& day = weekly.emplace_back();
    day.set_weekday(d);
    v1::TimeInterval* hours = day.add_intervals();
    hours->set_start_seconds(open * 3600);
    hours->set_end_seconds(close * 3600);
  }
  SDCTL_ASSIGN_OR_RETURN(v1::BusinessCalendar spec,
                         servicedesk::RussiaProductionCalendar(kZone, weekly));
  spec.set_id(id);
  spec.set_name(name);
  *created = true;
  return desk.calendars().Create(ctx.actor, spec);
}

absl::StatusOr<v1::ServiceCenter> EnsureCenter(Context& ctx,
                                               servicedesk::Desk& desk,
                                               bool* created) {
  absl::StatusOr<v1::ServiceCenter> found =
      desk.centers().GetByCode(ctx.actor, kCenterCode);
  if (found.ok() && found->hotline_calendar_id().empty()) {
    // A network seeded before the demo had hotline hours.
    v1::ServiceCenter c = *found;
    c.set_hotline_calendar_id(kHotlineCalendarId);
    return desk.centers().Update(ctx.actor, c);
  }
  if (found.ok() || !absl::IsNotFound(found.status())) return found;
  v1::ServiceCenter c;
  c.set_code(kCenterCode);
  c.set_name("Moscow Service Center");
  c.set_region("Moscow");
  c.set_time_zone(kZone);
  c.set_calendar_id(kCalendarId);
  c.set_hotline_calendar_id(kHotlineCalendarId);
  *created = true;
  return desk.centers().Create(ctx.actor, c);
}

// ---- requests: the product's core, on different channels and in various
// states. Each is found again by its organisation and subject, and driven
// from whatever state it is in towards the state the demo wants, so a second
// run (or one after an interrupted run) neither fails nor duplicates.

enum class Goal {
  kRatedResolved,
  kWaitingOnClient,
  kQueued,
  kAssigned,
  kInProgress
};

struct DemoRequest {
  int org;              // index into Orgs()
  const char* contact;  // e-mail of the contact who asked
  v1::ServiceKind kind;
  v1::Channel channel;
  v1::Priority priority;
  const char* subject;
  const char* description;
  Goal goal;
  bool installation;  // refers to the demo installation of its organisation
};

const std::vector<DemoRequest>& Requests() {
  static const auto* requests = new std::vector<DemoRequest>{
      {0, "m.orlova@romashka.example.ru", v1::SERVICE_KIND_HOTLINE_QUESTION,
       v1::CHANNEL_PHONE_HOTLINE, v1::PRIORITY_NORMAL,
       "VAT on advance payments received",
       "Which tax code articles apply to VAT on advances from buyers?",
       Goal::kRatedResolved, false},
      {1, "e.kozlova@vector.example.ru", v1::SERVICE_KIND_DOCUMENT_SELECTION,
       v1::CHANNEL_EMAIL, v1::PRIORITY_HIGH,
       "Court practice on late delivery penalties",
       "Penalties under supply contracts (44-FZ), recent court decisions.",
       Goal::kWaitingOnClient, false},
      {2, "t.morozova@school1234.example.ru",
       v1::SERVICE_KIND_DOCUMENT_ORDER_ARCHIVAL,
       v1::CHANNEL_ONLINE_SELF_SERVICE, v1::PRIORITY_NORMAL,
       "Labour Code as in force on 1 February 2002",
       "The original edition, for a dispute about a 2002 contract.",
       Goal::kQueued, false},
      {3, "n.petrov@example.ru", v1::SERVICE_KIND_MANAGER_CONTACT,
       v1::CHANNEL_PERSONAL_MANAGER, v1::PRIORITY_LOW,
       "Renewal of the service contract", "Please call me about next year.",
       Goal::kAssigned, false},
      {0, "i.belov@romashka.example.ru", v1::SERVICE_KIND_TECH_SETUP,
       v1::CHANNEL_EMAIL, v1::PRIORITY_NORMAL,
       "Set up two new workstations in accounting",
       "Network installation; the new PCs are in room 204.", Goal::kInProgress,
       true},
  };
  return *requests;
}

constexpr char kInstallationAddress[] = "Moscow, Tverskaya 1, room 204";
constexpr char kDialogTopic[] = "Where is the new VAT refund form?";

struct DemoWork {
  std::vector<v1::ServiceRequest> requests;
  std::vector<v1::Installation> installations;
  std::vector<v1::Visit> visits;
  std::vector<v1::Dialog> dialogs;
};

absl::StatusOr<v1::Installation> EnsureInstallation(Context& ctx,
                                                    servicedesk::Desk& desk,
                                                    const v1::Organization& org,
                                                    bool* created) {
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::Installation> existing,
      FetchAll<v1::Installation>([&](const servicedesk::PageRequest& p) {
        return desk.techsupport().ListInstallations(ctx.actor, org.id(), p);
      }));
  for (const v1::Installation& i : existing) {
    if (i.address() == kInstallationAddress) return i;
  }
  v1::Installation i;
  i.set_organization_id(org.id());
  i.set_product_version("2025.1");
  i.set_workstations(12);
  i.set_network(true);
  i.add_installed_sets("federal-law");
  i.add_installed_sets("court-practice");
  i.add_installed_sets("accounting");
  i.set_address(kInstallationAddress);
  *created = true;
  return desk.techsupport().CreateInstallation(ctx.actor, i);
}

// Moves `r` one step towards `goal`; false when it is there (or cannot get
// further, e.g. a request nobody may take stays queued).
absl::StatusOr<bool> Advance(Context& ctx, servicedesk::Desk& desk,
                             const DemoRequest& d, v1::ServiceRequest* r) {
  servicedesk::Requests& q = desk.requests();
  const servicedesk::Actor staff = servicedesk::StaffActor(r->assignee_id());
  const servicedesk::Actor client = servicedesk::ContactActor(r->contact_id());
  absl::StatusOr<v1::ServiceRequest> next;
  switch (d.goal) {
    case Goal::kQueued:
    case Goal::kAssigned:
      return false;
    case Goal::kInProgress:
      if (r->state() != v1::REQUEST_STATE_ASSIGNED) return false;
      next = q.Start(staff, r->id(), r->version());
      break;
    case Goal::kWaitingOnClient:
      if (r->state() == v1::REQUEST_STATE_ASSIGNED) {
        next = q.Start(staff, r->id(), r->version());
      } else if (r->state() == v1::REQUEST_STATE_IN_PROGRESS) {
        next = q.WaitOnClient(staff, r->id(), r->version(),
                              "Which years of court practice do you need, "
                              "and which courts?");
      } else {
        return false;
      }
      break;
    case Goal::kRatedResolved:
      if (r->state() == v1::REQUEST_STATE_ASSIGNED) {
        v1::RequestOutcome o;
        o.set_answer(
            "Tax Code art. 154 para 1 and art. 167: VAT is due on the "
            "advance when it is received; deduct it on shipment (art. 171 "
            "para 8).");
        next = q.RecordOutcome(staff, r->id(), r->version(), o);
      } else if (r->state() == v1::REQUEST_STATE_IN_PROGRESS) {
        next = q.Resolve(staff, r->id(), r->version(),
                         "answered on the phone, references sent");
      } else if (r->state() == v1::REQUEST_STATE_RESOLVED &&
                 r->rating().score() == 0) {
        next = q.Rate(client, r->id(), r->version(), 5,
                      "Quick and precise, thank you!");
      } else {
        return false;
      }
      break;
  }
  if (!next.ok()) return next.status();
  *r = *std::move(next);
  return true;
}

absl::StatusOr<DemoWork> SeedRequests(Context& ctx, servicedesk::Desk& desk,
                                      const std::vector<v1::Organization>& orgs,
                                      const std::vector<v1::Contact>& contacts,
                                      const std::vector<v1::StaffMember>& staff,
                                      bool* created) {
  DemoWork work;
  for (const DemoRequest& d : Requests()) {
    const v1::Organization& org = orgs[d.org];
    if (!org.active()) continue;
    std::string contact_id;
    for (const v1::Contact& c : contacts) {
      if (c.email() == d.contact) contact_id = c.id();
    }
    if (contact_id.empty()) continue;  // the contact was deactivated
    servicedesk::RequestFilter f;
    f.organization_id = org.id();
    SDCTL_ASSIGN_OR_RETURN(
        std::vector<v1::ServiceRequest> existing,
        FetchAll<v1::ServiceRequest>([&](const servicedesk::PageRequest& p) {
          return desk.requests().List(ctx.actor, f, p);
        }));
    v1::ServiceRequest r;
    for (const v1::ServiceRequest& e : existing) {
      if (e.subject() == d.subject) r = e;
    }
    if (r.id().empty()) {
      v1::ServiceRequest draft;
      draft.set_organization_id(org.id());
      draft.set_contact_id(contact_id);
      draft.set_kind(d.kind);
      draft.set_channel(d.channel);
      draft.set_priority(d.priority);
      draft.set_subject(d.subject);
      draft.set_description(d.description);
      if (d.installation) {
        SDCTL_ASSIGN_OR_RETURN(v1::Installation inst,
                               EnsureInstallation(ctx, desk, org, created));
        draft.set_installation_id(inst.id());
      }
      SDCTL_ASSIGN_OR_RETURN(r, desk.requests().Open(ctx.actor, draft));
      *created = true;
    }
    for (int step = 0; step < 10; ++step) {  // a few steps at most
      SDCTL_ASSIGN_OR_RETURN(bool moved, Advance(ctx, desk, d, &r));
      if (!moved) break;
      *created = true;
    }
    if (!r.installation_id().empty()) {
      SDCTL_ASSIGN_OR_RETURN(
          v1::Installation inst,
          desk.techsupport().GetInstallation(ctx.actor, r.installation_id()));
      work.installations.push_back(inst);
      // The engineer's visit: tomorrow at the same time, for two hours.
      SDCTL_ASSIGN_OR_RETURN(
          std::vector<v1::Visit> visits,
          FetchAll<v1::Visit>([&](const servicedesk::PageRequest& p) {
            return desk.techsupport().ListVisits(ctx.actor, r.id(), p);
          }));
      const v1::StaffMember* engineer = nullptr;
      for (const v1::StaffMember& s : staff) {
        for (int role : s.roles()) {
          if (role == v1::STAFF_ROLE_ENGINEER) engineer = &s;
        }
      }
      if (visits.empty() && engineer != nullptr &&
          r.state() != v1::REQUEST_STATE_RESOLVED) {
        v1::Visit v;
        v.set_request_id(r.id());
        v.set_engineer_id(engineer->id());
        const absl::Time start = ctx.Now() + absl::Hours(24);
        *v.mutable_slot_start() = ToProto(start);
        *v.mutable_slot_end() = ToProto(start + absl::Hours(2));
        v.set_notes("install the client on two PCs, connect to the server");
        SDCTL_ASSIGN_OR_RETURN(v1::Visit out,
                               desk.techsupport().ScheduleVisit(ctx.actor, v));
        visits.push_back(out);
        *created = true;
      }
      work.visits.insert(work.visits.end(), visits.begin(), visits.end());
    }
    work.requests.push_back(r);
  }

  // An online dialog waiting in the queue, opened by a client contact.
  const v1::Contact* asker = nullptr;
  for (const v1::Contact& c : contacts) {
    if (c.email() == std::string("i.belov@romashka.example.ru")) asker = &c;
  }
  if (asker != nullptr) {
    servicedesk::DialogFilter f;
    f.organization_id = asker->organization_id();
    SDCTL_ASSIGN_OR_RETURN(
        std::vector<v1::Dialog> dialogs,
        FetchAll<v1::Dialog>([&](const servicedesk::PageRequest& p) {
          return desk.dialogs().List(ctx.actor, f, p);
        }));
    v1::Dialog dialog;
    for (const v1::Dialog& d : dialogs) {
      if (d.topic() == kDialogTopic) dialog = d;
    }
    if (dialog.id().empty()) {
      SDCTL_ASSIGN_OR_RETURN(
          dialog, desk.dialogs().Open(
                      servicedesk::ContactActor(asker->id()), kDialogTopic,
                      "Hello! The VAT refund application form changed "
                      "this year; where do I find the new one?"));
      *created = true;
    }
    work.dialogs.push_back(dialog);
  }
  return work;
}

absl::Status RunDemo(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  bool created = false;
  SDCTL_ASSIGN_OR_RETURN(
      v1::BusinessCalendar calendar,
      EnsureCalendar(ctx, *desk, kCalendarId,
                     "Russia production calendar, Moscow, Mon-Fri 09:00-18:00",
                     9, 18, &created));
  SDCTL_ASSIGN_OR_RETURN(
      v1::BusinessCalendar hotline_calendar,
      EnsureCalendar(ctx, *desk, kHotlineCalendarId,
                     "Moscow hotline, production calendar, Mon-Fri 08:00-20:00",
                     8, 20, &created));
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceCenter center,
                         EnsureCenter(ctx, *desk, &created));

  // Staff, matched by e-mail.
  servicedesk::StaffFilter sf;
  sf.center_id = center.id();
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::StaffMember> existing_staff,
      FetchAll<v1::StaffMember>([&](const servicedesk::PageRequest& p) {
        return desk->staff().List(ctx.actor, sf, p);
      }));
  std::vector<v1::StaffMember> staff;
  for (const DemoStaff& d : Staff()) {
    const v1::StaffMember* found = nullptr;
    for (const v1::StaffMember& s : existing_staff) {
      if (s.email() == d.email) found = &s;
    }
    if (found != nullptr) {
      staff.push_back(*found);
      continue;
    }
    v1::StaffMember s;
    s.set_center_id(center.id());
    s.set_full_name(d.name);
    s.set_email(d.email);
    s.set_phone(d.phone);
    for (v1::StaffRole r : d.roles) s.add_roles(r);
    for (const char* q : d.qualifications) {
      SDCTL_ASSIGN_OR_RETURN(*s.add_qualifications(), ParseQualification(q));
    }
    SDCTL_ASSIGN_OR_RETURN(v1::StaffMember out,
                           desk->staff().Create(ctx.actor, s));
    staff.push_back(out);
    created = true;
  }

  // Organisations, matched by INN (include inactive: an INN stays taken).
  servicedesk::OrganizationFilter of;
  of.center_id = center.id();
  of.include_inactive = true;
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::Organization> existing_orgs,
      FetchAll<v1::Organization>([&](const servicedesk::PageRequest& p) {
        return desk->organizations().List(ctx.actor, of, p);
      }));
  std::vector<v1::Organization> orgs;
  std::vector<v1::Contact> contacts;
  for (const DemoOrg& d : Orgs()) {
    v1::Organization org;
    bool found = false;
    for (const v1::Organization& o : existing_orgs) {
      if (o.tax_id() == d.inn) {
        org = o;
        found = true;
      }
    }
    if (!found) {
      v1::Organization o;
      o.set_name(d.name);
      o.set_tax_id(d.inn);
      o.set_tier(d.tier);
      o.set_center_id(center.id());
      for (v1::ProfileTopic t : d.topics) o.add_topics(t);
      SDCTL_ASSIGN_OR_RETURN(
          org, desk->organizations().Create(ctx.actor, o, staff[d.manager].id(),
                                            "demo: initial assignment"));
      created = true;
    }
    orgs.push_back(org);
    if (!org.active()) continue;

    // Contacts, matched by e-mail within the organisation.
    SDCTL_ASSIGN_OR_RETURN(
        std::vector<v1::Contact> existing,
        FetchAll<v1::Contact>([&](const servicedesk::PageRequest& p) {
          return desk->contacts().List(ctx.actor, org.id(), false, p);
        }));
    for (const DemoContact& dc : d.contacts) {
      const v1::Contact* match = nullptr;
      for (const v1::Contact& c : existing) {
        if (c.email() == dc.email) match = &c;
      }
      if (match != nullptr) {
        contacts.push_back(*match);
        continue;
      }
      v1::Contact c;
      c.set_organization_id(org.id());
      c.set_full_name(dc.name);
      c.set_position(dc.position);
      c.set_email(dc.email);
      c.set_phone(dc.phone);
      SDCTL_ASSIGN_OR_RETURN(v1::Contact out,
                             desk->contacts().Create(ctx.actor, c));
      contacts.push_back(out);
      created = true;
    }
  }

  SDCTL_ASSIGN_OR_RETURN(
      DemoWork work, SeedRequests(ctx, *desk, orgs, contacts, staff, &created));

  if (ctx.json) {
    *ctx.out << JsonObject({{"created", created ? "true" : "false"},
                            {"calendar", ToJson(calendar)},
                            {"hotline_calendar", ToJson(hotline_calendar)},
                            {"center", ToJson(center)},
                            {"staff", JsonArrayOf(staff)},
                            {"organizations", JsonArrayOf(orgs)},
                            {"contacts", JsonArrayOf(contacts)},
                            {"requests", JsonArrayOf(work.requests)},
                            {"installations", JsonArrayOf(work.installations)},
                            {"visits", JsonArrayOf(work.visits)},
                            {"dialogs", JsonArrayOf(work.dialogs)}})
             << "\n";
    return absl::OkStatus();
  }
  std::ostream& out = *ctx.out;
  out << (created ? "Demo network created in " : "Demo network already in ")
      << ctx.db_uri << "\n\nCenter\n";
  PrintCard(out, CenterRow(center));
  out << "\nCalendar\n";
  PrintCard(out, CalendarRow(calendar));
  out << "\nHotline calendar\n";
  PrintCard(out, CalendarRow(hotline_calendar));
  out << "\nStaff\n";
  std::vector<Row> rows;
  for (const v1::StaffMember& s : staff) rows.push_back(StaffRow(s));
  PrintTable(out, rows);
  out << "\nOrganizations\n";
  rows.clear();
  for (const v1::Organization& o : orgs) rows.push_back(OrganizationRow(o));
  PrintTable(out, rows);
  out << "\nContacts\n";
  rows.clear();
  for (const v1::Contact& c : contacts) rows.push_back(ContactRow(c));
  PrintTable(out, rows);
  out << "\nRequests\n";
  rows.clear();
  for (const v1::ServiceRequest& r : work.requests) {
    rows.push_back(RequestRow(r));
  }
  PrintTable(out, rows);
  out << "\nInstallations\n";
  rows.clear();
  for (const v1::Installation& i : work.installations) {
    rows.push_back(InstallationRow(i));
  }
  PrintTable(out, rows);
  out << "\nVisits\n";
  rows.clear();
  for (const v1::Visit& v : work.visits) rows.push_back(VisitRow(v));
  PrintTable(out, rows);
  out << "\nDialogs\n";
  rows.clear();
  for (const v1::Dialog& d : work.dialogs) rows.push_back(DialogRow(d));
  PrintTable(out, rows);
  return absl::OkStatus();
}

}  // namespace

void RegisterDemoCommand(Registry& r) {
  r.Add({{"demo"},
         "",
         "Seed a demo network (center MSK-01, staff, clients, contacts, "
         "requests) and print it.",
         "Creates calendar ru-msk (Russia's production calendar, "
         "Europe/Moscow, Mon-Fri\n09:00-18:00), center MSK-01 using it, six "
         "staff members, four client\norganisations with checksum-valid INNs "
         "and their contacts, and\nservice requests on several channels: one "
         "resolved and rated, one waiting on\nthe client, one queued (nobody "
         "holds a valid qualification for it), one with\nthe personal "
         "manager, a technical one with an installation and an engineer's\n"
         "visit, and an online dialog waiting in the queue. Records that\n"
         "already exist are reused, so "
         "running it again is safe and just prints the\nnetwork. Run as a "
         "network administrator (the default actor).",
         {},
         0,
         0,
         RunDemo});
}

}  // namespace sdctl
