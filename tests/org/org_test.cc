// Centers, organisations, contacts, staff, personal managers and the audit
// log, through the public Desk API, on every backend.
#include <atomic>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/core/records.h"
#include "lib/core/time_util.h"
#include "testing/desk_fixture.h"

namespace servicedesk {
namespace {

using ::servicedesk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Code = absl::StatusCode;

class OrgTest : public testing::DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    msk_ = MakeCenter("MSK-01");
    spb_ = MakeCenter("SPB-01", "Europe/Moscow");
    head_ = MakeStaff(msk_.id(), "Irina Head", {v1::STAFF_ROLE_CENTER_HEAD});
    manager_ =
        MakeStaff(msk_.id(), "Oleg Manager", {v1::STAFF_ROLE_PERSONAL_MANAGER});
    manager2_ =
        MakeStaff(msk_.id(), "Anna Manager", {v1::STAFF_ROLE_PERSONAL_MANAGER});
    hotline_ = MakeStaff(msk_.id(), "Pavel Hotline",
                         {v1::STAFF_ROLE_HOTLINE_SPECIALIST});
    spb_manager_ =
        MakeStaff(spb_.id(), "Petr Spb", {v1::STAFF_ROLE_PERSONAL_MANAGER});
    org_ = MakeOrg(msk_.id(), manager_.id(), "Alpha LLC", 0);
    contact_ = MakeContact(org_.id(), "Maria Client");
  }
  v1::ServiceCenter msk_, spb_;
  v1::StaffMember head_, manager_, manager2_, hotline_, spb_manager_;
  v1::Organization org_;
  v1::Contact contact_;
};

TEST_P(OrgTest, CenterValidationNamesTheFieldAndWritesNothing) {
  size_t before = EventCount();
  v1::ServiceCenter c;
  c.set_code("bad code");
  c.set_name("X");
  c.set_region("R");
  c.set_time_zone("Europe/Moscow");
  EXPECT_THAT(desk_->centers().Create(admin_, c),
              StatusIs(Code::kInvalidArgument, HasSubstr("code")));
  c.set_code("NSK-01");
  c.set_time_zone("Mars/Olympus");
  EXPECT_THAT(desk_->centers().Create(admin_, c),
              StatusIs(Code::kInvalidArgument, HasSubstr("time_zone")));
  c.set_time_zone("Asia/Novosibirsk");
  c.set_name("");
  EXPECT_THAT(desk_->centers().Create(admin_, c),
              StatusIs(Code::kInvalidArgument, HasSubstr("name")));
  c.set_name(std::string(201, 'x'));
  EXPECT_THAT(desk_->centers().Create(admin_, c),
              StatusIs(Code::kInvalidArgument, HasSubstr("name")));
  c.set_name("Novosibirsk");
  c.set_code("MSK-01");
  EXPECT_THAT(desk_->centers().Create(admin_, c),
              StatusIs(Code::kAlreadyExists, HasSubstr("code")));
  c.set_code("NSK-01");
  c.set_calendar_id("no-such-calendar");
  EXPECT_THAT(desk_->centers().Create(admin_, c),
              StatusIs(Code::kNotFound, HasSubstr("calendar_id")));
  EXPECT_EQ(EventCount(), before);
  auto all = desk_->centers().List(admin_);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 2u);
}

TEST_P(OrgTest, OnlyAdministratorsCreateCenters) {
  size_t before = EventCount();
  v1::ServiceCenter c;
  c.set_code("NSK-01");
  c.set_name("Novosibirsk");
  c.set_region("Siberia");
  c.set_time_zone("Asia/Novosibirsk");
  EXPECT_THAT(desk_->centers().Create(StaffActor(head_.id()), c),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->centers().Create(ContactActor(contact_.id()), c),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->centers().Create(StaffActor("staff-999"), c),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->centers().Create(Actor(), c),
              StatusIs(Code::kInvalidArgument, HasSubstr("actor")));
  // Actor names end up in audit events: they must be UTF-8.
  EXPECT_THAT(desk_->centers().Create(AdminActor("ro\xffot"), c),
              StatusIs(Code::kInvalidArgument, HasSubstr("actor.admin")));
  EXPECT_EQ(EventCount(), before);
  EXPECT_THAT(desk_->centers().GetByCode(admin_, "NSK-01"),
              StatusIs(Code::kNotFound));
}

TEST_P(OrgTest, StaffSeeOnlyTheirCenter) {
  auto own = desk_->centers().Get(StaffActor(hotline_.id()), msk_.id());
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->code(), "MSK-01");
  EXPECT_THAT(desk_->centers().Get(StaffActor(hotline_.id()), spb_.id()),
              StatusIs(Code::kPermissionDenied));
  auto listed = desk_->centers().List(StaffActor(hotline_.id()));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].id(), msk_.id());
  EXPECT_THAT(desk_->staff().Get(StaffActor(spb_manager_.id()), hotline_.id()),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->staff().List(ContactActor(contact_.id())),
              StatusIs(Code::kPermissionDenied));
  StaffFilter other;
  other.center_id = spb_.id();
  EXPECT_THAT(desk_->staff().List(StaffActor(hotline_.id()), other),
              StatusIs(Code::kPermissionDenied));
  // A center filter that names no center is a typo, not an empty answer;
  // a contact is not told which centers exist.
  StaffFilter typo;
  typo.center_id = "center-99";
  EXPECT_THAT(desk_->staff().List(admin_, typo),
              StatusIs(Code::kNotFound, HasSubstr("center_id")));
  OrganizationFilter orgs_typo;
  orgs_typo.center_id = "center-99";
  EXPECT_THAT(desk_->organizations().List(admin_, orgs_typo),
              StatusIs(Code::kNotFound, HasSubstr("center_id")));
  for (const std::string& center : {spb_.id(), std::string("center-99")}) {
    OrganizationFilter f;
    f.center_id = center;
    auto none = desk_->organizations().List(ContactActor(contact_.id()), f);
    ASSERT_OK(none);
    EXPECT_TRUE(none->items.empty()) << center;
  }
}

