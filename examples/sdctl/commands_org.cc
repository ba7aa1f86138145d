// Centers, organizations, contacts, staff and personal managers.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "sdctl/cli.h"
#include "sdctl/org_util.h"
#include "sdctl/output.h"
#include "sdctl/values.h"
#include "servicedesk/centers.h"
#include "servicedesk/clients.h"
#include "servicedesk/managers.h"
#include "servicedesk/staff.h"

namespace sdctl {
namespace v1 = servicedesk::v1;

absl::StatusOr<std::string> ResolveCenterId(Context& ctx,
                                            const std::string& text) {
  // Codes are [A-Z0-9-] and ids are generated lower case ("center-1"), so an
  // upper-case argument can only be a code; people remember codes.
  bool code = !text.empty();
  bool has_upper = false;
  for (char c : text) {
    if (absl::ascii_isupper(c)) has_upper = true;
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c) && c != '-') {
      code = false;
    }
  }
  if (!code || !has_upper) return text;
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  absl::StatusOr<v1::ServiceCenter> c =
      desk->centers().GetByCode(ctx.actor, text);
  // The argument stands for a center id, as the errors of an id name it.
  if (absl::IsNotFound(c.status()))
    return absl::NotFoundError(
        absl::StrCat("center_id: no center with code '", text, "'"));
  if (!c.ok()) return c.status();
  return c->id();
}

absl::StatusOr<v1::Qualification> ParseQualification(const std::string& text) {
  v1::Qualification q;
  const size_t colon = text.find(':');
  q.set_code(text.substr(0, colon));
  if (colon != std::string::npos) {
    SDCTL_ASSIGN_OR_RETURN(
        absl::Time until,
        ParseTimeOrDate(absl::StrCat("--qual ", text), text.substr(colon + 1),
                        /*end_of_day=*/true));
    *q.mutable_valid_until() = ToProto(until);
  }
  return q;
}

namespace {

// ---- centers

absl::Status CentersCreate(Context& ctx, const Args& a) {
  v1::ServiceCenter c;
  SDCTL_ASSIGN_OR_RETURN(*c.mutable_code(), a.Require("code"));
  SDCTL_ASSIGN_OR_RETURN(*c.mutable_name(), a.Require("name"));
  SDCTL_ASSIGN_OR_RETURN(*c.mutable_region(), a.Require("region"));
  SDCTL_ASSIGN_OR_RETURN(*c.mutable_time_zone(), a.Require("zone"));
  c.set_calendar_id(a.GetOr("calendar", ""));
  c.set_hotline_calendar_id(a.GetOr("hotline-calendar", ""));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceCenter out,
                         desk->centers().Create(ctx.actor, c));
  PrintRecord(ctx, out, CenterRow);
  return absl::OkStatus();
}

absl::Status CentersGet(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string id, ResolveCenterId(ctx, a.pos(0)));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceCenter c,
                         desk->centers().Get(ctx.actor, id));
  PrintRecord(ctx, c, CenterRow);
  return absl::OkStatus();
}

absl::Status CentersList(Context& ctx, const Args& a) {
  servicedesk::CenterFilter f;
  f.region = a.GetOr("region", "");
  f.include_inactive = a.Has("all");
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::ServiceCenter> all,
      FetchAll<v1::ServiceCenter>([&](const servicedesk::PageRequest& p) {
        return desk->centers().List(ctx.actor, f, p);
      }));
  PrintList(ctx, all, CenterRow);
  return absl::OkStatus();
}

absl::Status CentersUpdate(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string id, ResolveCenterId(ctx, a.pos(0)));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  // Read-modify-write: the update carries the version just read, so a
  // concurrent change in between makes the library refuse it (ABORTED).
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceCenter c,
                         ReadForChange<v1::ServiceCenter>(id, [&] {
                           return desk->centers().Get(ctx.actor, id);
                         }));
  if (auto v = a.Get("name")) c.set_name(*v);
  if (auto v = a.Get("region")) c.set_region(*v);
  if (auto v = a.Get("zone")) c.set_time_zone(*v);
  if (auto v = a.Get("calendar")) c.set_calendar_id(*v);
  if (auto v = a.Get("hotline-calendar")) c.set_hotline_calendar_id(*v);
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceCenter out,
                         desk->centers().Update(ctx.actor, c));
  PrintRecord(ctx, out, CenterRow);
  return absl::OkStatus();
}

