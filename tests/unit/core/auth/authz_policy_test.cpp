#include "core/auth/authz_policy.hpp"

#include <catch2/catch.hpp>

using namespace otts;
using nlohmann::json;

namespace {

// The example of core/auth/authz_policy.hpp.
constexpr const char* k_policy = R"({"description": "example",
  "rules": [
    {"group": "admin", "actions": ["*"]},
    {"group": "editor", "actions": ["read:content", "write:content"]},
    {"group": "readonly", "actions": ["read:*"], "owner_only": false},
    {"group": "user", "actions": ["write:own"], "owner_only": true, "description": "own things only"}
  ]})";

const AuthzPolicy& policy() {
    static const AuthzPolicy p = AuthzPolicy::parse(k_policy).value();
    return p;
}

AuthzRequest request(std::vector<std::string> groups, std::string action, json resource = nullptr) {
    return AuthzRequest{"user-1", std::move(groups), std::move(action), std::move(resource), nullptr};
}

AuthzDecision decide(const AuthzPolicy& p, std::vector<std::string> groups, std::string action,
                     json resource = nullptr) {
    return p.decide(request(std::move(groups), std::move(action), std::move(resource)));
}

std::string parse_error(const std::string& text) {
    const auto r = AuthzPolicy::parse(text);
    if (r.ok()) return "parsed";
    CHECK(r.error().code == ErrorCode::usage);
    return r.error().detail;
}

std::string with_rule(const std::string& rule) { return R"({"rules":[{"group":"a","actions":["x"]},)" + rule + "]}"; }

}  // namespace

TEST_CASE("the example policy parses with its four rules", "[authz]") {
    CHECK(policy().rule_count() == 4);
    CHECK(AuthzPolicy::parse(R"({"rules":[]})").value().rule_count() == 0);
}

TEST_CASE("authz denies by default", "[authz]") {
    const auto d = decide(policy(), {"nobody"}, "read:content");
    CHECK_FALSE(d.allowed);
    CHECK_FALSE(d.rule.has_value());
    CHECK(d.reason == "no rule allows read:content for groups [nobody]");
    CHECK(decide(policy(), {}, "read:content").reason == "no rule allows read:content for groups []");
    CHECK(decide(policy(), {"a", "b"}, "x").reason == "no rule allows x for groups [a,b]");
    const auto empty = AuthzPolicy::parse(R"({"rules":[]})").value();
    CHECK_FALSE(decide(empty, {"admin"}, "read:content").allowed);
}

TEST_CASE("authz: group * allows any action to admins", "[authz]") {
    for (const char* action : {"read:content", "write:content", "admin:delete-user", "x"}) {
        const auto d = decide(policy(), {"admin"}, action);
        CHECK(d.allowed);
        CHECK(d.rule == std::optional<std::size_t>(0));
        CHECK(d.reason == "allowed by rule 0 (group admin)");
    }
}

TEST_CASE("authz: exact actions match only themselves", "[authz]") {
    const auto d = decide(policy(), {"editor"}, "write:content");
    CHECK(d.allowed);
    CHECK(d.rule == std::optional<std::size_t>(1));
    CHECK(d.reason == "allowed by rule 1 (group editor)");
    CHECK(decide(policy(), {"editor"}, "read:content").allowed);
    CHECK_FALSE(decide(policy(), {"editor"}, "read:contents").allowed);
    CHECK_FALSE(decide(policy(), {"editor"}, "read:conten").allowed);
    CHECK_FALSE(decide(policy(), {"editor"}, "delete:content").allowed);
}

TEST_CASE("authz: read:* matches the read namespace and nothing else", "[authz]") {
    CHECK(decide(policy(), {"readonly"}, "read:content").allowed);
    CHECK(decide(policy(), {"readonly"}, "read:a:b").allowed);
    CHECK(decide(policy(), {"readonly"}, "read:content").reason == "allowed by rule 2 (group readonly)");
    CHECK_FALSE(decide(policy(), {"readonly"}, "read").allowed);
    CHECK_FALSE(decide(policy(), {"readonly"}, "read:").allowed);
    CHECK_FALSE(decide(policy(), {"readonly"}, "readonly:x").allowed);
    CHECK_FALSE(decide(policy(), {"readonly"}, "write:content").allowed);
    CHECK_FALSE(decide(policy(), {"readonly"}, "xread:content").allowed);
}