TEST_P(OrgTest, CenterHeadHiresOnlyInOwnCenter) {
  v1::StaffMember m;
  m.set_center_id(msk_.id());
  m.set_full_name("New Trainer");
  m.set_email("trainer@center.example.ru");
  m.add_roles(v1::STAFF_ROLE_TRAINER);
  auto hired = desk_->staff().Create(StaffActor(head_.id()), m);
  ASSERT_TRUE(hired.ok()) << hired.status();
  m.set_center_id(spb_.id());
  m.set_email("trainer2@center.example.ru");
  EXPECT_THAT(desk_->staff().Create(StaffActor(head_.id()), m),
              StatusIs(Code::kPermissionDenied));
  // A hotline specialist hires nobody.
  m.set_center_id(msk_.id());
  EXPECT_THAT(desk_->staff().Create(StaffActor(hotline_.id()), m),
              StatusIs(Code::kPermissionDenied));
}

TEST_P(OrgTest, StaffValidation) {
  v1::StaffMember m;
  m.set_center_id(msk_.id());
  m.set_full_name("No Roles");
  m.set_email("noroles@center.example.ru");
  EXPECT_THAT(desk_->staff().Create(admin_, m),
              StatusIs(Code::kInvalidArgument, HasSubstr("roles")));
  m.add_roles(v1::STAFF_ROLE_TRAINER);
  m.set_email("not-an-email");
  EXPECT_THAT(desk_->staff().Create(admin_, m),
              StatusIs(Code::kInvalidArgument, HasSubstr("email")));
  m.set_email(manager_.email());
  EXPECT_THAT(desk_->staff().Create(admin_, m),
              StatusIs(Code::kAlreadyExists, HasSubstr("email")));
  m.set_email("q@center.example.ru");
  auto* q = m.add_qualifications();
  q->set_code("Bad Code");
  EXPECT_THAT(
      desk_->staff().Create(admin_, m),
      StatusIs(Code::kInvalidArgument, HasSubstr("qualifications[0].code")));
  // A Timestamp past year 9999 cannot be read back as JSON.
  q->set_code("hotline");
  q->mutable_valid_until()->set_seconds(253402300800);
  EXPECT_THAT(desk_->staff().Create(admin_, m),
              StatusIs(Code::kInvalidArgument,
                       HasSubstr("qualifications[0].valid_until")));
  q->clear_valid_until();
  m.set_center_id("center-404");
  EXPECT_THAT(desk_->staff().Create(admin_, m),
              StatusIs(Code::kNotFound, HasSubstr("center_id")));
}

TEST_P(OrgTest, QualificationsExpire) {
  v1::StaffMember m = hotline_;
  auto* q = m.add_qualifications();
  q->set_code("hotline");
  q->mutable_valid_until()->set_seconds(
      absl::ToUnixSeconds(clock_->Now() + absl::Hours(24)));
  auto updated = desk_->staff().Update(admin_, m);
  ASSERT_TRUE(updated.ok()) << updated.status();
  StaffFilter f;
  f.qualification = "hotline";
  auto now_list = desk_->staff().List(admin_, f);
  ASSERT_TRUE(now_list.ok());
  ASSERT_EQ(now_list->items.size(), 1u);
  f.at = clock_->Now() + absl::Hours(25);
  auto later = desk_->staff().List(admin_, f);
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->items.empty());
  EXPECT_TRUE(HasValidQualification(*updated, "hotline", clock_->Now()));
  EXPECT_FALSE(HasValidQualification(*updated, "hotline",
                                     clock_->Now() + absl::Hours(24)));
}

TEST_P(OrgTest, OrganizationValidation) {
  size_t before = EventCount();
  v1::Organization o;
  o.set_name("Beta");
  o.set_tax_id("7707083894");  // checksum off by one
  o.set_tier(v1::CLIENT_TIER_VIP);
  o.set_center_id(msk_.id());
  auto& orgs = desk_->organizations();
  EXPECT_THAT(orgs.Create(admin_, o, manager_.id()),
              StatusIs(Code::kInvalidArgument, HasSubstr("tax_id")));
  o.set_tax_id("12345");
  EXPECT_THAT(orgs.Create(admin_, o, manager_.id()),
              StatusIs(Code::kInvalidArgument, HasSubstr("tax_id")));
  o.set_tax_id(testing::kInns[0]);
  EXPECT_THAT(orgs.Create(admin_, o, manager_.id()),
              StatusIs(Code::kAlreadyExists, HasSubstr("tax_id")));
  o.set_tax_id(testing::kInns[1]);
  EXPECT_THAT(orgs.Create(admin_, o, ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("manager_id")));
  EXPECT_THAT(orgs.Create(admin_, o, spb_manager_.id()),
              StatusIs(Code::kFailedPrecondition, HasSubstr("manager_id")));
  EXPECT_THAT(
      orgs.Create(admin_, o, hotline_.id()),
      StatusIs(Code::kFailedPrecondition, HasSubstr("personal-manager")));
  o.set_tier(v1::CLIENT_TIER_UNSPECIFIED);
  EXPECT_THAT(orgs.Create(admin_, o, manager_.id()),
              StatusIs(Code::kInvalidArgument, HasSubstr("tier")));
  o.set_tier(v1::CLIENT_TIER_VIP);
  o.add_topics(static_cast<v1::ProfileTopic>(99));
  EXPECT_THAT(orgs.Create(admin_, o, manager_.id()),
              StatusIs(Code::kInvalidArgument, HasSubstr("topics[0]")));
  EXPECT_EQ(EventCount(), before);
  auto listed = orgs.List(admin_);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->items.size(), 1u);
}