absl::Status CentersDeactivate(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string id, ResolveCenterId(ctx, a.pos(0)));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceCenter out,
                         desk->centers().Deactivate(ctx.actor, id));
  PrintRecord(ctx, out, CenterRow);
  return absl::OkStatus();
}

// ---- organizations

absl::Status ApplyTopics(const Args& a, v1::Organization* o) {
  std::vector<std::string> topics = a.GetAll("topic");
  if (topics.empty()) return absl::OkStatus();
  o->clear_topics();
  for (const std::string& t : topics) {
    SDCTL_ASSIGN_OR_RETURN(
        int v, ParseEnum(v1::ProfileTopic_descriptor(), "--topic", t));
    o->add_topics(static_cast<v1::ProfileTopic>(v));
  }
  return absl::OkStatus();
}

absl::Status OrgsCreate(Context& ctx, const Args& a) {
  v1::Organization o;
  SDCTL_ASSIGN_OR_RETURN(*o.mutable_name(), a.Require("name"));
  SDCTL_ASSIGN_OR_RETURN(*o.mutable_tax_id(), a.Require("inn"));
  SDCTL_ASSIGN_OR_RETURN(std::string tier, a.Require("tier"));
  SDCTL_ASSIGN_OR_RETURN(
      v1::ClientTier t,
      ParseEnumT<v1::ClientTier>(v1::ClientTier_descriptor(), "--tier", tier));
  o.set_tier(t);
  SDCTL_ASSIGN_OR_RETURN(std::string center, a.Require("center"));
  SDCTL_ASSIGN_OR_RETURN(*o.mutable_center_id(), ResolveCenterId(ctx, center));
  SDCTL_ASSIGN_OR_RETURN(std::string manager, a.Require("manager"));
  SDCTL_RETURN_IF_ERROR(ApplyTopics(a, &o));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      v1::Organization out,
      desk->organizations().Create(ctx.actor, o, manager,
                                   a.GetOr("reason", "initial assignment")));
  PrintRecord(ctx, out, OrganizationRow);
  return absl::OkStatus();
}

absl::Status OrgsGet(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Organization o,
                         desk->organizations().Get(ctx.actor, a.pos(0)));
  PrintRecord(ctx, o, OrganizationRow);
  return absl::OkStatus();
}

absl::Status OrgsList(Context& ctx, const Args& a) {
  servicedesk::OrganizationFilter f;
  if (auto v = a.Get("center")) {
    SDCTL_ASSIGN_OR_RETURN(f.center_id, ResolveCenterId(ctx, *v));
  }
  if (auto v = a.Get("tier")) {
    SDCTL_ASSIGN_OR_RETURN(
        f.tier,
        ParseEnumT<v1::ClientTier>(v1::ClientTier_descriptor(), "--tier", *v));
  }
  if (auto v = a.Get("topic")) {
    SDCTL_ASSIGN_OR_RETURN(
        f.topic, ParseEnumT<v1::ProfileTopic>(v1::ProfileTopic_descriptor(),
                                              "--topic", *v));
  }
  f.include_inactive = a.Has("all");
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::Organization> all,
      FetchAll<v1::Organization>([&](const servicedesk::PageRequest& p) {
        return desk->organizations().List(ctx.actor, f, p);
      }));
  PrintList(ctx, all, OrganizationRow);
  return absl::OkStatus();
}

absl::Status OrgsUpdate(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      v1::Organization o, ReadForChange<v1::Organization>(a.pos(0), [&] {
        return desk->organizations().Get(ctx.actor, a.pos(0));
      }));
  if (auto v = a.Get("name")) o.set_name(*v);
  if (auto v = a.Get("inn")) o.set_tax_id(*v);
  if (auto v = a.Get("tier")) {
    SDCTL_ASSIGN_OR_RETURN(
        v1::ClientTier t,
        ParseEnumT<v1::ClientTier>(v1::ClientTier_descriptor(), "--tier", *v));
    o.set_tier(t);
  }
  SDCTL_RETURN_IF_ERROR(ApplyTopics(a, &o));
  SDCTL_ASSIGN_OR_RETURN(v1::Organization out,
                         desk->organizations().Update(ctx.actor, o));
  PrintRecord(ctx, out, OrganizationRow);
  return absl::OkStatus();
}

