#pragma once
// Authorization policy for /auth/authorize (S2): may a signed-in user, by their Cognito groups,
// perform an action on a resource? This is a small rule file of otts's own, NOT the Cedar
// policy language the original token handler uses; it covers the group-keyed policies that
// service ships (admin may do anything, editors may read and write content, users may change
// what they own) and nothing more.
//
// Policy file (JSON object; unknown or duplicate members anywhere are errors, so typos fail
// loudly instead of silently widening or narrowing access):
//
//   {"description": "optional text",
//    "rules": [
//      {"group": "admin",    "actions": ["*"]},
//      {"group": "editor",   "actions": ["read:content", "write:content"]},
//      {"group": "readonly", "actions": ["read:*"], "owner_only": false},
//      {"group": "user",     "actions": ["write:own"], "owner_only": true,
//       "description": "optional text"}]}
//
// - "rules" (required, may be empty): evaluated in order; rules are numbered from 0 (their
//   index in the array), in decisions and in parse errors alike.
// - "group" (required, non-empty string): a Cognito group name, compared case-sensitively as
//   Cognito does; "*" matches every signed-in caller (non-empty sub), whatever their groups.
// - "actions" (required, non-empty array): each pattern is an exact action ("read:content"),
//   "*" (every action), or a namespace prefix ending in ":*" ("read:*" matches "read:x" and
//   "read:x:y", not "read" nor "readonly:x"). A '*' anywhere else is an error.
// - "owner_only" (optional bool, default false): the rule allows only when the request's
//   resource is an object whose "owner" is a string equal to the caller's sub.
//
// Decisions deny by default. The first rule (lowest index) that allows wins; a rule whose
// group and action match but whose owner check fails does not stop later rules from allowing.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace otts {

struct AuthzRequest {
    std::string sub;                  // the caller; empty means not signed in (always denied)
    std::vector<std::string> groups;  // the caller's cognito:groups
    std::string action;               // non-empty, no '*'
    nlohmann::json resource;          // optional (null); owner_only rules read its "owner"
    nlohmann::json context;           // accepted for compatibility; no rule reads it yet
};

struct AuthzDecision {
    bool allowed = false;
    std::string reason;               // one human line, e.g. "allowed by rule 2 (group editor)"
    std::optional<std::size_t> rule;  // the deciding rule: the allowing one, or the owner_only
                                      // rule whose owner check denied; nullopt for default deny
};

class AuthzPolicy {
public:
    // Parses a policy file as described above. Errors: usage, with a message naming the rule
    // ("policy rule 3: ...") or member at fault.
    static Result<AuthzPolicy> parse(std::string_view json_text);

    // Never fails: a request that cannot be allowed (empty sub or action, '*' in the action,
    // no matching rule) is a denial with its reason.
    AuthzDecision decide(const AuthzRequest& request) const;

    std::size_t rule_count() const { return m_rules.size(); }

private:
    struct Rule {
        std::string group;
        std::vector<std::string> actions;
        bool owner_only = false;
    };
    std::vector<Rule> m_rules;
};

}  // namespace otts