TEST_P(OrgTest, ContactsSeeOnlyTheirOrganization) {
  v1::Organization other = MakeOrg(msk_.id(), manager_.id(), "Gamma JSC", 1);
  ContactActor(contact_.id());
  auto me = ContactActor(contact_.id());
  EXPECT_TRUE(desk_->organizations().Get(me, org_.id()).ok());
  // Another organisation reads as an unknown id.
  EXPECT_THAT(desk_->organizations().Get(me, other.id()),
              StatusIs(Code::kNotFound, HasSubstr("not found")));
  auto listed = desk_->organizations().List(me);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].id(), org_.id());
  EXPECT_THAT(desk_->contacts().List(me, other.id()),
              StatusIs(Code::kNotFound, HasSubstr("not found")));
  EXPECT_THAT(desk_->managers().History(me, other.id()),
              StatusIs(Code::kNotFound, HasSubstr("not found")));
  v1::Contact c;
  c.set_organization_id(org_.id());
  c.set_full_name("Sneaky");
  c.set_email("sneaky@client.example.ru");
  EXPECT_THAT(desk_->contacts().Create(me, c),
              StatusIs(Code::kPermissionDenied));
  // Changing contacts is for staff: any contact is refused before the id is
  // looked up, whichever organisation it names (or none).
  v1::Contact theirs = MakeContact(other.id(), "Their Contact");
  for (const std::string& id :
       {theirs.id(), contact_.id(), std::string("contact-999")}) {
    v1::Contact u;
    u.set_id(id);
    u.set_full_name("Renamed");
    EXPECT_THAT(desk_->contacts().Update(me, u),
                StatusIs(Code::kPermissionDenied))
        << id;
    EXPECT_THAT(desk_->contacts().Deactivate(me, id),
                StatusIs(Code::kPermissionDenied))
        << id;
  }
  // Its personal manager it may read, as a contact card; other staff not.
  auto card = desk_->staff().Get(me, manager_.id());
  ASSERT_OK(card);
  EXPECT_EQ(card->full_name(), manager_.full_name());
  EXPECT_EQ(card->email(), manager_.email());
  EXPECT_EQ(card->roles_size(), 0);
  EXPECT_EQ(card->qualifications_size(), 0);
  EXPECT_THAT(desk_->staff().Get(me, hotline_.id()),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->staff().Get(me, "staff-999"),
              StatusIs(Code::kPermissionDenied));
  ASSERT_OK(desk_->managers().Reassign(admin_, org_.id(), manager2_.id(),
                                       "vacation"));
  EXPECT_THAT(desk_->staff().Get(me, manager_.id()),
              StatusIs(Code::kPermissionDenied));
  EXPECT_OK(desk_->staff().Get(me, manager2_.id()).status());
  // Staff of another center cannot see the client either.
  EXPECT_THAT(
      desk_->organizations().Get(StaffActor(spb_manager_.id()), org_.id()),
      StatusIs(Code::kPermissionDenied));
}

TEST_P(OrgTest, ContactValidationAndHotlineMayAddContacts) {
  v1::Contact c;
  c.set_organization_id(org_.id());
  c.set_full_name("Ivan Client");
  c.set_email("ivan@@client");
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kInvalidArgument, HasSubstr("email")));
  c.set_email("ivan@client.example.ru");
  c.set_phone("call me");
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kInvalidArgument, HasSubstr("phone")));
  c.set_phone("+7 912 000 00 00");
  c.set_full_name("  ");
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kInvalidArgument, HasSubstr("full_name")));
  c.set_full_name("Ivan Client");
  auto created = desk_->contacts().Create(StaffActor(hotline_.id()), c);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version(), 1);
  EXPECT_TRUE(created->active());
  c.set_email(contact_.email());
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kAlreadyExists, HasSubstr("email")));
}

// Russian clients have addresses on Cyrillic domains (.рф) and Cyrillic
// local parts (RFC 6531); uniqueness folds case in both scripts.
TEST_P(OrgTest, InternationalizedEmailsAreAcceptedAndUniqueAcrossCase) {
  v1::Contact c;
  c.set_organization_id(org_.id());
  c.set_full_name("Иван Клиентов");
  c.set_email("Иван@Пример.РФ");
  auto first = desk_->contacts().Create(admin_, c);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->email(), "Иван@Пример.РФ");  // stored as typed
  c.set_email("иван@пример.рф");
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kAlreadyExists, HasSubstr("email")));
  // Ё and Е are different letters, so different addresses.
  c.set_email("ёлка@пример.рф");
  ASSERT_OK(desk_->contacts().Create(admin_, c).status());
  c.set_email("елка@пример.рф");
  ASSERT_OK(desk_->contacts().Create(admin_, c).status());
  c.set_email("ЁЛКА@ПРИМЕР.РФ");
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kAlreadyExists, HasSubstr("email")));
  // The same domain in punycode, and a staff member's address.
  c.set_email("ivan@xn--e1afmkfd.xn--p1ai");
  ASSERT_OK(desk_->contacts().Create(admin_, c).status());
  // ... which is the domain of the first address: one mailbox.
  c.set_email("ИВАН@XN--E1AFMKFD.xn--p1ai");
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kAlreadyExists, HasSubstr("email")));
  c.set_email("ivan@пример.рф");
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kAlreadyExists, HasSubstr("email")));
  // Case folds beyond Russian too, before the domain goes to punycode.
  for (const auto& [first, same] :
       std::vector<std::pair<std::string, std::string>>{
           {"hans@bücher.de", "HANS@BÜCHER.de"},
           {"hans@BÜCHER.de", "hans@xn--bcher-kva.de"},
           {"taras@їжак.укр", "TARAS@ЇЖАК.УКР"},
           {"ґанна@łódź.pl", "ҐАННА@ŁÓDŹ.PL"},
           {"nikos@αβγ.gr", "NIKOS@ΑΒΓ.GR"}}) {
    c.set_email(first);
    auto made = desk_->contacts().Create(admin_, c);
    ASSERT_TRUE(made.ok() || absl::IsAlreadyExists(made.status()))
        << first << ": " << made.status();
    c.set_email(same);
    EXPECT_THAT(desk_->contacts().Create(admin_, c),
                StatusIs(Code::kAlreadyExists, HasSubstr("email")))
        << same;
  }
  // DNS's 63-byte label limit holds for the punycode form: 40 Cyrillic
  // letters (80 bytes of UTF-8) fit.
  std::string long_label;
  for (int i = 0; i < 40; ++i) long_label += "д";
  c.set_email("ivan@" + long_label + ".рф");
  ASSERT_OK(desk_->contacts().Create(admin_, c).status());
  long_label.clear();
  for (int i = 0; i < 70; ++i) long_label += "д";
  c.set_email("petr@" + long_label + ".рф");
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kInvalidArgument, HasSubstr("email")));
  v1::StaffMember m;
  m.set_center_id(manager_.center_id());
  m.set_full_name("Пётр Инженеров");
  m.set_email("пётр@центр.рф");
  m.add_roles(v1::STAFF_ROLE_ENGINEER);
  ASSERT_OK(desk_->staff().Create(admin_, m).status());
  m.set_email("ПЁТР@ЦЕНТР.РФ");
  EXPECT_THAT(desk_->staff().Create(admin_, m),
              StatusIs(Code::kAlreadyExists, HasSubstr("email")));

  const size_t events = EventCount();
  for (const char* bad :
       {"ivan@пример", "ivan@-пример.рф", "ivan@пример-.рф", "ivan@пример..рф",
        "iv an@пример.рф", "iv\u00a0an@пример.рф", "ivan@при\u200bмер.рф",
        "ivan@пример.р", "ivan@xn--e1afmkfd.xn--p1ai.", "\xff@client.ru",
        // Space-like, invisible and combining characters: look-alikes.
        "iv\u1680an@client.ru", "iv\u3164an@client.ru", "ivan@при\u061cмер.рф",
        "ivan@пример\ufe0f.рф", "ivan@\U000e0041client.ru",
        "и\u0306ван@пример.рф",
        // Symbols, stretching marks and look-alikes of Latin letters.
        "ex\u0640ample@client.ru", "ivan@\u017ftore.com", "ivan@d\u01c6.com",
        "ivan@a\u0482.ru", "ivan@\u01c0ogin.com", "ivan@\u0130stanbul.com",
        "ivan@\u04c0ogin.ru",
        // Dots only between the local part's words.
        ".ivan@client.ru", "ivan.@client.ru", "iv..an@client.ru"}) {
    c.set_email(bad);
    EXPECT_THAT(desk_->contacts().Create(admin_, c),
                StatusIs(Code::kInvalidArgument, HasSubstr("email")))
        << bad;
  }
  c.set_email(std::string(65, 'a') + "@client.ru");
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kInvalidArgument, HasSubstr("email")));
  EXPECT_EQ(EventCount(), events);
}