absl::Status OrgsDeactivate(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      v1::Organization out,
      desk->organizations().Deactivate(ctx.actor, a.pos(0),
                                       a.GetOr("reason", "deactivated")));
  PrintRecord(ctx, out, OrganizationRow);
  return absl::OkStatus();
}

// ---- contacts

absl::Status ContactsCreate(Context& ctx, const Args& a) {
  v1::Contact c;
  SDCTL_ASSIGN_OR_RETURN(*c.mutable_organization_id(), a.Require("org"));
  SDCTL_ASSIGN_OR_RETURN(*c.mutable_full_name(), a.Require("name"));
  c.set_position(a.GetOr("position", ""));
  c.set_email(a.GetOr("email", ""));
  c.set_phone(a.GetOr("phone", ""));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Contact out,
                         desk->contacts().Create(ctx.actor, c));
  PrintRecord(ctx, out, ContactRow);
  return absl::OkStatus();
}

absl::Status ContactsGet(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Contact c,
                         desk->contacts().Get(ctx.actor, a.pos(0)));
  PrintRecord(ctx, c, ContactRow);
  return absl::OkStatus();
}

absl::Status ContactsList(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  const bool all = a.Has("all");
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::Contact> items,
      FetchAll<v1::Contact>([&](const servicedesk::PageRequest& p) {
        return desk->contacts().List(ctx.actor, a.pos(0), all, p);
      }));
  PrintList(ctx, items, ContactRow);
  return absl::OkStatus();
}

absl::Status ContactsUpdate(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Contact c,
                         ReadForChange<v1::Contact>(a.pos(0), [&] {
                           return desk->contacts().Get(ctx.actor, a.pos(0));
                         }));
  if (auto v = a.Get("name")) c.set_full_name(*v);
  if (auto v = a.Get("position")) c.set_position(*v);
  if (auto v = a.Get("email")) c.set_email(*v);
  if (auto v = a.Get("phone")) c.set_phone(*v);
  SDCTL_ASSIGN_OR_RETURN(v1::Contact out,
                         desk->contacts().Update(ctx.actor, c));
  PrintRecord(ctx, out, ContactRow);
  return absl::OkStatus();
}

absl::Status ContactsDeactivate(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Contact out,
                         desk->contacts().Deactivate(ctx.actor, a.pos(0)));
  PrintRecord(ctx, out, ContactRow);
  return absl::OkStatus();
}

// ---- staff

absl::Status ApplyRolesAndQualifications(const Args& a, v1::StaffMember* s) {
  std::vector<std::string> roles = a.GetAll("role");
  if (!roles.empty()) {
    s->clear_roles();
    for (const std::string& r : roles) {
      SDCTL_ASSIGN_OR_RETURN(
          int v, ParseEnum(v1::StaffRole_descriptor(), "--role", r));
      s->add_roles(static_cast<v1::StaffRole>(v));
    }
  }
  std::vector<std::string> quals = a.GetAll("qual");
  if (!quals.empty()) s->clear_qualifications();
  for (const std::string& q : quals) {
    SDCTL_ASSIGN_OR_RETURN(*s->add_qualifications(), ParseQualification(q));
  }
  for (const std::string& q : a.GetAll("add-qual")) {
    SDCTL_ASSIGN_OR_RETURN(v1::Qualification parsed, ParseQualification(q));
    // Renewing a qualification replaces its expiry rather than listing the
    // code twice (the library refuses repeated codes).
    bool replaced = false;
    for (v1::Qualification& existing : *s->mutable_qualifications()) {
      if (existing.code() == parsed.code()) {
        existing = parsed;
        replaced = true;
      }
    }
    if (!replaced) *s->add_qualifications() = parsed;
  }
  return absl::OkStatus();
}

absl::Status StaffCreate(Context& ctx, const Args& a) {
  v1::StaffMember s;
  SDCTL_ASSIGN_OR_RETURN(std::string center, a.Require("center"));
  SDCTL_ASSIGN_OR_RETURN(*s.mutable_center_id(), ResolveCenterId(ctx, center));
  SDCTL_ASSIGN_OR_RETURN(*s.mutable_full_name(), a.Require("name"));
  s.set_email(a.GetOr("email", ""));
  s.set_phone(a.GetOr("phone", ""));
  SDCTL_RETURN_IF_ERROR(ApplyRolesAndQualifications(a, &s));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::StaffMember out,
                         desk->staff().Create(ctx.actor, s));
  PrintRecord(ctx, out, StaffRow);
  return absl::OkStatus();
}

