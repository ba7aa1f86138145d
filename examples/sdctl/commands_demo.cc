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
#include "servicedesk/sla.h"
#include "servicedesk/staff.h"

namespace sdctl {
namespace v1 = servicedesk::v1;
namespace {

constexpr char kCalendarId[] = "ru-msk";
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

absl::StatusOr<v1::BusinessCalendar> EnsureCalendar(Context& ctx,
                                                    servicedesk::Desk& desk,
                                                    bool* created) {
  absl::StatusOr<v1::BusinessCalendar> found =
      desk.calendars().Get(ctx.actor, kCalendarId);
  if (found.ok() || !absl::IsNotFound(found.status())) return found;
  SDCTL_ASSIGN_OR_RETURN(v1::BusinessCalendar spec,
                         servicedesk::RussiaProductionCalendar(kZone));
  spec.set_id(kCalendarId);
  spec.set_name("Russia production calendar, Moscow, Mon-Fri 09:00-18:00");
  *created = true;
  return desk.calendars().Create(ctx.actor, spec);
}

absl::StatusOr<v1::ServiceCenter> EnsureCenter(Context& ctx,
                                               servicedesk::Desk& desk,
                                               bool* created) {
  absl::StatusOr<v1::ServiceCenter> found =
      desk.centers().GetByCode(ctx.actor, kCenterCode);
  if (found.ok() || !absl::IsNotFound(found.status())) return found;
  v1::ServiceCenter c;
  c.set_code(kCenterCode);
  c.set_name("Moscow Service Center");
  c.set_region("Moscow");
  c.set_time_zone(kZone);
  c.set_calendar_id(kCalendarId);
  *created = true;
  return desk.centers().Create(ctx.actor, c);
}

absl::Status RunDemo(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  bool created = false;
  SDCTL_ASSIGN_OR_RETURN(v1::BusinessCalendar calendar,
                         EnsureCalendar(ctx, *desk, &created));
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

  if (ctx.json) {
    *ctx.out << JsonObject({{"created", created ? "true" : "false"},
                            {"calendar", ToJson(calendar)},
                            {"center", ToJson(center)},
                            {"staff", JsonArrayOf(staff)},
                            {"organizations", JsonArrayOf(orgs)},
                            {"contacts", JsonArrayOf(contacts)}})
             << "\n";
    return absl::OkStatus();
  }
  std::ostream& out = *ctx.out;
  out << (created ? "Demo network created in " : "Demo network already in ")
      << ctx.db_uri << "\n\nCenter\n";
  PrintCard(out, CenterRow(center));
  out << "\nCalendar\n";
  PrintCard(out, CalendarRow(calendar));
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
  return absl::OkStatus();
}

}  // namespace

void RegisterDemoCommand(Registry& r) {
  r.Add({{"demo"},
         "",
         "Seed a demo network (center MSK-01, staff, clients, contacts) and "
         "print it.",
         "Creates calendar ru-msk (Russia's production calendar, "
         "Europe/Moscow, Mon-Fri\n09:00-18:00), center MSK-01 using it, six "
         "staff members, four client\norganisations with checksum-valid INNs "
         "and their contacts. Records that\nalready exist are reused, so "
         "running it again is safe and just prints the\nnetwork. Run as a "
         "network administrator (the default actor).",
         {},
         0,
         0,
         RunDemo});
}

}  // namespace sdctl