// Pasted text carries spaces around names and addresses: they are not part
// of the value (they would sort "  Zeta" before "Alpha").
TEST_P(OrgTest, NamesAndAddressesAreStoredTrimmed) {
  v1::ServiceCenter center;
  center.set_code("NSK-01");
  center.set_name("  Novosibirsk ");
  center.set_region("\tSiberia ");
  center.set_time_zone("Asia/Novosibirsk");
  auto made_center = desk_->centers().Create(admin_, center);
  ASSERT_TRUE(made_center.ok()) << made_center.status();
  EXPECT_EQ(made_center->name(), "Novosibirsk");
  EXPECT_EQ(made_center->region(), "Siberia");

  v1::Contact c;
  c.set_organization_id(org_.id());
  c.set_full_name("  Anna Trim ");
  c.set_position(" Accountant ");
  c.set_email(" Anna.Trim@client.example.ru ");
  c.set_phone(" +7 495 000-00-09 ");
  auto made = desk_->contacts().Create(admin_, c);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->full_name(), "Anna Trim");
  EXPECT_EQ(made->position(), "Accountant");
  EXPECT_EQ(made->email(), "Anna.Trim@client.example.ru");
  EXPECT_EQ(made->phone(), "+7 495 000-00-09");
  v1::Contact again = *made;
  again.set_full_name("Anna Trimmed  ");
  auto updated = desk_->contacts().Update(admin_, again);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->full_name(), "Anna Trimmed");

  v1::Organization o = org_;
  o.set_name(" Alpha LLC (trimmed) ");
  auto org = desk_->organizations().Update(admin_, o);
  ASSERT_TRUE(org.ok()) << org.status();
  EXPECT_EQ(org->name(), "Alpha LLC (trimmed)");

  v1::StaffMember m;
  m.set_center_id(manager_.center_id());
  m.set_full_name(" Oleg Trim\n");
  m.set_email("oleg.trim@center.example.ru");
  m.add_roles(v1::STAFF_ROLE_ENGINEER);
  auto staff = desk_->staff().Create(admin_, m);
  ASSERT_TRUE(staff.ok()) << staff.status();
  EXPECT_EQ(staff->full_name(), "Oleg Trim");

  // Only spaces is still empty.
  const size_t events = EventCount();
  c.set_full_name("   ");
  c.set_email("blank@client.example.ru");
  EXPECT_THAT(desk_->contacts().Create(admin_, c),
              StatusIs(Code::kInvalidArgument, HasSubstr("full_name")));
  EXPECT_EQ(EventCount(), events);
}

TEST_P(OrgTest, StaleUpdateIsAbortedAndKeepsTheStoredRecord) {
  v1::Organization first = org_;
  first.set_name("Alpha LLC (renamed)");
  auto ok = desk_->organizations().Update(StaffActor(manager_.id()), first);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->version(), org_.version() + 1);
  v1::Organization stale = org_;  // still the old version
  stale.set_name("Lost update");
  EXPECT_THAT(desk_->organizations().Update(StaffActor(manager2_.id()), stale),
              StatusIs(Code::kAborted, HasSubstr("version")));
  auto now = desk_->organizations().Get(admin_, org_.id());
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->name(), "Alpha LLC (renamed)");
  EXPECT_EQ(now->version(), ok->version());
}

// Sends `stored` back unchanged (a no-op), then with `change` applied, and
// checks that only the change is a write: same version, updated_at and
// event count for the no-op; a refused caller stays refused and a stale copy
// ABORTED even when it matches.
template <typename M>
void ExpectOnlyChangesAreWritten(
    ManualClock& clock, const std::string& what, const M& stored,
    const std::function<absl::StatusOr<M>(const Actor&, const M&)>& update,
    const std::function<absl::StatusOr<M>()>& get,
    const std::function<void(M&)>& change, const Actor& refused,
    const Actor& admin, const std::function<size_t()>& events) {
  SCOPED_TRACE(what);
  clock.Advance(absl::Minutes(1));
  const size_t before = events();
  auto same = update(admin, stored);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->SerializeAsString(), stored.SerializeAsString());
  auto read = get();
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->version(), stored.version());
  EXPECT_EQ(read->updated_at().seconds(), stored.updated_at().seconds());
  EXPECT_EQ(events(), before);

  EXPECT_FALSE(update(refused, stored).ok());
  EXPECT_EQ(events(), before);

  M changed = stored;
  change(changed);
  auto bumped = update(admin, changed);
  ASSERT_TRUE(bumped.ok()) << bumped.status();
  EXPECT_EQ(bumped->version(), stored.version() + 1);
  EXPECT_GT(bumped->updated_at().seconds(), stored.updated_at().seconds());
  EXPECT_EQ(events(), before + 1);

  EXPECT_THAT(update(admin, stored),
              StatusIs(Code::kAborted, HasSubstr("version")));
  EXPECT_EQ(events(), before + 1);
}