absl::Status StaffGet(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::StaffMember s,
                         desk->staff().Get(ctx.actor, a.pos(0)));
  PrintRecord(ctx, s, StaffRow);
  return absl::OkStatus();
}

absl::Status StaffList(Context& ctx, const Args& a) {
  servicedesk::StaffFilter f;
  if (auto v = a.Get("center")) {
    SDCTL_ASSIGN_OR_RETURN(f.center_id, ResolveCenterId(ctx, *v));
  }
  if (auto v = a.Get("role")) {
    SDCTL_ASSIGN_OR_RETURN(
        f.role,
        ParseEnumT<v1::StaffRole>(v1::StaffRole_descriptor(), "--role", *v));
  }
  f.qualification = a.GetOr("qual", "");
  // The instant judges qualification expiry only.
  if (a.Has("at") && f.qualification.empty())
    return UsageError("--at: only with --qual (it judges expiry)");
  if (auto v = a.Get("at")) {
    SDCTL_ASSIGN_OR_RETURN(f.at, ParseTimeOrDate("--at", *v, false));
  } else if (ctx.fixed_now.has_value()) {
    f.at = *ctx.fixed_now;
  }
  f.include_inactive = a.Has("all");
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::StaffMember> all,
      FetchAll<v1::StaffMember>([&](const servicedesk::PageRequest& p) {
        return desk->staff().List(ctx.actor, f, p);
      }));
  PrintList(ctx, all, StaffRow);
  return absl::OkStatus();
}

absl::Status StaffUpdate(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::StaffMember s,
                         ReadForChange<v1::StaffMember>(a.pos(0), [&] {
                           return desk->staff().Get(ctx.actor, a.pos(0));
                         }));
  if (auto v = a.Get("name")) s.set_full_name(*v);
  if (auto v = a.Get("email")) s.set_email(*v);
  if (auto v = a.Get("phone")) s.set_phone(*v);
  SDCTL_RETURN_IF_ERROR(ApplyRolesAndQualifications(a, &s));
  SDCTL_ASSIGN_OR_RETURN(v1::StaffMember out,
                         desk->staff().Update(ctx.actor, s));
  PrintRecord(ctx, out, StaffRow);
  return absl::OkStatus();
}

absl::Status StaffDeactivate(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::StaffMember out,
                         desk->staff().Deactivate(ctx.actor, a.pos(0)));
  PrintRecord(ctx, out, StaffRow);
  return absl::OkStatus();
}

// ---- managers

absl::Status ManagersReassign(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string to, a.Require("to"));
  SDCTL_ASSIGN_OR_RETURN(std::string reason, a.Require("reason"));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      v1::ManagerAssignment out,
      desk->managers().Reassign(ctx.actor, a.pos(0), to, reason));
  PrintRecord(ctx, out, AssignmentRow);
  return absl::OkStatus();
}

absl::Status ManagersCurrent(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::ManagerAssignment out,
                         desk->managers().Current(ctx.actor, a.pos(0)));
  PrintRecord(ctx, out, AssignmentRow);
  return absl::OkStatus();
}

absl::Status ManagersAt(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(absl::Time at,
                         ParseTimeOrDate("DATE", a.pos(1), false));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::ManagerAssignment out,
                         desk->managers().At(ctx.actor, a.pos(0), at));
  PrintRecord(ctx, out, AssignmentRow);
  return absl::OkStatus();
}

absl::Status ManagersHistory(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(std::vector<v1::ManagerAssignment> out,
                         desk->managers().History(ctx.actor, a.pos(0)));
  PrintList(ctx, out, AssignmentRow);
  return absl::OkStatus();
}

absl::Status ManagersClients(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::Organization> all,
      FetchAll<v1::Organization>([&](const servicedesk::PageRequest& p) {
        return desk->managers().Clients(ctx.actor, a.pos(0), p);
      }));
  PrintList(ctx, all, OrganizationRow);
  return absl::OkStatus();
}

}  // namespace