TEST_CASE("authz: owner_only allows the owner and denies everyone else", "[authz]") {
    const auto mine = decide(policy(), {"user"}, "write:own", json{{"owner", "user-1"}, {"id", "doc-9"}});
    CHECK(mine.allowed);
    CHECK(mine.reason == "allowed by rule 3 (group user)");
    const auto theirs = decide(policy(), {"user"}, "write:own", json{{"owner", "user-2"}});
    CHECK_FALSE(theirs.allowed);
    CHECK(theirs.rule == std::optional<std::size_t>(3));
    CHECK(theirs.reason == "owner_only: resource owner is not the caller");
    // Owner comparison is exact.
    CHECK_FALSE(decide(policy(), {"user"}, "write:own", json{{"owner", "USER-1"}}).allowed);
    CHECK_FALSE(decide(policy(), {"user"}, "write:own", json{{"owner", "user-1 "}}).allowed);
}

TEST_CASE("authz: owner_only denies when the resource has no string owner", "[authz]") {
    for (const json& resource : {json(nullptr), json::object(), json{{"id", "doc"}}, json{{"owner", nullptr}},
                                 json{{"owner", 1}}, json{{"owner", json::array({"user-1"})}},
                                 json{{"owner", json{{"sub", "user-1"}}}}, json("user-1"), json::array({"user-1"})}) {
        INFO("resource " << resource.dump());
        const auto d = decide(policy(), {"user"}, "write:own", resource);
        CHECK_FALSE(d.allowed);
        CHECK(d.rule == std::optional<std::size_t>(3));
        CHECK(d.reason == "owner_only: resource has no owner (resource.owner must be a string)");
    }
}

TEST_CASE("authz: a later rule may allow what an owner_only rule refused", "[authz]") {
    const auto p = AuthzPolicy::parse(R"({"rules":[
        {"group":"user","actions":["write:*"],"owner_only":true},
        {"group":"editor","actions":["write:doc"]}]})")
                       .value();
    const auto d = decide(p, {"user", "editor"}, "write:doc", json{{"owner", "someone"}});
    CHECK(d.allowed);
    CHECK(d.rule == std::optional<std::size_t>(1));
    CHECK_FALSE(decide(p, {"user"}, "write:doc", json{{"owner", "someone"}}).allowed);
    CHECK(decide(p, {"user"}, "write:doc", json{{"owner", "user-1"}}).rule == std::optional<std::size_t>(0));
    // The first allowing rule wins.
    CHECK(decide(p, {"editor", "user"}, "write:doc", json{{"owner", "user-1"}}).rule == std::optional<std::size_t>(0));
}

TEST_CASE("authz: group * matches every signed-in caller, with or without groups", "[authz]") {
    const auto p = AuthzPolicy::parse(R"({"rules":[{"group":"*","actions":["read:public"]}]})").value();
    CHECK(decide(p, {}, "read:public").allowed);
    CHECK(decide(p, {"anything"}, "read:public").reason == "allowed by rule 0 (group *)");
    CHECK_FALSE(decide(p, {}, "read:private").allowed);
    auto anonymous = request({"admin"}, "read:public");
    anonymous.sub.clear();
    CHECK_FALSE(p.decide(anonymous).allowed);
    CHECK(p.decide(anonymous).reason == "no signed-in caller");
}

TEST_CASE("authz: group names compare case-sensitively and exactly", "[authz]") {
    CHECK_FALSE(decide(policy(), {"Admin"}, "read:content").allowed);
    CHECK_FALSE(decide(policy(), {"ADMIN"}, "read:content").allowed);
    CHECK_FALSE(decide(policy(), {"admin "}, "read:content").allowed);
    CHECK_FALSE(decide(policy(), {"admins"}, "read:content").allowed);
    CHECK_FALSE(decide(policy(), {"*"}, "read:content").allowed);  // a group literally named "*" is no wildcard
    CHECK(decide(policy(), {"x", "admin"}, "read:content").allowed);
}

TEST_CASE("authz: empty actions and actions with * are denied", "[authz]") {
    const auto empty = decide(policy(), {"admin"}, "");
    CHECK_FALSE(empty.allowed);
    CHECK(empty.reason == "action is empty");
    for (const char* action : {"*", "read:*", "a*b"}) {
        const auto d = decide(policy(), {"admin"}, action);
        CHECK_FALSE(d.allowed);
        CHECK(d.reason == "action must not contain '*'");
    }
}