TEST_P(OrgTest, UpdateThatChangesNothingWritesNothing) {
  const Actor contact = ContactActor(contact_.id());
  auto events = [&] { return EventCount(); };
  ExpectOnlyChangesAreWritten<v1::ServiceCenter>(
      *clock_, "center", msk_,
      [&](const Actor& a, const v1::ServiceCenter& c) {
        return desk_->centers().Update(a, c);
      },
      [&] { return desk_->centers().Get(admin_, msk_.id()); },
      [](v1::ServiceCenter& c) { c.set_region("Moscow region"); }, contact,
      admin_, events);
  ExpectOnlyChangesAreWritten<v1::Organization>(
      *clock_, "organization", org_,
      [&](const Actor& a, const v1::Organization& o) {
        return desk_->organizations().Update(a, o);
      },
      [&] { return desk_->organizations().Get(admin_, org_.id()); },
      [](v1::Organization& o) { o.set_tier(v1::CLIENT_TIER_VIP); }, contact,
      admin_, events);
  ExpectOnlyChangesAreWritten<v1::Contact>(
      *clock_, "contact", contact_,
      [&](const Actor& a, const v1::Contact& c) {
        return desk_->contacts().Update(a, c);
      },
      [&] { return desk_->contacts().Get(admin_, contact_.id()); },
      [](v1::Contact& c) { c.set_position("Chief accountant"); }, contact,
      admin_, events);
  ExpectOnlyChangesAreWritten<v1::StaffMember>(
      *clock_, "staff", hotline_,
      [&](const Actor& a, const v1::StaffMember& m) {
        return desk_->staff().Update(a, m);
      },
      [&] { return desk_->staff().Get(admin_, hotline_.id()); },
      [](v1::StaffMember& m) { m.set_phone("+7 495 000-00-01"); }, contact,
      admin_, events);

  auto calendar =
      desk_->calendars().Create(admin_, testing::MoscowOfficeHours());
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  ExpectOnlyChangesAreWritten<v1::BusinessCalendar>(
      *clock_, "calendar", *calendar,
      [&](const Actor& a, const v1::BusinessCalendar& c) {
        return desk_->calendars().Update(a, c);
      },
      [&] { return desk_->calendars().Get(admin_, calendar->id()); },
      [](v1::BusinessCalendar& c) { c.set_name("Moscow, 09-18"); }, contact,
      admin_, events);

  v1::Installation spec;
  spec.set_organization_id(org_.id());
  spec.set_product_version("2025.1");
  spec.set_workstations(12);
  spec.add_installed_sets("accounting");
  spec.set_address("Moscow, Tverskaya 1");
  auto installation = desk_->techsupport().CreateInstallation(admin_, spec);
  ASSERT_TRUE(installation.ok()) << installation.status();
  ExpectOnlyChangesAreWritten<v1::Installation>(
      *clock_, "installation", *installation,
      [&](const Actor& a, const v1::Installation& i) {
        return desk_->techsupport().UpdateInstallation(a, i);
      },
      [&] {
        return desk_->techsupport().GetInstallation(admin_, installation->id());
      },
      [](v1::Installation& i) { i.set_workstations(13); }, contact, admin_,
      events);

  v1::SlaPolicy policy;
  policy.set_name("Quality Standard");
  auto set = desk_->sla().SetPolicy(admin_, policy);
  ASSERT_TRUE(set.ok()) << set.status();
  ExpectOnlyChangesAreWritten<v1::SlaPolicy>(
      *clock_, "sla policy", *set,
      [&](const Actor& a, const v1::SlaPolicy& p) {
        return desk_->sla().SetPolicy(a, p);
      },
      [&] { return desk_->sla().GetPolicy(admin_); },
      [](v1::SlaPolicy& p) { p.set_name("Quality Standard 2025"); }, contact,
      admin_, events);
}

// What is compared is what would be stored: input that trims to the stored
// record is no change either.
TEST_P(OrgTest, UpdateThatTrimsToTheStoredRecordWritesNothing) {
  const size_t before = EventCount();
  v1::Organization padded = org_;
  padded.set_name(absl::StrCat("  ", org_.name(), " "));
  auto same = desk_->organizations().Update(admin_, padded);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->version(), org_.version());
  EXPECT_EQ(same->name(), org_.name());
  EXPECT_EQ(EventCount(), before);
}

// A reassignment made on a node whose clock lags the one that made the
// last keeps the history a sequence: the old stretch ends no earlier than it
// began, and the new one starts where it ended.
TEST_P(OrgTest, ManagerHistoryStaysInOrderUnderClockSkew) {
  const absl::Time t0 = clock_->Now();
  clock_->Set(t0 + absl::Hours(1));
  ASSERT_OK(desk_->managers().Reassign(admin_, org_.id(), manager2_.id(),
                                       "vacation"));
  clock_->Set(t0 + absl::Minutes(50));  // ten minutes behind
  ASSERT_OK(
      desk_->managers().Reassign(admin_, org_.id(), manager_.id(), "back"));
  auto history = desk_->managers().History(admin_, org_.id());
  ASSERT_OK(history);
  ASSERT_EQ(history->size(), 3u);
  for (size_t i = 0; i + 1 < history->size(); ++i) {
    const auto& a = (*history)[i];
    ASSERT_TRUE(a.has_valid_to());
    EXPECT_GE(internal::FromProto(a.valid_to()),
              internal::FromProto(a.valid_from()))
        << i;
    EXPECT_EQ(internal::FromProto((*history)[i + 1].valid_from()),
              internal::FromProto(a.valid_to()))
        << i;
  }
  EXPECT_EQ((*history)[2].manager_id(), manager_.id());
}