void RegisterOrgCommands(Registry& r) {
  const std::string tiers = EnumChoices(v1::ClientTier_descriptor());
  const std::string topics = EnumChoices(v1::ProfileTopic_descriptor());
  const std::string roles = EnumChoices(v1::StaffRole_descriptor());
  const FlagSpec all{"all", "", "include inactive records"};
  const FlagSpec center_ref{"center", "CENTER", "center id or code"};

  r.DescribeGroup({"centers"}, "Regional service centers of the network.");
  r.Add({{"centers", "create"},
         "",
         "Create a service center (network administrators).",
         "A CENTER argument elsewhere may be a center id (center-1) or its "
         "code (MSK-01).",
         {{"code", "CODE", "unique code, [A-Z0-9-]{2,16}, e.g. MSK-01"},
          {"name", "NAME", "display name"},
          {"region", "REGION", "region served"},
          {"zone", "ZONE", "IANA time zone, e.g. Europe/Moscow"},
          {"calendar", "ID", "business calendar id (sdctl calendars list)"},
          {"hotline-calendar", "ID",
           "the hotline's own hours, if not the office's (online dialogs' "
           "first response is measured on them)"}},
         0,
         0,
         CentersCreate});
  r.Add({{"centers", "get"},
         "CENTER",
         "Show one center (by id or code).",
         "",
         {},
         1,
         1,
         CentersGet});
  r.Add({{"centers", "list"},
         "",
         "List the centers visible to the actor, in code order.",
         "",
         {{"region", "REGION", "only centers of this region"}, all},
         0,
         0,
         CentersList});
  r.Add({{"centers", "update"},
         "CENTER",
         "Change a center's name, region, zone or calendars.",
         "The code never changes. The record is read and written back with "
         "its version,\nso a concurrent change makes the update fail with "
         "ABORTED instead of being lost.",
         {{"name", "NAME", "new name"},
          {"region", "REGION", "new region"},
          {"zone", "ZONE", "new IANA time zone"},
          {"calendar", "ID", "new business calendar id"},
          {"hotline-calendar", "ID",
           "new hotline calendar id ('' = the business calendar)"}},
         1,
         1,
         CentersUpdate});
  r.Add({{"centers", "deactivate"},
         "CENTER",
         "Mark a center inactive (refused while it has active clients or "
         "staff).",
         "",
         {},
         1,
         1,
         CentersDeactivate});

  r.DescribeGroup({"orgs"}, "Client organisations.");
  r.DescribeGroup({"organizations"}, "The same as 'orgs'.");
  for (const char* group : {"orgs", "organizations"}) {
    r.Add({{group, "create"},
           "",
           "Create a client organisation with its personal manager.",
           absl::StrCat("Tiers: ", tiers, ".\nTopics: ", topics, "."),
           {{"name", "NAME", "organisation name"},
            {"inn", "INN", "tax id: a checksum-valid 10- or 12-digit INN"},
            {"tier", "TIER", "client tier"},
            {"center", "CENTER", "serving center (id or code)"},
            {"manager", "STAFF", "personal manager (staff id)"},
            {"topic", "TOPIC", "profile topic", true},
            {"reason", "TEXT",
             "reason recorded on the first manager assignment"}},
           0,
           0,
           OrgsCreate});
    r.Add({{group, "get"},
           "ORG",
           "Show one organisation.",
           "",
           {},
           1,
           1,
           OrgsGet});
    r.Add({{group, "list"},
           "",
           "List organisations, by center and name.",
           "",
           {center_ref,
            {"tier", "TIER", "only this tier"},
            {"topic", "TOPIC", "only organisations with this topic"},
            all},
           0,
           0,
           OrgsList});
    r.Add({{group, "update"},
           "ORG",
           "Change name, INN, tier or topics (use 'managers reassign' for the "
           "manager).",
           "",
           {{"name", "NAME", "new name"},
            {"inn", "INN", "new tax id"},
            {"tier", "TIER", "new tier"},
            {"topic", "TOPIC", "replaces the topics", true}},
           1,
           1,
           OrgsUpdate});
    r.Add({{group, "deactivate"},
           "ORG",
           "Mark an organisation inactive; closes its manager assignment.",
           "",
           {{"reason", "TEXT", "why (default: deactivated)"}},
           1,
           1,
           OrgsDeactivate});
  }

  r.DescribeGroup({"contacts"}, "Users at client organisations.");
  r.Add({{"contacts", "create"},
         "",
         "Create a contact of an organisation.",
         "",
         {{"org", "ORG", "organisation id"},
          {"name", "NAME", "full name"},
          {"position", "TEXT", "position"},
          {"email", "EMAIL", "e-mail, unique among active contacts"},
          {"phone", "PHONE", "phone: + and 7..15 digits"}},
         0,
         0,
         ContactsCreate});
  r.Add({{"contacts", "get"},
         "CONTACT",
         "Show one contact.",
         "",
         {},
         1,
         1,
         ContactsGet});
  r.Add({{"contacts", "list"},
         "ORG",
         "List the contacts of an organisation.",
         "",
         {all},
         1,
         1,
         ContactsList});
  r.Add({{"contacts", "update"},
         "CONTACT",
         "Change a contact's name, position, e-mail or phone.",
         "",
         {{"name", "NAME", "new full name"},
          {"position", "TEXT", "new position"},
          {"email", "EMAIL", "new e-mail"},
          {"phone", "PHONE", "new phone"}},
         1,
         1,
         ContactsUpdate});
  r.Add({{"contacts", "deactivate"},
         "CONTACT",
         "Mark a contact inactive.",
         "",
         {},
         1,
         1,
         ContactsDeactivate});

  const std::string qual_help =
      "qualification CODE or CODE:VALID-UNTIL (a date, valid through that "
      "day in UTC, or an RFC 3339 time)";
  r.DescribeGroup({"staff"}, "Center staff: roles and qualifications.");
  r.Add({{"staff", "create"},
         "",
         "Create a staff member of a center.",
         absl::StrCat("Roles: ", roles, "."),
         {center_ref,
          {"name", "NAME", "full name"},
          {"email", "EMAIL", "e-mail"},
          {"phone", "PHONE", "phone"},
          {"role", "ROLE", "role (at least one)", true},
          {"qual", "QUAL", qual_help, true}},
         0,
         0,
         StaffCreate});
  r.Add({{"staff", "get"},
         "STAFF",
         "Show one staff member.",
         "",
         {},
         1,
         1,
         StaffGet});
  r.Add({{"staff", "list"},
         "",
         "List staff, by center and name.",
         "",
         {center_ref,
          {"role", "ROLE", "only staff with this role"},
          {"qual", "CODE", "only staff holding this qualification, unexpired"},
          {"at", "TIME", "judge expiry at this time (default: now)"},
          all},
         0,
         0,
         StaffList});
  r.Add({{"staff", "update"},
         "STAFF",
         "Change name, contacts, roles or qualifications.",
         "--role and --qual replace the whole list; --add-qual adds one or "
         "renews its expiry.",
         {{"name", "NAME", "new full name"},
          {"email", "EMAIL", "new e-mail"},
          {"phone", "PHONE", "new phone"},
          {"role", "ROLE", "replaces the roles", true},
          {"qual", "QUAL", "replaces the qualifications", true},
          {"add-qual", "QUAL", "adds or renews a qualification", true}},
         1,
         1,
         StaffUpdate});
  r.Add({{"staff", "deactivate"},
         "STAFF",
         "Mark a staff member inactive (refused while a current manager, "
         "holding open requests or booked for visits that have not ended).",
         "",
         {},
         1,
         1,
         StaffDeactivate});

  r.DescribeGroup({"managers"},
                  "Personal managers of client organisations, with history.");
  r.Add({{"managers", "reassign"},
         "ORG",
         "Make another personal manager of the center the organisation's "
         "manager.",
         "",
         {{"to", "STAFF", "the new manager (staff id)"},
          {"reason", "TEXT", "why (recorded in the history)"}},
         1,
         1,
         ManagersReassign});
  r.Add({{"managers", "current"},
         "ORG",
         "Show the organisation's current manager assignment.",
         "",
         {},
         1,
         1,
         ManagersCurrent});
  r.Add({{"managers", "at"},
         "ORG DATE",
         "Show who was the organisation's manager at DATE.",
         "DATE is YYYY-MM-DD (00:00 UTC of that day) or an RFC 3339 time.",
         {},
         2,
         2,
         ManagersAt});
  r.Add({{"managers", "history"},
         "ORG",
         "List every manager assignment of the organisation, oldest first.",
         "",
         {},
         1,
         1,
         ManagersHistory});
  r.Add({{"managers", "clients"},
         "STAFF",
         "List the active organisations a manager currently serves.",
         "",
         {},
         1,
         1,
         ManagersClients});
}

}  // namespace sdctl