TEST_CASE("authz: context is accepted and does not change the decision", "[authz]") {
    auto r = request({"editor"}, "read:content");
    r.context = json{{"ip", "10.0.0.1"}, {"owner", "user-1"}};
    CHECK(policy().decide(r).allowed);
    r.action = "delete:content";
    CHECK_FALSE(policy().decide(r).allowed);
}

TEST_CASE("authz: reasons quote the request action safely and briefly", "[authz]") {
    const auto d = decide(policy(), {"g\n1"}, std::string(100, 'a') + "\x01");
    CHECK(d.reason == "no rule allows " + std::string(64, 'a') + "... for groups [g?1]");
}

TEST_CASE("authz policy files with the wrong shape are refused with the rule named", "[authz]") {
    CHECK(parse_error("") == "policy file is not valid JSON");
    CHECK(parse_error("{") == "policy file is not valid JSON");
    CHECK(parse_error("[]") == "policy file must be a JSON object with a \"rules\" array");
    CHECK(parse_error("{}") == "policy file needs a \"rules\" array");
    CHECK(parse_error(R"({"rules":{}})") == "policy file needs a \"rules\" array");
    CHECK(parse_error(R"({"rules":[],"rule":[]})") == "policy file has unknown member \"rule\"");
    CHECK(parse_error(R"({"rules":[],"description":1})") == "policy description must be a string");
    CHECK(parse_error(R"({"rules":[],"rules":[]})") == "policy file has a duplicate member \"rules\"");
    CHECK(parse_error(with_rule("1")) == "policy rule 1: must be an object");
    CHECK(parse_error(with_rule(R"({"actions":["x"]})")) == "policy rule 1: \"group\" must be a non-empty string");
    CHECK(parse_error(with_rule(R"({"group":"","actions":["x"]})")) ==
          "policy rule 1: \"group\" must be a non-empty string");
    CHECK(parse_error(with_rule(R"({"group":["a"],"actions":["x"]})")) ==
          "policy rule 1: \"group\" must be a non-empty string");
    CHECK(parse_error(with_rule(R"({"group":"a"})")) ==
          "policy rule 1: \"actions\" must be a non-empty array of strings");
    CHECK(parse_error(with_rule(R"({"group":"a","actions":[]})")) ==
          "policy rule 1: \"actions\" must be a non-empty array of strings");
    CHECK(parse_error(with_rule(R"({"group":"a","actions":"x"})")) ==
          "policy rule 1: \"actions\" must be a non-empty array of strings");
    CHECK(parse_error(with_rule(R"({"group":"a","actions":["x",2]})")) ==
          "policy rule 1: action 2 must be an exact action, \"*\" or end in \":*\"");
    CHECK(parse_error(with_rule(R"({"group":"a","actions":["x"],"owner_only":"yes"})")) ==
          "policy rule 1: \"owner_only\" must be true or false");
    CHECK(parse_error(with_rule(R"({"group":"a","actions":["x"],"groups_any":["b"]})")) ==
          "policy rule 1: unknown member \"groups_any\"");
    CHECK(parse_error(with_rule(R"({"group":"a","actions":["x"],"owner_only":true,"owner_only":false})")) ==
          "policy file has a duplicate member \"owner_only\"");
    CHECK(parse_error(with_rule(R"({"group":"a","actions":["x"],"description":{}})")) ==
          "policy rule 1: \"description\" must be a string");
}

TEST_CASE("authz action patterns: only *, exact, or a trailing :*", "[authz]") {
    for (const char* ok : {"*", "x", "read:content", "read:*", "a:b:*", "a:"}) {
        INFO("pattern " << ok);
        CHECK(AuthzPolicy::parse(with_rule(json{{"group", "g"}, {"actions", json::array({ok})}}.dump())).ok());
    }
    for (const char* bad : {"", "read*", "*:read", "re*d:x", ":*", "**", "read:**", "read:*x"}) {
        INFO("pattern " << bad);
        CHECK(parse_error(with_rule(json{{"group", "g"}, {"actions", json::array({bad})}}.dump())) ==
              "policy rule 1: action " + json(bad).dump() + " must be an exact action, \"*\" or end in \":*\"");
    }
}