// Russian names sort as in a Russian dictionary: case does not matter and
// Ё counts as Е; Latin names come first.
TEST_P(OrgTest, RussianNamesListInAlphabeticalOrder) {
  const char* names[] = {"яблоко", "Ёлка", "Ель", "Берёза", "арбуз"};
  for (int i = 0; i < 4; ++i)
    MakeOrg(msk_.id(), manager_.id(), names[i], i + 1);
  v1::Contact yolka = MakeContact(org_.id(), names[1]);
  v1::Contact arbuz = MakeContact(org_.id(), names[4]);
  v1::Contact el = MakeContact(org_.id(), names[2]);
  auto orgs = desk_->organizations().List(admin_);
  ASSERT_OK(orgs);
  std::vector<std::string> seen;
  for (const auto& o : orgs->items) seen.push_back(o.name());
  EXPECT_THAT(seen,
              ElementsAre("Alpha LLC", names[3], names[1], names[2], names[0]));
  // Contacts too, Latin names first: Maria, арбуз, Ёлка, Ель.
  auto contacts = desk_->contacts().List(admin_, org_.id());
  ASSERT_OK(contacts);
  std::vector<std::string> ids;
  for (const auto& x : contacts->items) ids.push_back(x.id());
  EXPECT_THAT(ids, ElementsAre(contact_.id(), arbuz.id(), yolka.id(), el.id()));
}

// A store written before index format 8 held an inactive organisation's INN
// and sorted names by ASCII case only; opened now, it is re-indexed: the
// INN is free and Russian names sort alphabetically.
TEST_P(OrgTest, StoresOfFormat7AreReindexedOnOpen) {
  if (path_.empty()) GTEST_SKIP() << "needs a store that outlives the desk";
  MakeOrg(msk_.id(), manager_.id(), "яблоко", 1);
  MakeOrg(msk_.id(), manager_.id(), "Берёза", 2);
  ASSERT_OK(desk_->organizations().Deactivate(admin_, org_.id(), "ended"));
  ReopenAsIndexFormat("7", [](Transaction& tx) {
    auto rows = tx.Scan("organization", ScanRange());
    ASSERT_TRUE(rows.ok()) << rows.status();
    for (const StoredRecord& row : *rows) {
      v1::Organization o;
      ASSERT_TRUE(o.ParseFromString(row.value));
      // Format 7's entries: names lowered as ASCII, every INN unique.
      std::vector<IndexEntry> old = {
          {"center",
           internal::KeyJoin({o.center_id(), absl::AsciiStrToLower(o.name())})},
          {"tax_id", o.tax_id(), /*unique=*/true}};
      ASSERT_TRUE(
          tx.Put("organization", row.key, row.version, row.value, old).ok());
    }
  });
  ASSERT_FALSE(HasFatalFailure());
  v1::Organization again;
  again.set_name("Alpha LLC");
  again.set_tax_id(org_.tax_id());
  again.set_tier(v1::CLIENT_TIER_STANDARD);
  again.set_center_id(msk_.id());
  EXPECT_OK(desk_->organizations().Create(admin_, again, manager_.id()));
  auto listed = desk_->organizations().List(admin_);
  ASSERT_OK(listed);
  std::vector<std::string> names;
  for (const auto& o : listed->items) names.push_back(o.name());
  EXPECT_THAT(names, ElementsAre("Alpha LLC", "Берёза", "яблоко"));
}

// An INN belongs to one active organisation: a client whose contract ended
// may sign again under the same INN, as a new organisation.
TEST_P(OrgTest, AnEndedClientMaySignAgainWithItsInn) {
  v1::Organization again;
  again.set_name("Alpha LLC");
  again.set_tax_id(org_.tax_id());
  again.set_tier(v1::CLIENT_TIER_STANDARD);
  again.set_center_id(msk_.id());
  EXPECT_THAT(desk_->organizations().Create(admin_, again, manager_.id()),
              StatusIs(Code::kAlreadyExists, HasSubstr("tax_id")));
  ASSERT_OK(desk_->organizations().Deactivate(admin_, org_.id(), "ended"));
  auto signed_again =
      desk_->organizations().Create(admin_, again, manager_.id());
  ASSERT_OK(signed_again);
  EXPECT_NE(signed_again->id(), org_.id());
  EXPECT_TRUE(signed_again->active());
}

TEST_P(OrgTest, ListsPageInNameOrder) {
  const char* names[] = {"Delta", "Beta", "Epsilon", "Gamma"};
  for (int i = 0; i < 4; ++i)
    MakeOrg(msk_.id(), manager_.id(), names[i], i + 1);
  std::vector<std::string> seen;
  PageRequest page;
  page.page_size = 2;
  int pages = 0;
  do {
    auto p = desk_->organizations().List(admin_, {}, page);
    ASSERT_TRUE(p.ok()) << p.status();
    ASSERT_LE(p->items.size(), 2u);
    for (auto& o : p->items) seen.push_back(o.name());
    page.page_token = p->next_page_token;
    ++pages;
  } while (!page.page_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen,
              ElementsAre("Alpha LLC", "Beta", "Delta", "Epsilon", "Gamma"));
  PageRequest bad;
  bad.page_token = "!!not-a-token";
  EXPECT_THAT(desk_->organizations().List(admin_, {}, bad),
              StatusIs(Code::kInvalidArgument, HasSubstr("page_token")));
  OrganizationFilter vip;
  vip.tier = v1::CLIENT_TIER_VIP;
  auto none = desk_->organizations().List(admin_, vip);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
}

TEST_P(OrgTest, ManagerReassignmentKeepsHistory) {
  absl::Time t0 = clock_->Now();
  auto current =
      desk_->managers().Current(ContactActor(contact_.id()), org_.id());
  ASSERT_TRUE(current.ok()) << current.status();
  EXPECT_EQ(current->manager_id(), manager_.id());

  clock_->Advance(absl::Hours(48));
  absl::Time t1 = clock_->Now();
  EXPECT_THAT(desk_->managers().Reassign(StaffActor(manager_.id()), org_.id(),
                                         manager2_.id(), "x"),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->managers().Reassign(admin_, org_.id(), manager2_.id(), ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(
      desk_->managers().Reassign(admin_, org_.id(), manager_.id(), "same"),
      StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(desk_->managers().Reassign(admin_, org_.id(), spb_manager_.id(),
                                         "other center"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("center")));
  auto moved = desk_->managers().Reassign(StaffActor(head_.id()), org_.id(),
                                          manager2_.id(), "vacation");
  ASSERT_TRUE(moved.ok()) << moved.status();

  auto history = desk_->managers().History(admin_, org_.id());
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].manager_id(), manager_.id());
  EXPECT_EQ((*history)[0].end_reason(), "vacation");
  EXPECT_TRUE((*history)[0].has_valid_to());
  EXPECT_EQ((*history)[1].manager_id(), manager2_.id());
  EXPECT_FALSE((*history)[1].has_valid_to());

  auto then = desk_->managers().At(admin_, org_.id(), t0 + absl::Hours(1));
  ASSERT_TRUE(then.ok());
  EXPECT_EQ(then->manager_id(), manager_.id());
  auto later = desk_->managers().At(admin_, org_.id(), t1);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->manager_id(), manager2_.id());
  // Instants in messages are written as everywhere: UTC with Z.
  EXPECT_THAT(
      desk_->managers().At(admin_, org_.id(),
                           t0 - absl::Hours(1) + absl::Milliseconds(500)),
      StatusIs(Code::kNotFound,
               AllOf(HasSubstr(".500Z"), Not(HasSubstr("+00:00")))));
  auto org = desk_->organizations().Get(admin_, org_.id());
  EXPECT_EQ(org->manager_id(), manager2_.id());

  auto clients = desk_->managers().Clients(admin_, manager2_.id());
  ASSERT_TRUE(clients.ok());
  ASSERT_EQ(clients->items.size(), 1u);
  auto none = desk_->managers().Clients(admin_, manager_.id());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
}

TEST_P(OrgTest, ManagersCannotLeaveClientsWithoutAManager) {
  EXPECT_THAT(desk_->staff().Deactivate(admin_, manager_.id()),
              StatusIs(Code::kFailedPrecondition, HasSubstr("reassign")));
  v1::StaffMember m = manager_;
  m.clear_roles();
  m.add_roles(v1::STAFF_ROLE_HOTLINE_SPECIALIST);
  EXPECT_THAT(desk_->staff().Update(admin_, m),
              StatusIs(Code::kFailedPrecondition, HasSubstr("roles")));
  // Deactivating the client closes its assignment; then the manager may go.
  auto gone =
      desk_->organizations().Deactivate(admin_, org_.id(), "contract ended");
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_FALSE(gone->active());
  EXPECT_THAT(desk_->managers().Current(admin_, org_.id()),
              StatusIs(Code::kNotFound));
  auto history = desk_->managers().History(admin_, org_.id());
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->back().end_reason(), "contract ended");
  // Its contacts can no longer act; the refusal says why.
  EXPECT_THAT(
      desk_->organizations().Get(ContactActor(contact_.id()), org_.id()),
      StatusIs(Code::kPermissionDenied,
               AllOf(HasSubstr(contact_.id()), HasSubstr(org_.id()),
                     HasSubstr("inactive"))));
  EXPECT_OK(desk_->staff().Deactivate(admin_, manager_.id()).status());
  // An inactive staff member can no longer act.
  EXPECT_THAT(desk_->organizations().List(StaffActor(manager_.id())),
              StatusIs(Code::kPermissionDenied, HasSubstr("inactive")));
}

TEST_P(OrgTest, CentersWithActiveClientsStayActive) {
  EXPECT_THAT(desk_->centers().Deactivate(admin_, msk_.id()),
              StatusIs(Code::kFailedPrecondition, HasSubstr("organizations")));
  auto c = desk_->centers().Get(admin_, msk_.id());
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->active());
}

// Unsubscribe returns only once the callback runs nowhere else, so a caller
// may free what it uses; a callback may unsubscribe itself and subscribe
// others.
TEST_P(OrgTest, UnsubscribeWaitsForCallbacksRunningOnOtherThreads) {
  absl::Notification entered, release;
  std::atomic<int> calls{0};
  const int64_t sub = desk_->events().Subscribe([&](const v1::Event&) {
    if (++calls == 1) {
      entered.Notify();
      release.WaitForNotification();
    }
  });
  v1::Contact c;
  c.set_organization_id(org_.id());
  c.set_full_name("Slow Reader");
  c.set_email("slow@client.example.ru");
  std::thread committer(
      [&] { EXPECT_TRUE(desk_->contacts().Create(admin_, c).ok()); });
  entered.WaitForNotification();
  std::atomic<bool> unsubscribed{false};
  std::thread leaver([&] {
    desk_->events().Unsubscribe(sub);
    unsubscribed = true;
  });
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_FALSE(unsubscribed) << "returned while the callback was running";
  release.Notify();
  leaver.join();
  committer.join();
  EXPECT_TRUE(unsubscribed);
  c.set_email("after@client.example.ru");
  ASSERT_TRUE(desk_->contacts().Create(admin_, c).ok());
  EXPECT_EQ(calls, 1);
}

// A one-shot subscription whose callback runs on two threads at once: both
// unsubscribe from inside, and neither waits for the other.
TEST_P(OrgTest, TwoThreadsInsideTheCallbackMayBothUnsubscribeIt) {
  std::atomic<int> inside{0};
  int64_t sub = 0;
  absl::Notification subscribed;
  sub = desk_->events().Subscribe([&](const v1::Event&) {
    subscribed.WaitForNotification();
    ++inside;
    // Both threads are in the callback before either unsubscribes.
    for (int i = 0; i < 2000 && inside < 2; ++i)
      absl::SleepFor(absl::Milliseconds(1));
    desk_->events().Unsubscribe(sub);
  });
  subscribed.Notify();
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&, i] {
      v1::Contact c;
      c.set_organization_id(org_.id());
      c.set_full_name(absl::StrCat("One Shot ", i));
      c.set_email(absl::StrCat("one-shot-", i, "@client.example.ru"));
      EXPECT_TRUE(desk_->contacts().Create(admin_, c).ok());
    });
  for (std::thread& t : threads) t.join();  // hung here before the fix
  EXPECT_EQ(inside, 2);
}

// A commit a callback makes is delivered after the commit being delivered,
// to the subscribers there were when it committed: one subscribed after it
// returned gets neither, only later commits. A callback that throws does
// not cost the queued commit its delivery.
TEST_P(OrgTest, NestedCommitsReachTheirOwnSubscribersEvenIfACallbackThrows) {
  auto contact = [&](const std::string& name) {
    v1::Contact c;
    c.set_organization_id(org_.id());
    c.set_full_name(name);
    c.set_email(absl::StrCat(absl::AsciiStrToLower(name.substr(0, 5)),
                             "@client.example.ru"));
    return c;
  };
  std::vector<std::string> relay, late;
  int64_t late_sub = 0, worker = 0;
  bool done = false;
  worker = desk_->events().Subscribe([&](const v1::Event& e) {
    if (done || e.entity_type() != "contact") return;
    done = true;
    EXPECT_TRUE(desk_->contacts().Create(admin_, contact("Nested")).ok());
    late_sub = desk_->events().Subscribe(
        [&](const v1::Event& l) { late.push_back(l.entity_id()); });
    throw std::runtime_error("callback failed");
  });
  const int64_t relay_sub = desk_->events().Subscribe(
      [&](const v1::Event& e) { relay.push_back(e.action()); });
  EXPECT_THROW((void)desk_->contacts().Create(admin_, contact("Outer")),
               std::runtime_error);
  desk_->events().Unsubscribe(worker);
  EXPECT_EQ(relay, (std::vector<std::string>{"created", "created"}));
  EXPECT_TRUE(late.empty());
  ASSERT_TRUE(desk_->contacts().Create(admin_, contact("Later")).ok());
  EXPECT_EQ(late.size(), 1u);
  desk_->events().Unsubscribe(late_sub);
  desk_->events().Unsubscribe(relay_sub);
}

TEST_P(OrgTest, CallbacksMayUnsubscribeThemselvesAndSubscribeOthers) {
  int first = 0, second = 0;
  int64_t self = 0, other = 0;
  self = desk_->events().Subscribe([&](const v1::Event&) {
    ++first;
    desk_->events().Unsubscribe(self);
    other = desk_->events().Subscribe([&](const v1::Event&) { ++second; });
  });
  // Opening an organization with its manager commits two events: the
  // callback sees the first only, the one it subscribed neither.
  auto before = desk_->events().List(admin_, 0, 0);
  ASSERT_TRUE(before.ok());
  const int64_t last = before->empty() ? 0 : before->back().seq();
  MakeOrg(msk_.id(), manager_.id(), "Nested Events LLC", 4);
  auto committed = desk_->events().List(admin_, last, 0);
  ASSERT_TRUE(committed.ok());
  ASSERT_GE(committed->size(), 2u);  // else nothing is left to skip
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 0);
  v1::Contact c;
  c.set_organization_id(org_.id());
  c.set_full_name("Later Person");
  c.set_email("later@client.example.ru");
  ASSERT_TRUE(desk_->contacts().Create(admin_, c).ok());
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);
  desk_->events().Unsubscribe(other);
}

TEST_P(OrgTest, EveryMutationIsAnEventDeliveredAfterCommit) {
  std::vector<v1::Event> delivered;
  int64_t sub = desk_->events().Subscribe(
      [&](const v1::Event& e) { delivered.push_back(e); });
  v1::Contact c;
  c.set_organization_id(org_.id());
  c.set_full_name("Event Person");
  c.set_email("event@client.example.ru");
  auto created = desk_->contacts().Create(StaffActor(manager_.id()), c);
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].entity_type(), "contact");
  EXPECT_EQ(delivered[0].entity_id(), created->id());
  EXPECT_EQ(delivered[0].action(), "created");
  EXPECT_EQ(delivered[0].actor().staff_id(), manager_.id());
  EXPECT_EQ(delivered[0].entity_version(), 1);
  EXPECT_GT(delivered[0].seq(), 0);
  EXPECT_EQ(internal::FromProto(delivered[0].time()), clock_->Now());
  EXPECT_EQ(delivered[0].center_id(), org_.center_id());
  EXPECT_EQ(delivered[0].organization_id(), org_.id());
  // The stored log holds the same event, byte for byte once parsed.
  auto listed = desk_->events().List(AdminActor("audit"), 0, 1000);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_FALSE(listed->empty());
  EXPECT_EQ(listed->back().SerializeAsString(),
            delivered[0].SerializeAsString());
  // A refused call delivers nothing.
  c.set_email("other@client.example.ru");
  EXPECT_FALSE(desk_->contacts().Create(ContactActor(contact_.id()), c).ok());
  EXPECT_EQ(delivered.size(), 1u);
  desk_->events().Unsubscribe(sub);
  c.set_email("third@client.example.ru");
  ASSERT_TRUE(desk_->contacts().Create(admin_, c).ok());
  EXPECT_EQ(delivered.size(), 1u);

  auto all = desk_->events().List(admin_, 0);
  ASSERT_TRUE(all.ok());
  for (size_t i = 1; i < all->size(); ++i)
    EXPECT_LT((*all)[i - 1].seq(), (*all)[i].seq());
  // The contact sees only events of its organisation; SPB staff none of MSK's.
  auto mine = desk_->events().List(ContactActor(contact_.id()), 0);
  ASSERT_TRUE(mine.ok());
  EXPECT_FALSE(mine->empty());
  for (auto& e : *mine) EXPECT_EQ(e.organization_id(), org_.id());
  auto spb = desk_->events().List(StaffActor(spb_manager_.id()), 0);
  ASSERT_TRUE(spb.ok());
  for (auto& e : *spb) EXPECT_EQ(e.center_id(), spb_.id());
  EXPECT_THAT(desk_->events().List(admin_, -1),
              StatusIs(Code::kInvalidArgument, HasSubstr("after_seq")));
}

TEST_P(OrgTest, OpenRejectsUnknownSchemes) {
  EXPECT_THAT(Desk::Open(""),
              StatusIs(Code::kInvalidArgument, HasSubstr("uri")));
  EXPECT_THAT(Desk::Open("postgres://localhost/x"),
              StatusIs(Code::kInvalidArgument, HasSubstr("uri")));
  EXPECT_THAT(Desk::Open("sqlite:"),
              StatusIs(Code::kInvalidArgument, HasSubstr("uri")));
}

INSTANTIATE_TEST_SUITE_P(Backends, OrgTest,
                         ::testing::Values("memory", "sqlite"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace servicedesk
